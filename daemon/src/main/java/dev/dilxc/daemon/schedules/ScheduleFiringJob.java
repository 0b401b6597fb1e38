package dev.dilxc.daemon.schedules;

import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Quartz job: Quartz decides when, this hands the firing to
 * {@link ScheduleFiring} and returns. No {@code @DisallowConcurrentExecution}: a firing
 * is idempotent (one job per schedule and slot), and {@link ScheduleFiring} serialises
 * firings of one schedule itself.
 */
class ScheduleFiringJob implements Job {

	private static final Logger logger = LoggerFactory.getLogger(ScheduleFiringJob.class);

	private final ScheduleFiring firing;

	ScheduleFiringJob(ScheduleFiring firing) {
		this.firing = firing;
	}

	@Override
	public void execute(JobExecutionContext context) {
		long scheduleId = ScheduleTriggers.scheduleId(context.getJobDetail().getKey());
		try {
			this.firing.fire(scheduleId, context.getScheduledFireTime().toInstant());
		}
		catch (RuntimeException ex) {
			// Not rethrown: Quartz would only log it too. The slot stays unhandled, so
			// the next firing
			// accounts for it (one run for the latest slot, the earlier one counted as
			// missed).
			logger.error("Firing schedule {} failed; its next firing will account for this slot", scheduleId, ex);
		}
	}

}
