package dev.dilxc.daemon.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.lang.Contract;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import dev.dilxc.api.JobChanges;
import dev.dilxc.api.JobHistoryEntry;
import dev.dilxc.api.JobState;
import dev.dilxc.api.OutputLine;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.daemon.cluster.DatabaseStore;
import dev.dilxc.daemon.cluster.ThisDaemon;
import dev.dilxc.daemon.leases.SandboxLeases;

/**
 * The job tables in plain SQL. Every state change is one guarded UPDATE
 * ({@code WHERE state = :from}) checked against {@link JobTransitions} and written with
 * its history row in one transaction.
 */
@Repository
class JobRepository {

	/**
	 * A job row with its count of output lines: the last line's seq, read off the
	 * output's primary key from its end (a MAX over the job's lines would read all of
	 * them: 260,000 index entries for a 64 MB job).
	 */
	private static final String SELECT_JOB = """
			SELECT j.*, COALESCE((SELECT o.seq FROM job_output o WHERE o.job_id = j.id
			  ORDER BY o.job_id DESC, o.seq DESC LIMIT 1), 0) AS output_lines
			FROM jobs j
			""";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final SandboxLeases leases;

	/**
	 * Rung after each stored output line and state change, for clients that wait on a
	 * job's output.
	 */
	private final JobChangeSignal changes = new JobChangeSignal();

	/** This daemon run, whose id a claim writes on the job. */
	private final ThisDaemon daemon;

	/** Whether the store refuses NUL characters in text (PostgreSQL). */
	private final boolean nulRefused;

	JobRepository(JdbcClient jdbc, TransactionTemplate transactions, SandboxLeases leases, ThisDaemon daemon,
			DatabaseStore store) {
		this.nulRefused = store == DatabaseStore.POSTGRESQL;
		this.daemon = daemon;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.leases = leases;
	}

	/** Stores a new QUEUED manual job with no options; returns its id. */
	long insert(String sandbox, String prompt, RestorePolicy policy, long timeoutSeconds, Instant now) {
		return insert(NewJob.manual(sandbox, prompt, policy, timeoutSeconds), now);
	}

	/**
	 * Stores a new QUEUED job and its first history entry; returns its id. A job whose
	 * idempotency key is taken fails with {@link DuplicateKeyException} and stores
	 * nothing.
	 */
	long insert(NewJob job, Instant now) {
		JobOrigin origin = job.origin();
		return this.transactions.execute((status) -> {
			var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
			this.jdbc
				.sql("""
						INSERT INTO jobs (sandbox, state, prompt, restore_policy, timeout_seconds, submitted_at, trigger_kind,
						  schedule_id, scheduled_for, parent_job_id, idempotency_key, max_turns, max_budget_usd, sync_project,
						  resume_session_id)
						VALUES (:sandbox, 'QUEUED', :prompt, :policy, :timeout, :now, :trigger, :schedule, :slot, :parent, :key,
						  :turns, :budget, :sync, :resume)
						""")
				.param("sandbox", job.sandbox())
				.param("prompt", job.prompt())
				.param("policy", job.restorePolicy().name())
				.param("timeout", job.timeoutSeconds())
				.param("now", timestamp(now))
				.param("trigger", origin.trigger())
				.param("schedule", origin.scheduleId())
				.param("slot", (origin.scheduledFor() != null) ? timestamp(origin.scheduledFor()) : null)
				.param("parent", origin.parentJobId())
				.param("key", origin.idempotencyKey())
				.param("turns", job.maxTurns())
				.param("budget", job.maxBudgetUsd())
				.param("sync", job.sync())
				.param("resume", job.resumeSessionId())
				.update(keys, "id");
			long id = Objects.requireNonNull(keys.getKeyAs(Long.class), "the generated id");
			addHistory(id, JobState.QUEUED, "STATE", submittedDetail(origin), now);
			return id;
		});
	}

