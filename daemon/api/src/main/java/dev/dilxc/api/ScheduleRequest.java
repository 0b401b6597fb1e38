package dev.dilxc.api;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;

/**
 * {@code schedule add}: a recurring job. Only {@code cron} and {@code prompt} are
 * required; null means the daemon's default.
 *
 * @param cron Quartz's 6/7-field syntax, a 5-field crontab line, or a macro
 * ({@code @daily}, {@code @hourly}, {@code @weekly}, {@code @monthly}, {@code @yearly})
 * @param timeZone an IANA zone ({@code Europe/Berlin}); null for the daemon's zone
 * @param sandbox the sandbox to run in
 * @param restorePolicy each run's restore policy
 * @param timeoutSeconds each run's time limit, in time the machine is awake
 * @param sync refresh the working copy from the project before each run
 * @param overlap what to do when the previous run is still going (default {@code SKIP})
 * @param catchUpSeconds after the daemon was down across a firing: run once if the last
 * missed slot is at most this old, else record it as missed (default the daemon's)
 * @param maxTurns each run's {@code --max-turns}
 * @param maxBudgetUsd each run's {@code --max-budget-usd}
 * @param maxDailyCostUsd stop starting runs of this schedule once its runs cost this much
 * in a day (the schedule's zone), or null for no cap
 * @param prompt the prompt of every run
 */
public record ScheduleRequest(@Nullable String cron, @Nullable String timeZone, @Nullable String sandbox,
		@Nullable RestorePolicy restorePolicy, @Nullable Long timeoutSeconds, @Nullable Boolean sync,
		@Nullable OverlapPolicy overlap, @Nullable Long catchUpSeconds, @Nullable Integer maxTurns,
		@Nullable BigDecimal maxBudgetUsd, @Nullable BigDecimal maxDailyCostUsd, @Nullable String prompt) {
}
