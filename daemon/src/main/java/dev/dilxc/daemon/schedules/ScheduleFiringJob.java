package dev.dilxc.daemon.schedules;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Quartz job: Quartz decides when, this hands the firing to
 * {@link ScheduleFiring} and returns. Each schedule has its own job detail, so
 * {@code @DisallowConcurrentExecution} keeps its firings one at a time across every
 * daemon of a clustered store (Quartz blocks the trigger in the database while one runs);
 * {@link ScheduleFiring}'s own lock only covers this daemon. Without it, slot t firing on
 * one daemon and t+1 on another could both see t unhandled: one job per slot still, but
 * t's job without its event and t counted missed.
 */
@DisallowConcurrentExecution
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
