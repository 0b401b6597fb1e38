package dev.dilxc.daemon.leases;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.dilxc.api.QuarantineView;

/**
 * Sandboxes that need attention. A sandbox is quarantined when a step that should leave
 * it sound failed (the restore after a job, the kill of an agent's processes, crash
 * recovery, LXD staying away): no job is claimed on it until a repair succeeds or the
 * user releases it. Held in the database, so a restart keeps it.
 */
@Service
public class SandboxQuarantines {

	private static final Logger logger = LoggerFactory.getLogger(SandboxQuarantines.class);

	/** The step that failed. */
	public enum Step {

		/** Restoring the job's pre-job snapshot failed. */
		RESTORE,
		/**
		 * Ending the agent's processes inside the sandbox failed: something of the job
		 * may still run.
		 */
		KILL,
		/** Settling a job a previous daemon left running failed. */
		RECOVERY,
		/** LXD went away mid-job and did not come back in time. */
		LXD_UNREACHABLE,
		/**
		 * The daemon's database could not be written (a full disk) while the job ended,
		 * so its restore and the end of its leftovers could not be recorded, nor trusted
		 * to have happened.
		 */
		STORAGE

	}

	/**
	 * A quarantined sandbox: the step that failed and its error, the job it happened to,
	 * whether a repair must restore that job's pre-job snapshot, and how the daemon's
	 * retries went so far.
	 */
	public record Quarantine(String sandbox, @Nullable Long jobId, Step step, String error, boolean needsRestore,
			Instant since, int attempts, Instant nextAttemptAt, @Nullable String lastError) {

		/** As the API shows it. */
		public QuarantineView view() {
			return new QuarantineView(this.sandbox, this.jobId, this.step.name(), this.error, this.needsRestore,
					this.since, this.attempts, this.nextAttemptAt, this.lastError);
		}
	}

	/** Published once when a sandbox becomes quarantined. */
	public record SandboxQuarantined(Quarantine quarantine) {
	}

	private final JdbcClient jdbc;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	SandboxQuarantines(JdbcClient jdbc, Clock clock, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.events = events;
	}

	/**
	 * Quarantines the sandbox, the first retry due at {@code firstAttemptAt}. A sandbox
	 * already quarantined keeps its first failure, and needs a restore if either failure
	 * asked for one.
	 */
	public Quarantine quarantine(String sandbox, @Nullable Long jobId, Step step, @Nullable String error,
			boolean needsRestore, Instant firstAttemptAt) {
		Instant now = this.clock.instant();
		int updated = this.jdbc.sql("""
				UPDATE sandbox_quarantine SET needs_restore = needs_restore OR :restore, last_error = :error
				WHERE sandbox = :sandbox
				""").param("restore", needsRestore).param("error", truncate(error)).param("sandbox", sandbox).update();
		if (updated == 0) {
			this.jdbc.sql("""
					INSERT INTO sandbox_quarantine (sandbox, job_id, step, error, needs_restore, since, next_attempt_at)
					VALUES (:sandbox, :job, :step, :error, :restore, :now, :next)
					""")
				.param("sandbox", sandbox)
				.param("job", jobId)
				.param("step", step.name())
				.param("error", truncate(error))
				.param("restore", needsRestore)
				.param("now", SandboxLeases.timestamp(now))
				.param("next", SandboxLeases.timestamp(firstAttemptAt))
				.update();
		}
		Quarantine quarantine = find(sandbox).orElseThrow();
		if (updated == 0) {
			logger.warn("Sandbox {} quarantined: {} failed{}: {}", sandbox, step,
					(jobId != null) ? " for job " + jobId : "", error);
			this.events.publishEvent(new SandboxQuarantined(quarantine));
		}
		return quarantine;
	}

	public Optional<Quarantine> find(String sandbox) {
		return this.jdbc.sql("SELECT * FROM sandbox_quarantine WHERE sandbox = :sandbox")
			.param("sandbox", sandbox)
			.query(SandboxQuarantines::row)
			.optional();
	}

	/** Every quarantined sandbox, oldest first. */
	public List<Quarantine> all() {
		return this.jdbc.sql("SELECT * FROM sandbox_quarantine ORDER BY since, sandbox")
			.query(SandboxQuarantines::row)
			.list();
	}

	/**
	 * Every quarantined sandbox, oldest first, as the API shows it (status, report,
	 * review pages).
	 */
	public List<QuarantineView> views() {
		return all().stream().map(Quarantine::view).toList();
	}

	/** The quarantined sandboxes whose next retry is due at {@code now}. */
	public List<Quarantine> due(Instant now) {
		return this.jdbc.sql("SELECT * FROM sandbox_quarantine WHERE next_attempt_at <= :now ORDER BY next_attempt_at")
			.param("now", SandboxLeases.timestamp(now))
			.query(SandboxQuarantines::row)
			.list();
	}

	/** Records a failed repair attempt and when the next one is due. */
	public void attemptFailed(String sandbox, @Nullable String error, Instant nextAttemptAt) {
		this.jdbc.sql("""
				UPDATE sandbox_quarantine SET attempts = attempts + 1, last_error = :error, next_attempt_at = :next
				WHERE sandbox = :sandbox
				""")
			.param("error", truncate(error))
			.param("next", SandboxLeases.timestamp(nextAttemptAt))
			.param("sandbox", sandbox)
			.update();
	}

	/**
	 * Makes every quarantined sandbox's retry due at {@code now}: a new daemon tries them
	 * all at once.
	 */
	public void allDue(Instant now) {
		this.jdbc.sql("UPDATE sandbox_quarantine SET next_attempt_at = :now")
			.param("now", SandboxLeases.timestamp(now))
			.update();
	}

	/** Lifts the quarantine; false when the sandbox was not quarantined. */
	public boolean release(String sandbox) {
		boolean released = this.jdbc.sql("DELETE FROM sandbox_quarantine WHERE sandbox = :sandbox")
			.param("sandbox", sandbox)
			.update() == 1;
		if (released) {
			logger.info("Sandbox {} released from quarantine", sandbox);
		}
		return released;
	}

	private static Quarantine row(ResultSet rs, int n) throws SQLException {
		long job = rs.getLong("job_id");
		Long jobId = rs.wasNull() ? null : job;
		return new Quarantine(rs.getString("sandbox"), jobId, Step.valueOf(rs.getString("step")), rs.getString("error"),
				rs.getBoolean("needs_restore"), SandboxLeases.instant(rs, "since"), rs.getInt("attempts"),
				SandboxLeases.instant(rs, "next_attempt_at"), rs.getString("last_error"));
	}

	private static String truncate(@Nullable String text) {
		String value = (text != null) ? text : "";
		return (value.length() > 4000) ? value.substring(0, 3999) + "…" : value;
	}

}
