package dev.dilxc.daemon.jobs;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Where a job came from, stored with it.
 *
 * @param trigger {@code manual}, {@code schedule}, {@code retry} or {@code resume}
 * @param scheduleId the schedule that fired it, or null
 * @param scheduledFor the slot it was fired for, or null
 * @param parentJobId the job it retries or resumes, or null
 * @param idempotencyKey a key no two jobs share (e.g.
 * {@code schedule:7:2026-11-28T02:00:00Z}), or null; submitting a second job with a key
 * already used returns the first job instead
 */
public record JobOrigin(String trigger, @Nullable Long scheduleId, @Nullable Instant scheduledFor,
		@Nullable Long parentJobId, @Nullable String idempotencyKey) {

	public static final JobOrigin MANUAL = new JobOrigin("manual", null, null, null, null);

	/** A schedule's firing for one slot: at most one job per schedule and slot, ever. */
	public static JobOrigin schedule(long scheduleId, Instant slot) {
		return new JobOrigin("schedule", scheduleId, slot, null, "schedule:" + scheduleId + ":" + slot);
	}
}
