package dev.dilxc.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/report?since=&until=}: the morning review. Every job submitted in the
 * window (oldest first), the schedule events in it that made no job (missed, skipped),
 * and totals.
 *
 * @param since the window's start
 * @param until the window's end
 * @param jobs the jobs, oldest first
 * @param scheduleEvents MISSED and SKIPPED_* events in the window
 * @param totals sums over {@code jobs}
 * @param quarantined the sandboxes that need attention now (whatever the window), oldest
 * first
 */
public record ReportView(Instant since, Instant until, List<JobView> jobs, List<ScheduleEvent> scheduleEvents,
		Totals totals, List<QuarantineView> quarantined) {

	/**
	 * @param jobs how many jobs
	 * @param succeeded how many SUCCEEDED
	 * @param failed how many FAILED, TIMED_OUT or INTERRUPTED
	 * @param cancelled how many CANCELLED
	 * @param unfinished how many are still queued or running
	 * @param restored how many were restored afterwards
	 * @param costUsd total cost
	 * @param turns total turns
	 * @param filesChanged total files changed
	 * @param runSeconds total agent run time
	 */
	public record Totals(int jobs, int succeeded, int failed, int cancelled, int unfinished, int restored,
			BigDecimal costUsd, int turns, int filesChanged, long runSeconds) {
	}
}
