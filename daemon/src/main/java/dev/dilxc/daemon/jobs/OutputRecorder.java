package dev.dilxc.daemon.jobs;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

import dev.dilxc.daemon.MonotonicClock;
import dev.dilxc.daemon.StorageFailures;

/**
 * Stores a job's output line by line as it arrives, so a running job's log can be read.
 * Known secret values are masked before anything is stored, and once {@code maxBytes}
 * have been stored one marker line says so and later lines are dropped.
 */
final class OutputRecorder {

	private static final Logger logger = LoggerFactory.getLogger(OutputRecorder.class);

	static final String DILXC_STREAM = "dilxc";

	private final long jobId;

	private final JobRepository jobs;

	private final Clock clock;

	private final MonotonicClock monotonic;

	/** Longest first, so a secret that contains another is masked whole. */
	private volatile List<String> secrets;

	private final long maxBytes;

	private long seq;

	private long bytes;

	private boolean truncated;

	/**
	 * Why storing a line failed (the first time), or null while every line was stored.
	 */
	private @Nullable String storageFailure;

	private long linesLost;

	/**
	 * {@link MonotonicClock#nanoTime()} of the last line: silence is measured on it, not
	 * on the wall clock.
	 */
	private long lastLineNanos;

	/**
	 * @param clock stamps the stored lines (shown to the user)
	 * @param monotonic measures the silence since the last line (a decision: the
	 * inactivity limit)
	 */
	OutputRecorder(long jobId, JobRepository jobs, Clock clock, MonotonicClock monotonic, Set<String> secrets,
			long maxBytes) {
		this.jobId = jobId;
		this.jobs = jobs;
		this.clock = clock;
		this.monotonic = monotonic;
		this.secrets = longestFirst(secrets);
		this.maxBytes = maxBytes;
		this.lastLineNanos = monotonic.nanoTime();
	}

	synchronized void append(String stream, String line) {
		this.lastLineNanos = this.monotonic.nanoTime();
		if (this.truncated) {
			return;
		}
		String masked = mask(line);
		long size = masked.getBytes(StandardCharsets.UTF_8).length + 1L;
		if (this.bytes + size > this.maxBytes) {
			this.truncated = true;
			store(DILXC_STREAM, "[dilxc] output truncated: the job's output passed the cap of " + this.maxBytes
					+ " bytes (dilxc.jobs.max-output-bytes); later lines were not stored");
			return;
		}
		this.bytes += size;
		store(stream, masked);
	}

	private void store(String stream, String text) {
		if (this.storageFailure != null) {
			this.linesLost++;
			return;
		}
		this.seq++;
		try {
			appendWithRetry(stream, text);
		}
		catch (DataAccessException ex) {
			// One line in the log per job, not one stack trace per output line: the job's
			// execution sees
			// storageFailure() and stops the agent, whose output could no longer be kept.
			this.storageFailure = StorageFailures.describe(ex);
			this.linesLost++;
			logger.error("Job {}: its output could not be stored, so the agent is being stopped: {}", this.jobId,
					this.storageFailure);
		}
	}

	/**
	 * Stores one line; a PostgreSQL server that restarts or fails over drops the pooled
	 * connections (SQLState 08xxx, 57P0x), so such a failure is tried again on a fresh
	 * connection a few times over a few seconds before it stops the job.
	 */
	private void appendWithRetry(String stream, String text) {
		for (int attempt = 1;; attempt++) {
			try {
				this.jobs.appendOutput(this.jobId, this.seq, this.clock.instant(), stream, text);
				return;
			}
			catch (DataAccessException ex) {
				if (attempt >= CONNECTION_RETRIES || !connectionLost(ex)) {
					throw ex;
				}
				logger.warn("Job {}: storing an output line failed ({}); trying again", this.jobId,
						StorageFailures.describe(ex));
				try {
					Thread.sleep(500L * attempt);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw ex;
				}
			}
		}
	}

	private static final int CONNECTION_RETRIES = 4;

	/** Whether the database connection was lost (not a statement refused). */
	static boolean connectionLost(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String state = (cause instanceof SQLException sql) ? sql.getSQLState() : null;
			if (state != null && (state.startsWith("08") || state.startsWith("57P0"))) {
				return true;
			}
		}
		return false;
	}

	/** Why the output could not be stored, or null while it could. */
	synchronized @Nullable String storageFailure() {
		return this.storageFailure;
	}

	/**
	 * Output lines that arrived after storing failed (the failing one included) and were
	 * not kept.
	 */
	synchronized long linesLost() {
		return this.linesLost;
	}

	/**
	 * Masks these too from now on: the agent's secrets arrive with its exec, before its
	 * first line.
	 */
	synchronized void addSecrets(Collection<String> more) {
		Set<String> all = new HashSet<>(this.secrets);
		all.addAll(more);
		this.secrets = longestFirst(all);
	}

	private static List<String> longestFirst(Collection<String> secrets) {
		return secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
	}

	String mask(String text) {
		String masked = text;
		for (String secret : this.secrets) {
			if (masked.contains(secret)) {
				masked = masked.replace(secret, "[masked]");
			}
		}
		return masked;
	}

	/**
	 * How long since the agent last printed a line (stored or not), or since recording
	 * began.
	 */
	synchronized Duration silence() {
		return this.monotonic.since(this.lastLineNanos);
	}

	synchronized long bytes() {
		return this.bytes;
	}

	synchronized boolean truncated() {
		return this.truncated;
	}

}
