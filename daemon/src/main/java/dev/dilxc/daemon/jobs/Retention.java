package dev.dilxc.daemon.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.dilxc.api.DaemonStatus;

/**
 * The retention sweep: deletes finished jobs past {@code dilxc.retention.max-age} or
 * beyond the newest {@code max-jobs-per-sandbox} of their sandbox, drops the output,
 * changes and transcript of jobs past {@code bulk-max-age} (marking them pruned), and
 * deletes delivered notifications and schedule events past {@code max-age}. Each step
 * removes at most {@code batch-size} rows in its own short transaction, so the queue and
 * clients never wait behind it.
 *
 * <p>
 * It lives in the jobs package because almost all it touches is the job tables and their
 * invariants (unfinished jobs, the transcript a resume reads); the two other tables it
 * trims, notifications and schedule events, are only ever read by recent time, so their
 * old rows carry no rule to respect here.
 *
 * <p>
 * It never deletes an unfinished job, the last job of a schedule (its "last run"), a job
 * its sandbox's quarantine names, a job with a notification still to deliver, or the job
 * holding the transcript that a later job of the same session would read on resume.
 */
@Component
public class Retention implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(Retention.class);

	/**
	 * "Shortly after start": late enough not to compete with start-up and crash recovery.
	 */
	private static final Duration FIRST_SWEEP = Duration.ofMinutes(1);

	/**
	 * The job {@code j} holds its session's newest transcript and a later job of the
	 * session (or a resume of it) exists: a resume of that later job after a restore
	 * reads this transcript ({@link JobRepository#transcriptOfSession}).
	 */
	private static final String TRANSCRIPT_NEEDED = """
			(j.session_id IS NOT NULL
			  AND EXISTS (SELECT 1 FROM job_changes c WHERE c.job_id = j.id AND c.session_transcript IS NOT NULL)
			  AND (EXISTS (SELECT 1 FROM jobs k WHERE k.sandbox = j.sandbox AND k.session_id = j.session_id AND k.id > j.id)
			    OR EXISTS (SELECT 1 FROM jobs k WHERE k.sandbox = j.sandbox AND k.resume_session_id = j.session_id
			      AND k.id > j.id))
			  AND NOT EXISTS (SELECT 1 FROM jobs n JOIN job_changes nc ON nc.job_id = n.id
			    WHERE n.sandbox = j.sandbox AND n.session_id = j.session_id AND n.id > j.id
			      AND nc.session_transcript IS NOT NULL))
			""";

	/** The job {@code j} may be deleted: none of the rules above keeps it. */
	private static final String DELETABLE = """
			j.state NOT IN ('QUEUED', 'SNAPSHOTTING', 'RUNNING')
			AND j.id NOT IN (SELECT MAX(s.id) FROM jobs s JOIN schedules sc ON sc.id = s.schedule_id GROUP BY s.schedule_id)
			AND NOT EXISTS (SELECT 1 FROM sandbox_quarantine q WHERE q.job_id = j.id)
			AND NOT EXISTS (SELECT 1 FROM notifications o WHERE o.job_id = j.id AND o.next_attempt_at IS NOT NULL)
			AND NOT """
			+ TRANSCRIPT_NEEDED;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final RetentionProperties properties;

	private final Clock clock;

	private volatile DaemonStatus.@Nullable Sweep last;

	private volatile boolean active;

	/** Set at shutdown: a sweep in progress ends after its current step. */
	private volatile boolean stopping;

	private @Nullable ScheduledExecutorService scheduler;

	Retention(JdbcClient jdbc, TransactionTemplate transactions, RetentionProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * What retention keeps, and what its last sweep since start removed (null before the
	 * first).
	 */
	public DaemonStatus.Retention status() {
		return new DaemonStatus.Retention(this.properties.maxAge().toSeconds(), this.properties.maxJobsPerSandbox(),
				this.properties.bulkMaxAge().toSeconds(), this.last);
	}

	/** The words logs and diff answer with for a pruned job. */
	String prunedMessage(long id, Instant prunedAt) {
		return "output, diff and transcript of job " + id + " were pruned by retention on "
				+ prunedAt.atOffset(ZoneOffset.UTC).toLocalDate() + " (dilxc.retention.bulk-max-age: "
				+ format(this.properties.bulkMaxAge()) + "); its summary is kept: 'dilxc-client job " + id + "'";
	}

	/**
	 * One whole sweep, now, in the calling thread (the background loop calls this; tests
	 * do too).
	 */
	synchronized DaemonStatus.Sweep sweep() {
		Instant now = this.clock.instant();
		Counts counts = new Counts();
		String error = null;
		try {
			if (!this.properties.maxAge().isZero()) {
				counts.jobsDeleted += deleteJobs("COALESCE(j.finished_at, j.submitted_at) < :cutoff",
						now.minus(this.properties.maxAge()), null);
			}
			if (this.properties.maxJobsPerSandbox() > 0) {
				List<String> sandboxes = this.jdbc.sql("SELECT DISTINCT sandbox FROM jobs")
					.query((rs, n) -> rs.getString(1))
					.list();
				for (String sandbox : sandboxes) {
					counts.jobsDeleted += deleteBeyondNewest(sandbox);
				}
			}
			if (!this.properties.bulkMaxAge().isZero()) {
				counts.jobsPruned += pruneBulk(now.minus(this.properties.bulkMaxAge()), now);
			}
			if (!this.properties.maxAge().isZero()) {
				Instant cutoff = now.minus(this.properties.maxAge());
				counts.notificationsDeleted += deleteInBatches("notifications",
						"""
								SELECT id FROM notifications WHERE next_attempt_at IS NULL AND COALESCE(delivered_at, gave_up_at) < :cutoff
								FETCH FIRST :batch ROWS ONLY
								""",
						cutoff);
				// The newest firing of each schedule stays: it is the schedule's "last
				// fired" (see ScheduleRepository.FIRINGS).
				counts.eventsDeleted += deleteInBatches("schedule_events",
						"""
								SELECT id FROM schedule_events WHERE at < :cutoff AND id NOT IN (SELECT e.id FROM schedule_events e
								  JOIN schedules s ON s.id = e.schedule_id
								  WHERE e.kind NOT IN ('CREATED', 'PAUSED', 'RESUMED', 'DELETED')
								    AND e.at = (SELECT MAX(f.at) FROM schedule_events f WHERE f.schedule_id = e.schedule_id
								      AND f.kind NOT IN ('CREATED', 'PAUSED', 'RESUMED', 'DELETED')))
								FETCH FIRST :batch ROWS ONLY
								""",
						cutoff);
				// Daemon runs that ended that long ago (one row per start): a job names
				// its
				// run by id, which stays readable without the row.
				this.jdbc.sql("DELETE FROM daemons WHERE stopped_at < :cutoff")
					.param("cutoff", cutoff.atOffset(ZoneOffset.UTC))
					.update();
			}
		}
		catch (RuntimeException ex) {
			// What was removed stays removed; the next sweep goes on from there.
			error = ex.getMessage();
			logger.error("The retention sweep stopped early; the next one goes on from here", ex);
		}
		DaemonStatus.Sweep sweep = new DaemonStatus.Sweep(this.clock.instant(), counts.jobsDeleted, counts.jobsPruned,
				counts.notificationsDeleted, counts.eventsDeleted, error);
		this.last = sweep;
		if (counts.any()) {
			logger.info(
					"Retention deleted {} job(s), pruned the output of {}, deleted {} notification(s) and {} schedule "
							+ "event(s)",
					counts.jobsDeleted, counts.jobsPruned, counts.notificationsDeleted, counts.eventsDeleted);
		}
		return sweep;
	}

	private long deleteBeyondNewest(String sandbox) {
		// The id of the sandbox's N-th newest job: every job before it is beyond the
		// limit.
		Long oldestKept = this.jdbc.sql("""
				SELECT id FROM jobs WHERE sandbox = :sandbox ORDER BY id DESC OFFSET :skip ROWS FETCH FIRST 1 ROW ONLY
				""")
			.param("sandbox", sandbox)
			.param("skip", this.properties.maxJobsPerSandbox() - 1)
			.query(Long.class)
			.optional()
			.orElse(null);
		return (oldestKept != null) ? deleteJobs("j.sandbox = :sandbox AND j.id < :oldestKept", null,
				(spec) -> spec.param("sandbox", sandbox).param("oldestKept", oldestKept)) : 0;
	}

	/**
	 * Deletes the deletable jobs matching {@code condition}, a batch at a time; returns
	 * how many.
	 */
	private long deleteJobs(String condition, @Nullable Instant cutoff,
			java.util.function.@Nullable UnaryOperator<JdbcClient.StatementSpec> params) {
		long deleted = 0;
		while (!this.stopping) {
			JdbcClient.StatementSpec select = this.jdbc
				.sql("SELECT j.id FROM jobs j WHERE " + condition + " AND " + DELETABLE
						+ " ORDER BY j.id FETCH FIRST :batch ROWS ONLY")
				.param("batch", this.properties.batchSize());
			if (cutoff != null) {
				select = select.param("cutoff", timestamp(cutoff));
			}
			if (params != null) {
				select = params.apply(select);
			}
			List<Long> ids = select.query((rs, n) -> rs.getLong(1)).list();
			if (ids.isEmpty()) {
				break;
			}
			// Output first, in its own small steps: a job's lines can be many, and one
			// delete of all of them would be
			// a long transaction.
			dropOutput(ids);
			Integer rows = this.transactions
				.execute((status) -> this.jdbc.sql("DELETE FROM jobs j WHERE j.id IN (:ids) AND " + DELETABLE)
					.param("ids", ids)
					.update());
			deleted += (rows != null) ? rows : 0;
			if (rows == null || rows < ids.size()) {
				// Some became needed meanwhile (a resume of their session, a quarantine):
				// their output is gone, so
				// say so.
				markPruned(ids, this.clock.instant());
			}
			if (ids.size() < this.properties.batchSize()) {
				break;
			}
		}
		return deleted;
	}

	/**
	 * Drops output, changes and transcript of finished jobs that ended before
	 * {@code cutoff}, keeping their summary row and history (with a PRUNED entry). The
	 * transcript a later job of the session needs stays.
	 */
	private long pruneBulk(Instant cutoff, Instant now) {
		long pruned = 0;
		while (!this.stopping) {
			List<Long> ids = this.jdbc.sql("""
					SELECT j.id FROM jobs j
					WHERE j.pruned_at IS NULL AND j.state NOT IN ('QUEUED', 'SNAPSHOTTING', 'RUNNING')
					  AND COALESCE(j.finished_at, j.submitted_at) < :cutoff
					  AND NOT EXISTS (SELECT 1 FROM sandbox_quarantine q WHERE q.job_id = j.id)
					  AND (EXISTS (SELECT 1 FROM job_output o WHERE o.job_id = j.id)
					    OR EXISTS (SELECT 1 FROM job_changes c WHERE c.job_id = j.id))
					ORDER BY j.id FETCH FIRST :batch ROWS ONLY
					""")
				.param("cutoff", timestamp(cutoff))
				.param("batch", this.properties.batchSize())
				.query((rs, n) -> rs.getLong(1))
				.list();
			if (ids.isEmpty()) {
				return pruned;
			}
			dropOutput(ids);
			pruned += markPruned(ids, now);
			if (ids.size() < this.properties.batchSize()) {
				return pruned;
			}
		}
		return pruned;
	}

	/**
	 * Drops changes (keeping a needed transcript) and marks the jobs pruned, with a
	 * history entry; one transaction.
	 */
	private int markPruned(List<Long> ids, Instant now) {
		Integer marked = this.transactions.execute((status) -> {
			this.jdbc
				.sql("DELETE FROM job_changes WHERE job_id IN (SELECT j.id FROM jobs j WHERE j.id IN (:ids) AND NOT "
						+ TRANSCRIPT_NEEDED + ")")
				.param("ids", ids)
				.update();
			this.jdbc.sql("UPDATE job_changes SET status = NULL, diff_stat = NULL, diff = NULL WHERE job_id IN (:ids)")
				.param("ids", ids)
				.update();
			this.jdbc.sql("""
					INSERT INTO job_history (job_id, at, state, event, detail)
					SELECT id, :now, state, 'PRUNED', :detail FROM jobs WHERE id IN (:ids) AND pruned_at IS NULL
					""")
				.param("now", timestamp(now))
				.param("detail",
						"output, diff and transcript dropped by retention (dilxc.retention.bulk-max-age: "
								+ format(this.properties.bulkMaxAge()) + "); this summary is kept")
				.param("ids", ids)
				.update();
			return this.jdbc.sql("UPDATE jobs SET pruned_at = :now WHERE id IN (:ids) AND pruned_at IS NULL")
				.param("now", timestamp(now))
				.param("ids", ids)
				.update();
		});
		return (marked != null) ? marked : 0;
	}

	/**
	 * Deletes the jobs' output a batch of lines at a time, each batch a range of the
	 * primary key (job_id, seq): an index range on every database, where "DELETE ...
	 * FETCH FIRST" is H2's alone and a "seq IN (SELECT ... FETCH FIRST)" is a table scan
	 * on H2 (docs/postgresql-notes.md).
	 */
	private void dropOutput(List<Long> ids) {
		for (long id : ids) {
			List<Long> first;
			while (!(first = this.jdbc
				.sql("SELECT seq FROM job_output WHERE job_id = :id ORDER BY seq FETCH FIRST 1 ROW ONLY")
				.param("id", id)
				.query((rs, row) -> rs.getLong(1))
				.list()).isEmpty()) {
				this.jdbc.sql("DELETE FROM job_output WHERE job_id = :id AND seq < :end")
					.param("id", id)
					.param("end", first.get(0) + this.properties.batchSize())
					.update();
			}
		}
	}

	/**
	 * Deletes from {@code table} the rows whose ids {@code select} picks, a batch at a
	 * time: the ids first, then a delete by primary key, since "DELETE ... FETCH FIRST"
	 * is H2's alone and H2 runs a "DELETE ... WHERE id IN (SELECT ... FETCH FIRST)" far
	 * slower than the two statements (docs/postgresql-notes.md).
	 */
	private long deleteInBatches(String table, String select, Instant cutoff) {
		long deleted = 0;
		int rows;
		do {
			List<Long> ids = this.jdbc.sql(select)
				.param("cutoff", timestamp(cutoff))
				.param("batch", this.properties.batchSize())
				.query((rs, row) -> rs.getLong(1))
				.list();
			rows = ids.isEmpty() ? 0
					: this.jdbc.sql("DELETE FROM " + table + " WHERE id IN (:ids)").param("ids", ids).update();
			deleted += rows;
		}
		while (rows == this.properties.batchSize() && !this.stopping);
		return deleted;
	}

	@Override
	public void start() {
		this.active = true;
		this.stopping = false;
		if (!this.properties.sweepEnabled() || this.properties.keepsEverything()) {
			return;
		}
		this.scheduler = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("dilxc-retention").daemon(true).factory());
		this.scheduler.scheduleWithFixedDelay(() -> {
			try {
				sweep();
			}
			catch (RuntimeException ex) {
				logger.error("The retention sweep failed; it runs again in {}", format(this.properties.interval()), ex);
			}
		}, FIRST_SWEEP.toMillis(), this.properties.interval().toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Stops the loop; a sweep in progress ends after its current step (each step is its
	 * own transaction).
	 */
	@Override
	public void stop() {
		this.active = false;
		this.stopping = true;
		if (this.scheduler != null) {
			// No interrupt: H2 closes its file when a thread is interrupted mid-write.
			// The flag ends the sweep instead.
			this.scheduler.shutdown();
			try {
				if (!this.scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
					logger.warn("The retention sweep was still in a step at shutdown");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.active;
	}

	static String format(Duration duration) {
		if (duration.isZero()) {
			return "0 (off)";
		}
		if (duration.toSeconds() % 86_400 == 0) {
			return duration.toDays() + "d";
		}
		if (duration.toSeconds() % 3600 == 0) {
			return duration.toHours() + "h";
		}
		return duration.toMinutes() + "m";
	}

	private static OffsetDateTime timestamp(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	private static final class Counts {

		long jobsDeleted;

		long jobsPruned;

		long notificationsDeleted;

		long eventsDeleted;

		boolean any() {
			return this.jobsDeleted + this.jobsPruned + this.notificationsDeleted + this.eventsDeleted > 0;
		}

	}

}
