package dev.dilxc.daemon.schedules;

import java.util.Set;
import java.util.TimeZone;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.springframework.stereotype.Component;

/**
 * The Quartz side of schedules: one job and one cron trigger per schedule row, named
 * {@code schedule-<id>} in group {@code dilxc-schedules}, derived from the row. Quartz's
 * "fire once now" misfire instruction means a daemon that was down fires each schedule
 * once when it is back; {@link ScheduleFiring} decides what that firing does.
 */
@Component
class ScheduleTriggers {

	static final String GROUP = "dilxc-schedules";

	private static final String PREFIX = "schedule-";

	private final Scheduler scheduler;

	ScheduleTriggers(Scheduler scheduler) {
		this.scheduler = scheduler;
	}

	/** Creates or replaces the schedule's trigger (paused if the row is). */
	void schedule(ScheduleRow row) {
		JobKey job = jobKey(row.id());
		JobDetail detail = JobBuilder.newJob(ScheduleFiringJob.class)
			.withIdentity(job)
			.withDescription("fires schedule " + row.id())
			.requestRecovery(false) // a firing only enqueues, and a lost one is caught up
									// from last_slot
			.build();
		Trigger trigger = TriggerBuilder.newTrigger()
			.withIdentity(triggerKey(row.id()))
			.forJob(job)
			.withSchedule(CronScheduleBuilder.cronSchedule(row.quartzCron())
				.inTimeZone(TimeZone.getTimeZone(row.timing().zone()))
				.withMisfireHandlingInstructionFireAndProceed())
			.startNow()
			.build();
		quartz(() -> {
			this.scheduler.scheduleJob(detail, Set.of(trigger), true);
			if (row.paused()) {
				this.scheduler.pauseTrigger(trigger.getKey());
			}
		});
	}

	/**
	 * Whether the schedule's trigger exists and matches the row (expression, zone,
	 * paused).
	 */
	boolean matches(ScheduleRow row) {
		return quartz(() -> {
			if (!(this.scheduler.getTrigger(triggerKey(row.id())) instanceof CronTrigger cron)) {
				return false;
			}
			boolean paused = this.scheduler.getTriggerState(cron.getKey()) == Trigger.TriggerState.PAUSED;
			return cron.getCronExpression().equals(row.quartzCron())
					&& cron.getTimeZone().getID().equals(row.timeZone()) && paused == row.paused();
		});
	}

	void pause(long id) {
		quartz(() -> this.scheduler.pauseTrigger(triggerKey(id)));
	}

	void resume(long id) {
		quartz(() -> this.scheduler.resumeTrigger(triggerKey(id)));
	}

	void unschedule(long id) {
		quartz(() -> this.scheduler.deleteJob(jobKey(id)));
	}

	/** The ids of every schedule that has a Quartz job. */
	Set<Long> scheduledIds() {
		return quartz(() -> this.scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))
			.stream()
			.map(ScheduleTriggers::scheduleId)
			.collect(Collectors.toSet()));
	}

	static long scheduleId(JobKey key) {
		return Long.parseLong(key.getName().substring(PREFIX.length()));
	}

	private static JobKey jobKey(long id) {
		return JobKey.jobKey(PREFIX + id, GROUP);
	}

	private static TriggerKey triggerKey(long id) {
		return TriggerKey.triggerKey(PREFIX + id, GROUP);
	}

	private interface QuartzCall<T extends @Nullable Object> {

		T call() throws SchedulerException;

	}

	private interface QuartzAction {

		void run() throws SchedulerException;

	}

	private static <T extends @Nullable Object> T quartz(QuartzCall<T> call) {
		try {
			return call.call();
		}
		catch (SchedulerException ex) {
			throw new IllegalStateException("Quartz failed: " + ex.getMessage(), ex);
		}
	}

	private static void quartz(QuartzAction action) {
		ScheduleTriggers.<@Nullable Void>quartz(() -> {
			action.run();
			return null;
		});
	}

}
