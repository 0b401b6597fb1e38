package dev.dilxc.daemon.schedules;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import dev.dilxc.api.OverlapPolicy;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.ScheduleEvent;

/**
 * The {@code schedules} and {@code schedule_events} tables in plain SQL; callers own the
 * transactions.
 */
@Repository
class ScheduleRepository {

	/**
	 * Event kinds that are a firing (as opposed to PAUSED, RESUMED, CREATED, DELETED).
	 */
	static final List<String> FIRINGS = List.of(EventKind.ENQUEUED, EventKind.CATCH_UP, EventKind.MISSED,
			EventKind.SKIPPED_OVERLAP, EventKind.SKIPPED_COST_CAP, EventKind.SKIPPED_INVALID, EventKind.RUN_NOW);

	/**
	 * Event kinds that made no job although a slot came: what the morning report lists.
	 */
	static final List<String> NO_JOB = List.of(EventKind.MISSED, EventKind.SKIPPED_OVERLAP, EventKind.SKIPPED_COST_CAP,
			EventKind.SKIPPED_INVALID);

	private final JdbcClient jdbc;

	ScheduleRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Stores a schedule whose slots count from {@code createdAt}; returns its id. */
	long insert(ScheduleRow row) {
		GeneratedKeyHolder keys = new GeneratedKeyHolder();
		this.jdbc.sql("""
				INSERT INTO schedules (cron, quartz_cron, time_zone, sandbox, prompt, restore_policy, timeout_seconds,
				  sync_project, overlap, catch_up_seconds, max_turns, max_budget_usd, max_daily_cost_usd, paused,
				  created_at, last_slot)
				VALUES (:cron, :quartz, :zone, :sandbox, :prompt, :policy, :timeout, :sync, :overlap, :catchUp, :turns,
				  :budget, :cap, FALSE, :created, :created)
				""")
			.param("cron", row.cron())
			.param("quartz", row.quartzCron())
			.param("zone", row.timeZone())
			.param("sandbox", row.sandbox())
			.param("prompt", row.prompt())
			.param("policy", row.restorePolicy().name())
			.param("timeout", row.timeoutSeconds())
			.param("sync", row.sync())
			.param("overlap", row.overlap().name())
			.param("catchUp", row.catchUpSeconds())
			.param("turns", row.maxTurns())
			.param("budget", row.maxBudgetUsd())
			.param("cap", row.maxDailyCostUsd())
			.param("created", timestamp(row.createdAt()))
			.update(keys, "id");
		return Objects.requireNonNull(keys.getKeyAs(Long.class), "the generated id");
	}

	Optional<ScheduleRow> find(long id) {
		return this.jdbc.sql("SELECT * FROM schedules WHERE id = :id")
			.param("id", id)
			.query(ScheduleRepository::row)
			.optional();
	}

	List<ScheduleRow> all() {
		return this.jdbc.sql("SELECT * FROM schedules ORDER BY id").query(ScheduleRepository::row).list();
	}

	/** Sets paused, and (on resume) the last handled slot; false if it was already so. */
	boolean setPaused(long id, boolean paused, @Nullable Instant lastSlot) {
		return this.jdbc.sql("""
				UPDATE schedules SET paused = :paused, last_slot = COALESCE(:slot, last_slot)
				WHERE id = :id AND paused <> :paused
				""")
			.param("paused", paused)
			.param("slot", (lastSlot != null) ? timestamp(lastSlot) : null)
			.param("id", id)
			.update() == 1;
	}

	/**
	 * Moves the last handled slot from {@code from} to {@code to}; false if another
	 * firing moved it first.
	 */
	boolean advance(long id, Instant from, Instant to) {
		return this.jdbc.sql("UPDATE schedules SET last_slot = :to WHERE id = :id AND last_slot = :from")
			.param("to", timestamp(to))
			.param("from", timestamp(from))
			.param("id", id)
			.update() == 1;
	}

