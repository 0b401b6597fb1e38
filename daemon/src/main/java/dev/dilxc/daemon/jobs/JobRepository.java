package dev.dilxc.daemon.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import dev.dilxc.api.JobHistoryEntry;
import dev.dilxc.api.JobState;
import dev.dilxc.api.OutputLine;
import dev.dilxc.api.RestorePolicy;

/**
 * The job tables in plain SQL. Every state change is one guarded UPDATE ({@code WHERE state = :from})
 * checked against {@link JobTransitions} and written with its history row in one transaction.
 */
@Repository
class JobRepository {

	private static final String SELECT_JOB = """
			SELECT j.*, (SELECT COALESCE(MAX(o.seq), 0) FROM job_output o WHERE o.job_id = j.id) AS output_lines
			FROM jobs j
			""";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	JobRepository(JdbcClient jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	/** Stores a new QUEUED job and its first history entry; returns its id. */
	long insert(String sandbox, String prompt, RestorePolicy policy, long timeoutSeconds, Instant now) {
		return this.transactions.execute((status) -> {
			var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
			this.jdbc.sql("""
					INSERT INTO jobs (sandbox, state, prompt, restore_policy, timeout_seconds, submitted_at)
					VALUES (:sandbox, 'QUEUED', :prompt, :policy, :timeout, :now)
					""")
				.param("sandbox", sandbox)
				.param("prompt", prompt)
				.param("policy", policy.name())
				.param("timeout", timeoutSeconds)
				.param("now", timestamp(now))
				.update(keys, "id");
			long id = keys.getKeyAs(Long.class);
			addHistory(id, JobState.QUEUED, "STATE", "submitted", now);
			return id;
		});
	}

	Optional<JobRow> find(long id) {
		return this.jdbc.sql(SELECT_JOB + " WHERE j.id = :id").param("id", id).query(JobRepository::row).optional();
	}

	/** Newest first, optionally only one state and/or one sandbox. */
	List<JobRow> list(JobState state, String sandbox, int limit) {
		return this.jdbc.sql(SELECT_JOB + """
				WHERE (CAST(:state AS VARCHAR) IS NULL OR j.state = :state)
				  AND (CAST(:sandbox AS VARCHAR) IS NULL OR j.sandbox = :sandbox)
				ORDER BY j.id DESC LIMIT :limit
				""")
			.param("state", (state != null) ? state.name() : null)
			.param("sandbox", sandbox)
			.param("limit", limit)
			.query(JobRepository::row)
			.list();
	}

	List<JobRow> inStates(JobState... states) {
		return this.jdbc.sql(SELECT_JOB + " WHERE j.state IN (:states) ORDER BY j.id")
			.param("states", java.util.Arrays.stream(states).map(JobState::name).toList())
			.query(JobRepository::row)
			.list();
	}

	/**
	 * The oldest queued job of every sandbox that has no active job, oldest first: the only jobs that
	 * may be claimed now, which keeps each sandbox's queue in submission order.
	 */
	List<JobRow> claimable(int limit) {
		return this.jdbc.sql(SELECT_JOB + """
				WHERE j.state = 'QUEUED'
				  AND j.id = (SELECT MIN(q.id) FROM jobs q WHERE q.state = 'QUEUED' AND q.sandbox = j.sandbox)
				  AND NOT EXISTS (SELECT 1 FROM jobs a WHERE a.active_sandbox = j.sandbox)
				ORDER BY j.id LIMIT :limit
				""").param("limit", limit).query(JobRepository::row).list();
	}

	int countActive() {
		return this.jdbc.sql("SELECT COUNT(*) FROM jobs WHERE active_sandbox IS NOT NULL").query(Integer.class).single();
	}

	/**
	 * Claims a queued job for its sandbox. Returns false when another worker got there first or the
	 * sandbox already has an active job (the UNIQUE {@code active_sandbox} column says no).
	 */
	boolean claim(JobRow job, Instant now) {
		try {
			transition(job.id(), JobState.QUEUED, JobState.SNAPSHOTTING, now, "claimed by the worker");
			return true;
		}
		catch (DuplicateKeyException | IllegalJobTransitionException ex) {
			return false;
		}
	}

	/**
	 * Moves a job from one state to another if it is still in {@code from}, recording the change and
	 * its reason. Terminal states release the sandbox and keep the reason on the job.
	 */
	void transition(long id, JobState from, JobState to, Instant now, String reason) {
		JobTransitions.check(id, from, to);
		this.transactions.executeWithoutResult((status) -> {
			StringBuilder sql = new StringBuilder("UPDATE jobs SET state = :to, version = version + 1");
			if (to == JobState.SNAPSHOTTING) {
				sql.append(", active_sandbox = sandbox");
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
				.update();
			if (rows != 1) {
				JobState actual = find(id).map(JobRow::state).orElseThrow(() -> new JobNotFoundException(id));
				throw new IllegalJobTransitionException(id, actual, to);
			}
			addHistory(id, to, "STATE", reason, now);
		});
	}

	void addHistory(long id, JobState state, String event, String detail, Instant at) {
		this.jdbc.sql("INSERT INTO job_history (job_id, at, state, event, detail) VALUES (:id, :at, :state, :event, :detail)")
			.param("id", id)
			.param("at", timestamp(at))
			.param("state", state.name())
			.param("event", event)
			.param("detail", truncate(detail, 4000))
			.update();
	}

	List<JobHistoryEntry> history(long id) {
		return this.jdbc.sql("SELECT at, state, event, detail FROM job_history WHERE job_id = :id ORDER BY id")
			.param("id", id)
			.query((rs, n) -> new JobHistoryEntry(instant(rs, "at"), JobState.valueOf(rs.getString("state")),
					rs.getString("event"), rs.getString("detail")))
			.list();
	}

	void recordSnapshot(long id, String snapshot) {
		this.jdbc.sql("UPDATE jobs SET snapshot = :snapshot WHERE id = :id").param("snapshot", snapshot).param("id", id).update();
	}

	void recordSession(long id, String sessionId) {
		this.jdbc.sql("UPDATE jobs SET session_id = :session WHERE id = :id").param("session", sessionId).param("id", id).update();
	}

	void recordResult(long id, AgentReport report, Integer exitCode) {
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
			.param("text", report.resultText())
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

	/** Marks a cancel request on a job that is past QUEUED; false if it had already ended. */
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
			.param("text", text)
			.update();
	}

	List<OutputLine> output(long id, long after, int limit) {
		return this.jdbc.sql("""
				SELECT seq, at, stream, text FROM job_output WHERE job_id = :id AND seq > :after ORDER BY seq LIMIT :limit
				""")
			.param("id", id)
			.param("after", after)
			.param("limit", limit)
			.query((rs, n) -> new OutputLine(rs.getLong("seq"), instant(rs, "at"), rs.getString("stream"),
					rs.getString("text")))
			.list();
	}

	private static JobRow row(ResultSet rs, int n) throws SQLException {
		return new JobRow(rs.getLong("id"), rs.getString("sandbox"), JobState.valueOf(rs.getString("state")),
				rs.getString("prompt"), RestorePolicy.valueOf(rs.getString("restore_policy")), rs.getLong("timeout_seconds"),
				instant(rs, "submitted_at"), instant(rs, "started_at"), instant(rs, "finished_at"), rs.getString("snapshot"),
				rs.getString("session_id"), rs.getBigDecimal("cost_usd"), (Integer) rs.getObject("num_turns"),
				rs.getString("result_subtype"), (Boolean) rs.getObject("result_is_error"), rs.getString("result_text"),
				(Integer) rs.getObject("exit_code"), rs.getString("reason"), rs.getBoolean("cancel_requested"),
				rs.getLong("output_lines"), rs.getBoolean("output_truncated"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime timestamp(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	private static String truncate(String text, int max) {
		if (text == null) {
			return "";
		}
		return (text.length() <= max) ? text : text.substring(0, max - 1) + "…";
	}

}