	private static String submittedDetail(JobOrigin origin) {
		return switch (origin.trigger()) {
			case "schedule" -> "submitted by schedule " + origin.scheduleId() + " for " + origin.scheduledFor();
			case "retry" -> "submitted as a retry of job " + origin.parentJobId();
			case "resume" -> "submitted to resume the session of job " + origin.parentJobId();
			default -> "submitted";
		};
	}

	Optional<JobRow> findByIdempotencyKey(String key) {
		return this.jdbc.sql(SELECT_JOB + " WHERE j.idempotency_key = :key")
			.param("key", key)
			.query(JobRepository::row)
			.optional();
	}

	/** Jobs submitted in {@code [since, until)}, oldest first. */
	List<JobRow> submittedBetween(Instant since, Instant until) {
		return this.jdbc.sql(SELECT_JOB + " WHERE j.submitted_at >= :since AND j.submitted_at < :until ORDER BY j.id")
			.param("since", timestamp(since))
			.param("until", timestamp(until))
			.query(JobRepository::row)
			.list();
	}

	/** A schedule's jobs, oldest first, optionally only those in {@code states}. */
	List<JobRow> ofSchedule(long scheduleId, List<JobState> states) {
		return this.jdbc.sql(SELECT_JOB + """
				WHERE j.schedule_id = :schedule AND j.state IN (:states) ORDER BY j.id
				""")
			.param("schedule", scheduleId)
			.param("states", states.stream().map(JobState::name).toList())
			.query(JobRepository::row)
			.list();
	}

	java.math.BigDecimal costOfSchedule(long scheduleId, Instant since) {
		return this.jdbc.sql("""
				SELECT COALESCE(SUM(cost_usd), 0) FROM jobs WHERE schedule_id = :schedule AND submitted_at >= :since
				""")
			.param("schedule", scheduleId)
			.param("since", timestamp(since))
			.query(java.math.BigDecimal.class)
			.single();
	}

	Optional<JobRow> lastOfSchedule(long scheduleId) {
		return this.jdbc
			.sql(SELECT_JOB + " WHERE j.schedule_id = :schedule ORDER BY j.schedule_id DESC, j.id DESC LIMIT 1")
			.param("schedule", scheduleId)
			.query(JobRepository::row)
			.optional();
	}

	Optional<JobRow> find(long id) {
		return this.jdbc.sql(SELECT_JOB + " WHERE j.id = :id").param("id", id).query(JobRepository::row).optional();
	}

	/**
	 * Newest first, optionally only one state and/or one sandbox. One statement per
	 * filter, each ordered along the index that serves it (bound columns first), so the
	 * newest {@code limit} jobs come straight off the index however long the history; one
	 * statement with optional filters would read every job.
	 */
	List<JobRow> list(@Nullable JobState state, @Nullable String sandbox, int limit) {
		String where;
		if (state != null && sandbox != null) {
			where = "WHERE j.state = :state AND j.sandbox = :sandbox ORDER BY j.state DESC, j.sandbox DESC, j.id DESC";
		}
		else if (state != null) {
			where = "WHERE j.state = :state ORDER BY j.state DESC, j.id DESC";
		}
		else if (sandbox != null) {
			where = "WHERE j.sandbox = :sandbox ORDER BY j.sandbox DESC, j.id DESC";
		}
		else {
			where = "ORDER BY j.id DESC";
		}
		var statement = this.jdbc.sql(SELECT_JOB + where + " LIMIT :limit").param("limit", limit);
		if (state != null) {
			statement.param("state", state.name());
		}
		if (sandbox != null) {
			statement.param("sandbox", sandbox);
		}
		return statement.query(JobRepository::row).list();
	}

	/**
	 * The sandbox's jobs that have not ended (QUEUED, SNAPSHOTTING, RUNNING), oldest
	 * first.
	 */
	List<JobRow> unfinishedIn(String sandbox) {
		return this.jdbc.sql(SELECT_JOB + """
				WHERE j.state IN ('QUEUED', 'SNAPSHOTTING', 'RUNNING') AND j.sandbox = :sandbox ORDER BY j.id
				""").param("sandbox", sandbox).query(JobRepository::row).list();
	}