	boolean delete(long id) {
		return this.jdbc.sql("DELETE FROM schedules WHERE id = :id").param("id", id).update() == 1;
	}

	long addEvent(long scheduleId, Instant at, @Nullable Instant slot, String kind, @Nullable Long jobId,
			String detail) {
		GeneratedKeyHolder keys = new GeneratedKeyHolder();
		this.jdbc.sql("""
				INSERT INTO schedule_events (schedule_id, at, slot, kind, job_id, detail)
				VALUES (:schedule, :at, :slot, :kind, :job, :detail)
				""")
			.param("schedule", scheduleId)
			.param("at", timestamp(at))
			.param("slot", (slot != null) ? timestamp(slot) : null)
			.param("kind", kind)
			.param("job", jobId)
			.param("detail", (detail.length() > 4000) ? detail.substring(0, 3997) + "..." : detail)
			.update(keys, "id");
		return Objects.requireNonNull(keys.getKeyAs(Long.class), "the generated id");
	}

	/** A schedule's events, newest first. */
	List<ScheduleEvent> events(long scheduleId, int limit) {
		return this.jdbc
			.sql("""
					SELECT * FROM schedule_events WHERE schedule_id = :schedule ORDER BY schedule_id DESC, id DESC LIMIT :limit
					""")
			.param("schedule", scheduleId)
			.param("limit", limit)
			.query(ScheduleRepository::event)
			.list();
	}

	/** Events of {@code kinds} in {@code [since, until)}, oldest first. */
	List<ScheduleEvent> eventsBetween(Instant since, Instant until, List<String> kinds) {
		return this.jdbc.sql("""
				SELECT * FROM schedule_events WHERE at >= :since AND at < :until AND kind IN (:kinds) ORDER BY at, id
				""")
			.param("since", timestamp(since))
			.param("until", timestamp(until))
			.param("kinds", kinds)
			.query(ScheduleRepository::event)
			.list();
	}

	/**
	 * When the schedule last fired (ran, missed or skipped a slot), or null: its events
	 * newest first off the index until the first firing, which is nearly always the
	 * newest event (a MAX would read every firing).
	 */
	@Nullable Instant lastFiredAt(long scheduleId) {
		return this.jdbc.sql("""
				SELECT at FROM schedule_events WHERE schedule_id = :schedule AND kind IN (:kinds)
				ORDER BY schedule_id DESC, at DESC LIMIT 1
				""")
			.param("schedule", scheduleId)
			.param("kinds", FIRINGS)
			.query((rs, n) -> instant(rs, 1))
			.optional()
			.orElse(null);
	}

	private static ScheduleRow row(ResultSet rs, int n) throws SQLException {
		return new ScheduleRow(rs.getLong("id"), rs.getString("cron"), rs.getString("quartz_cron"),
				rs.getString("time_zone"), rs.getString("sandbox"), rs.getString("prompt"),
				RestorePolicy.valueOf(rs.getString("restore_policy")), rs.getLong("timeout_seconds"),
				rs.getBoolean("sync_project"), OverlapPolicy.valueOf(rs.getString("overlap")),
				rs.getLong("catch_up_seconds"), rs.getObject("max_turns", Integer.class),
				rs.getBigDecimal("max_budget_usd"), rs.getBigDecimal("max_daily_cost_usd"), rs.getBoolean("paused"),
				requiredInstant(rs, "created_at"), requiredInstant(rs, "last_slot"));
	}

	private static ScheduleEvent event(ResultSet rs, int n) throws SQLException {
		return new ScheduleEvent(rs.getLong("id"), rs.getLong("schedule_id"), requiredInstant(rs, "at"),
				instant(rs, "slot"), rs.getString("kind"), rs.getObject("job_id", Long.class), rs.getString("detail"));
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	/** A NOT NULL column's instant. */
	private static Instant requiredInstant(ResultSet rs, String column) throws SQLException {
		return Objects.requireNonNull(instant(rs, column), column);
	}

	private static @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime timestamp(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
