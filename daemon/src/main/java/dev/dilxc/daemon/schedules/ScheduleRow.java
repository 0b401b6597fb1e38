package dev.dilxc.daemon.schedules;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;

import org.jspecify.annotations.Nullable;

import dev.dilxc.api.OverlapPolicy;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.SubmitJobRequest;

/**
 * One row of {@code schedules}: what the user asked for, with the daemon's defaults
 * filled in.
 */
record ScheduleRow(long id, String cron, String quartzCron, String timeZone, String sandbox, String prompt,
		RestorePolicy restorePolicy, long timeoutSeconds, boolean sync, OverlapPolicy overlap, long catchUpSeconds,
		@Nullable Integer maxTurns, @Nullable BigDecimal maxBudgetUsd, @Nullable BigDecimal maxDailyCostUsd,
		boolean paused, Instant createdAt, Instant lastSlot) {

	CronSchedule timing() {
		return new CronSchedule(this.cron, this.quartzCron, ZoneId.of(this.timeZone));
	}

	/** What each run submits. */
	SubmitJobRequest jobRequest() {
		return new SubmitJobRequest(this.prompt, this.sandbox, this.restorePolicy, this.timeoutSeconds, this.maxTurns,
				this.maxBudgetUsd, this.sync);
	}
}