	int countInState(JobState state) {
		return this.jdbc.sql("SELECT COUNT(*) FROM jobs WHERE state = :state")
			.param("state", state.name())
			.query(Integer.class)
			.single();
	}

	List<JobRow> inStates(JobState... states) {
		return this.jdbc.sql(SELECT_JOB + " WHERE j.state IN (:states) ORDER BY j.id")
			.param("states", java.util.Arrays.stream(states).map(JobState::name).toList())
			.query(JobRepository::row)
			.list();
	}

	/**
	 * The oldest queued job of every sandbox that has no active job and is neither leased
	 * nor quarantined, oldest first: the only jobs that may be claimed now, which keeps
	 * each sandbox's queue in submission order. (The claim itself re-checks, atomically.)
	 */
	List<JobRow> claimable(int limit) {
		return claimable(limit, (job) -> true, java.util.Comparator.comparing(JobRow::id));
	}

	/**
	 * As {@link #claimable(int)}, among the jobs {@code eligible} accepts, in
	 * {@code order}.
	 */
	List<JobRow> claimable(int limit, java.util.function.Predicate<JobRow> eligible,
			java.util.Comparator<JobRow> order) {
		java.util.Set<String> unavailable = this.leases.unavailable();
		return this.jdbc
			.sql(SELECT_JOB
					+ """
							WHERE j.state = 'QUEUED'
							  AND NOT EXISTS (SELECT 1 FROM jobs q WHERE q.state = 'QUEUED' AND q.sandbox = j.sandbox AND q.id < j.id)
							  AND NOT EXISTS (SELECT 1 FROM jobs a WHERE a.active_sandbox = j.sandbox)
							ORDER BY j.id
							""")
			.query(JobRepository::row)
			.list()
			.stream() // list(): a JdbcClient stream holds its connection open
			.filter((job) -> !unavailable.contains(job.sandbox()))
			.filter(eligible)
			.sorted(order)
			.limit(limit)
			.toList();
	}

	/**
	 * Says on every queued job whose sandbox waits why it waits ({@code away} answers, by
	 * sandbox, for the queued jobs' sandboxes: its cluster member is away), with a
	 * history row when the reason is new, and clears the reason of queued jobs whose
	 * sandbox waits no more. Returns how many jobs changed.
	 */
	int noteWaiting(java.util.function.Function<Collection<String>, Map<String, String>> away, Instant now) {
		record Queued(long id, String sandbox, @Nullable String reason) {
		}
		List<Queued> queued = this.jdbc.sql("SELECT id, sandbox, reason FROM jobs WHERE state = 'QUEUED'")
			.query((rs, row) -> new Queued(rs.getLong("id"), rs.getString("sandbox"), rs.getString("reason")))
			.list();
		Map<String, String> reasons = away.apply(queued.stream().map(Queued::sandbox).distinct().toList());
		int changed = 0;
		for (Queued job : queued) {
			String why = reasons.get(job.sandbox());
			String reason = (why != null) ? "waiting: " + why + "; it starts once the member is back" : null;
			if (java.util.Objects.equals(reason, job.reason())) {
				continue;
			}
			int rows = this.jdbc.sql("UPDATE jobs SET reason = :reason WHERE id = :id AND state = 'QUEUED'")
				.param("reason", (reason != null) ? truncate(reason, 4000) : null, java.sql.Types.VARCHAR)
				.param("id", job.id())
				.update();
			if (rows == 1) {
				changed++;
				addHistory(job.id(), JobState.QUEUED, (reason != null) ? "WAITING" : "WAIT_OVER",
						(reason != null) ? reason : "its sandbox's cluster member answers again", now);
			}
		}
		if (changed > 0) {
			this.changes.changed();
		}
		return changed;
	}

	/**
	 * Puts a claimed job back in the queue before anything was done to its sandbox (its
	 * cluster member went away between the claim and the snapshot): the lease is released
	 * and {@code reason} says why it waits.
	 */
	void release(long id, Instant now, String reason) {
		transition(id, JobState.SNAPSHOTTING, JobState.QUEUED, now, reason);
	}

