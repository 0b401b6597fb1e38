package dev.dilxc.api;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One thing that happened to a schedule; kept across daemon restarts.
 *
 * @param id its number
 * @param scheduleId the schedule
 * @param at when it happened
 * @param slot the cron slot it concerns, or null (e.g. for PAUSED)
 * @param kind {@code ENQUEUED}, {@code CATCH_UP} (a missed slot run late, once),
 * {@code MISSED} (slots missed while the daemon was down, not run),
 * {@code SKIPPED_OVERLAP}, {@code SKIPPED_COST_CAP}, {@code RUN_NOW}, {@code PAUSED},
 * {@code RESUMED}, {@code CREATED}; also {@code SKIPPED_INVALID} (the job queue refused
 * the run, e.g. after a limit was lowered) and {@code DELETED} (the schedule was removed;
 * its events are kept)
 * @param jobId the job it made, or null
 * @param detail what happened, in words (e.g. "3 slots missed while the daemon was down,
 * 02:00 to 04:00")
 */
public record ScheduleEvent(long id, long scheduleId, Instant at, @Nullable Instant slot, String kind,
		@Nullable Long jobId, String detail) {
}
