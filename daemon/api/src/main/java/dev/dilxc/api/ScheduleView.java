package dev.dilxc.api;

import java.math.BigDecimal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A schedule as the daemon reports it.
 *
 * @param id its number
 * @param cron the expression as the user gave it
 * @param quartzCron the Quartz expression it runs as
 * @param timeZone its zone
 * @param sandbox where its runs go
 * @param prompt the prompt of every run
 * @param restorePolicy each run's restore policy
 * @param timeoutSeconds each run's limit
 * @param sync whether each run syncs the working copy first
 * @param overlap what a firing does while the previous run is going
 * @param catchUpSeconds how late a missed slot may still be run once
 * @param maxTurns each run's {@code --max-turns}, or null
 * @param maxBudgetUsd each run's {@code --max-budget-usd}, or null
 * @param maxDailyCostUsd the daily cost cap, or null
 * @param paused whether it is paused
 * @param createdAt when it was added
 * @param nextFireAt its next firing, or null when paused
 * @param lastFiredAt its last firing, or null
 * @param lastJobId the job its last run made, or null
 * @param lastJobState that job's state, or null
 */
public record ScheduleView(long id, String cron, String quartzCron, String timeZone, String sandbox, String prompt,
		RestorePolicy restorePolicy, long timeoutSeconds, boolean sync, OverlapPolicy overlap, long catchUpSeconds,
		@Nullable Integer maxTurns, @Nullable BigDecimal maxBudgetUsd, @Nullable BigDecimal maxDailyCostUsd,
		boolean paused, Instant createdAt, @Nullable Instant nextFireAt, @Nullable Instant lastFiredAt,
		@Nullable Long lastJobId, @Nullable JobState lastJobState) {
}