	/**
	 * Jobs this daemon run holds a sandbox for (its share of
	 * {@code dilxc.jobs.max-concurrent-jobs}: each daemon sharing a store runs up to its
	 * own limit on its own host), counted off the (daemon_id, state) index.
	 */
	int countActive() {
		return this.jdbc.sql("SELECT COUNT(*) FROM jobs WHERE daemon_id = :me AND state IN ('SNAPSHOTTING', 'RUNNING')")
			.param("me", this.daemon.id())
			.query(Integer.class)
			.single();
	}

	/**
	 * Claims a queued job for its sandbox, taking the sandbox's lease in the same
	 * transaction. Returns false when another worker got there first, the sandbox already
	 * has an active job (the UNIQUE {@code active_sandbox} column says no), an operation
	 * holds its lease, or it is quarantined.
	 */
	boolean claim(JobRow job, Instant now) {
		return claim(job, now, null);
	}

	/**
	 * As {@link #claim(JobRow, Instant)}, recording the cluster member that holds the
	 * sandbox (null outside a cluster).
	 */
	boolean claim(JobRow job, Instant now, @Nullable String member) {
		try {
			transition(job.id(), JobState.QUEUED, JobState.SNAPSHOTTING, now, (member != null)
					? "claimed by the worker (sandbox on cluster member " + member + ")" : "claimed by the worker",
					member);
			return true;
		}
		catch (DuplicateKeyException | IllegalJobTransitionException | SandboxUnavailableException ex) {
			return false;
		}
	}

	/** Rolls a claim back: the sandbox is quarantined. */
	private static final class SandboxUnavailableException extends RuntimeException {

		SandboxUnavailableException() {
			super(null, null, false, false);
		}

	}

	/**
	 * Moves a job from one state to another if it is still in {@code from}, recording the
	 * change and its reason. Terminal states release the sandbox and keep the reason on
	 * the job.
	 */
	void transition(long id, JobState from, JobState to, Instant now, String reason) {
		transition(id, from, to, now, reason, null);
	}

	private void transition(long id, JobState from, JobState to, Instant now, String reason, @Nullable String member) {
		JobTransitions.check(id, from, to);
		this.transactions.executeWithoutResult((status) -> {
			StringBuilder sql = new StringBuilder("UPDATE jobs SET state = :to, version = version + 1");
			if (to == JobState.SNAPSHOTTING) {
				// A waiting reason (its member was away) no longer holds.
				sql.append(", active_sandbox = sandbox, daemon_id = :daemon, member = :member, reason = NULL");
			}
			if (to == JobState.QUEUED) {
				// Released before its snapshot (JobExecution): queued again, waiting for
				// the reason given, as if never claimed.
				sql.append(", active_sandbox = NULL, daemon_id = NULL, member = NULL, reason = :reason");
			}
			if (to == JobState.RUNNING) {
				sql.append(", started_at = :now");
			}
			if (to.isTerminal()) {
				sql.append(", finished_at = :now, active_sandbox = NULL, reason = :reason");
			}
			sql.append(" WHERE id = :id AND state = :from");
			int rows = this.jdbc.sql(sql.toString())
				.param("to", to.name())
				.param("from", from.name())
				.param("id", id)
				.param("now", timestamp(now))
				.param("reason", truncate(reason, 4000))
				.param("daemon", this.daemon.id())
				.param("member", member, java.sql.Types.VARCHAR)
				.update();
			if (rows != 1) {
				JobState actual = find(id).map(JobRow::state).orElseThrow(() -> new JobNotFoundException(id));
				throw new IllegalJobTransitionException(id, actual, to);
			}
			if (to == JobState.SNAPSHOTTING) {
				String sandbox = this.jdbc.sql("SELECT sandbox FROM jobs WHERE id = :id")
					.param("id", id)
					.query(String.class)
					.single();
				if (!this.leases.acquireForJob(sandbox, id, now)) {
					throw new SandboxUnavailableException();
				}
			}
			if (to.isTerminal() || to == JobState.QUEUED) {
				this.leases.releaseForJob(id);
			}
			addHistory(id, to, "STATE", reason, now);
		});
		this.changes.changed();
	}

	/**
	 * Jobs holding a sandbox whose daemon run is over: it stopped without settling them,
	 * was declared dead, or the job predates daemon ids. Oldest first.
	 */
	List<JobRow> orphans() {
		return this.jdbc.sql(SELECT_JOB + """
				WHERE j.state IN ('SNAPSHOTTING', 'RUNNING') AND (j.daemon_id IS NULL OR NOT EXISTS
				  (SELECT 1 FROM daemons d WHERE d.id = j.daemon_id AND d.stopped_at IS NULL))
				ORDER BY j.id
				""").query(JobRepository::row).list();
	}

	/**
	 * Makes an orphan this daemon run's, if it is still the orphan that was read: false
	 * when another daemon took it over first (or it ended meanwhile), so exactly one
	 * daemon settles each.
	 */
	boolean adopt(JobRow orphan) {
		String previous = orphan.daemonId();
		return this.jdbc
			.sql("UPDATE jobs SET daemon_id = :me, version = version + 1 WHERE id = :id AND state = :state"
					+ ((previous != null) ? " AND daemon_id = :previous" : " AND daemon_id IS NULL"))
			.param("me", this.daemon.id())
			.param("id", orphan.id())
			.param("state", orphan.state().name())
			.param("previous", (previous != null) ? previous : "")
			.update() == 1;
	}

	/**
	 * Whether this daemon run still owns the job: false once another daemon has taken it
	 * over (this one was declared dead), and then this one must leave its sandbox alone.
	 */
	boolean ownedHere(long id) {
		return this.jdbc.sql("SELECT COUNT(*) FROM jobs WHERE id = :id AND daemon_id = :me")
			.param("id", id)
			.param("me", this.daemon.id())
			.query(Integer.class)
			.single() == 1;
	}

	/**
	 * Those of {@code ids} that have a cancel request, made through any daemon: how a
	 * cancel reaches the daemon that runs the job.
	 */
	List<Long> cancelRequested(Collection<Long> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("SELECT id FROM jobs WHERE id IN (:ids) AND cancel_requested = TRUE")
			.param("ids", ids)
			.query((rs, row) -> rs.getLong(1))
			.list();
	}

	void addHistory(long id, JobState state, String event, @Nullable String detail, Instant at) {
		this.jdbc.sql(
				"INSERT INTO job_history (job_id, at, state, event, detail) VALUES (:id, :at, :state, :event, :detail)")
			.param("id", id)
			.param("at", timestamp(at))
			.param("state", state.name())
			.param("event", event)
			.param("detail", truncate(detail, 4000))
			.update();
	}

	List<JobHistoryEntry> history(long id) {
		return this.jdbc.sql("SELECT at, state, event, detail FROM job_history WHERE job_id = :id ORDER BY job_id, id")
			.param("id", id)
			.query((rs, n) -> new JobHistoryEntry(requiredInstant(rs, "at"), JobState.valueOf(rs.getString("state")),
					rs.getString("event"), rs.getString("detail")))
			.list();
	}

	void recordSnapshot(long id, String snapshot) {
		this.jdbc.sql("UPDATE jobs SET snapshot = :snapshot WHERE id = :id")
			.param("snapshot", snapshot)
			.param("id", id)
			.update();
	}

	void recordSession(long id, @Nullable String sessionId) {
		this.jdbc.sql("UPDATE jobs SET session_id = :session WHERE id = :id")
			.param("session", sessionId)
			.param("id", id)
			.update();
	}

	void recordResult(long id, AgentReport report, @Nullable Integer exitCode) {
		this.jdbc.sql("""
				UPDATE jobs SET session_id = COALESCE(:session, session_id), cost_usd = :cost, num_turns = :turns,
				  result_subtype = :subtype, result_is_error = :isError, result_text = :text, exit_code = :exit
				WHERE id = :id
				""")
			.param("session", report.sessionId())
			.param("cost", report.costUsd())
			.param("turns", report.numTurns())
			.param("subtype", report.subtype())
			.param("isError", report.isError())
			.param("text", storable(report.resultText()))
			.param("exit", exitCode)
			.param("id", id)
			.update();
	}

	void recordOutputStats(long id, long bytes, boolean truncated) {
		this.jdbc.sql("UPDATE jobs SET output_bytes = :bytes, output_truncated = :truncated WHERE id = :id")
			.param("bytes", bytes)
			.param("truncated", truncated)
			.param("id", id)
			.update();
	}

	/**
	 * Where the working copy was when the agent started: a commit, or
	 * {@code marker:<path>} without git.
	 */
	void recordChangeBase(long id, String base) {
		this.jdbc.sql("UPDATE jobs SET change_base = :base WHERE id = :id")
			.param("base", base)
			.param("id", id)
			.update();
	}

	void recordRestoredTo(long id, String snapshot) {
		this.jdbc.sql("UPDATE jobs SET restored_to = :snapshot WHERE id = :id")
			.param("snapshot", snapshot)
			.param("id", id)
			.update();
	}

	/**
	 * Stores (or replaces) a job's captured changes and its files-changed count, in one
	 * transaction.
	 */
	void recordChanges(CapturedChanges captured) {
		JobChanges changes = captured.changes();
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.sql("DELETE FROM job_changes WHERE job_id = :id").param("id", changes.jobId()).update();
			this.jdbc
				.sql("""
						INSERT INTO job_changes (job_id, git_repository, base_commit, status, diff_stat, diff, diff_truncated,
						  files, captured_at, session_path, session_transcript)
						VALUES (:id, :git, :base, :status, :stat, :diff, :truncated, :files, :at, :sessionPath, :transcript)
						""")
				.param("id", changes.jobId())
				.param("git", changes.gitRepository())
				.param("base", changes.baseCommit())
				.param("status", changes.status())
				.param("stat", changes.diffStat())
				.param("diff", changes.diff())
				.param("truncated", changes.diffTruncated())
				.param("files", String.join("\n", changes.files()))
				.param("at", timestamp(changes.capturedAt()))
				.param("sessionPath", captured.sessionPath())
				.param("transcript", captured.sessionTranscript())
				.update();
			this.jdbc.sql("UPDATE jobs SET files_changed = :n WHERE id = :id")
				.param("n", changes.files().size())
				.param("id", changes.jobId())
				.update();
		});
	}

	Optional<JobChanges> changes(long id) {
		return this.jdbc.sql("SELECT * FROM job_changes WHERE job_id = :id").param("id", id).query((rs, n) -> {
			String files = rs.getString("files");
			return new JobChanges(rs.getLong("job_id"), rs.getBoolean("git_repository"), rs.getString("base_commit"),
					rs.getString("status"), rs.getString("diff_stat"), rs.getString("diff"),
					rs.getBoolean("diff_truncated"),
					(files == null || files.isEmpty()) ? List.of() : List.of(files.split("\n")),
					requiredInstant(rs, "captured_at"));
		}).optional();
	}

	/**
	 * The session transcript kept with a job's changes: its path in the sandbox and its
	 * bytes.
	 */
	Optional<CapturedChanges.Transcript> transcript(long id) {
		return this.jdbc.sql("""
				SELECT session_path, session_transcript FROM job_changes
				WHERE job_id = :id AND session_path IS NOT NULL AND session_transcript IS NOT NULL
				""")
			.param("id", id)
			.query((rs, n) -> new CapturedChanges.Transcript(rs.getString("session_path"),
					rs.getBytes("session_transcript")))
			.optional();
	}

	/**
	 * The newest job before {@code id} in the same sandbox whose session is
	 * {@code sessionId} and kept a transcript.
	 */
	Optional<CapturedChanges.Transcript> transcriptOfSession(String sandbox, String sessionId) {
		return this.jdbc.sql("""
				SELECT c.session_path, c.session_transcript FROM job_changes c JOIN jobs j ON j.id = c.job_id
				WHERE j.sandbox = :sandbox AND j.session_id = :session AND c.session_transcript IS NOT NULL
				ORDER BY j.id DESC LIMIT 1
				""")
			.param("sandbox", sandbox)
			.param("session", sessionId)
			.query((rs, n) -> new CapturedChanges.Transcript(rs.getString("session_path"),
					rs.getBytes("session_transcript")))
			.optional();
	}

	/**
	 * Marks a cancel request on a job that is past QUEUED; false if it had already ended.
	 */
	boolean requestCancel(long id) {
		return this.jdbc.sql("""
				UPDATE jobs SET cancel_requested = TRUE WHERE id = :id AND state IN ('SNAPSHOTTING', 'RUNNING')
				""").param("id", id).update() == 1;
	}

	void appendOutput(long id, long seq, Instant at, String stream, String text) {
		this.jdbc.sql("INSERT INTO job_output (job_id, seq, at, stream, text) VALUES (:id, :seq, :at, :stream, :text)")
			.param("id", id)
			.param("seq", seq)
			.param("at", timestamp(at))
			.param("stream", stream)
			.param("text", storable(text))
			.update();
		this.changes.changed();
	}

	JobChangeSignal changes() {
		return this.changes;
	}

	/**
	 * A page of a job's output; ordered as the primary key, so the page is read off it,
	 * not every later line sorted.
	 */
	List<OutputLine> output(long id, long after, int limit) {
		return this.jdbc.sql("""
				SELECT seq, at, stream, text FROM job_output WHERE job_id = :id AND seq > :after
				ORDER BY job_id, seq LIMIT :limit
				""")
			.param("id", id)
			.param("after", after)
			.param("limit", limit)
			.query((rs, n) -> new OutputLine(rs.getLong("seq"), requiredInstant(rs, "at"), rs.getString("stream"),
					rs.getString("text")))
			.list();
	}

	private static JobRow row(ResultSet rs, int n) throws SQLException {
		return new JobRow(rs.getLong("id"), rs.getString("sandbox"), JobState.valueOf(rs.getString("state")),
				rs.getString("prompt"), RestorePolicy.valueOf(rs.getString("restore_policy")),
				rs.getLong("timeout_seconds"), requiredInstant(rs, "submitted_at"), instant(rs, "started_at"),
				instant(rs, "finished_at"), rs.getString("snapshot"), rs.getString("session_id"),
				rs.getBigDecimal("cost_usd"), (Integer) rs.getObject("num_turns"), rs.getString("result_subtype"),
				(Boolean) rs.getObject("result_is_error"), rs.getString("result_text"),
				(Integer) rs.getObject("exit_code"), rs.getString("reason"), rs.getBoolean("cancel_requested"),
				rs.getLong("output_lines"), rs.getBoolean("output_truncated"), rs.getString("trigger_kind"),
				(Long) rs.getObject("schedule_id", Long.class), instant(rs, "scheduled_for"),
				(Long) rs.getObject("parent_job_id", Long.class), (Integer) rs.getObject("max_turns"),
				rs.getBigDecimal("max_budget_usd"), rs.getBoolean("sync_project"), rs.getString("resume_session_id"),
				rs.getString("change_base"), (Integer) rs.getObject("files_changed"), rs.getString("restored_to"),
				instant(rs, "pruned_at"), rs.getString("daemon_id"), rs.getString("member"));
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	/** A NOT NULL column's instant. */
	private static Instant requiredInstant(ResultSet rs, String column) throws SQLException {
		return Objects.requireNonNull(instant(rs, column), column);
	}

	private static OffsetDateTime timestamp(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	private String truncate(@Nullable String text, int max) {
		if (text == null) {
			return "";
		}
		String kept = storable(text);
		return (kept.length() <= max) ? kept : kept.substring(0, max - 1) + "…";
	}

	/**
	 * PostgreSQL's text cannot hold U+0000 (an agent printing binary data): it becomes
	 * U+FFFD there rather than fail the write, which would stop the job. H2 keeps it.
	 */
	@Contract("null -> null; !null -> !null")
	private @Nullable String storable(@Nullable String text) {
		return (this.nulRefused && text != null && text.indexOf('\u0000') >= 0) ? text.replace('\u0000', '\uFFFD')
				: text;
	}

}
