package dev.dilxc.daemon.schedules;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.quartz.autoconfigure.QuartzProperties;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.dilxc.api.JobView;
import dev.dilxc.api.OverlapPolicy;
import dev.dilxc.api.ScheduleEvent;
import dev.dilxc.daemon.jobs.InvalidJobRequestException;
import dev.dilxc.daemon.jobs.JobOrigin;
import dev.dilxc.daemon.jobs.JobQueue;

/**
 * What a schedule does when Quartz fires it. Quartz's misfire handling ("fire once now")
 * rewrites the fire time, so the firing never trusts it: it works out from the schedule's
 * own {@code last_slot} which cron slots passed unhandled up to now, and handles only the
 * latest of them: one job (on time, or as a catch-up within the schedule's window), or a
 * recorded miss or skip; never one run per missed slot. The job is submitted with the key
 * schedule + slot, so a repeated firing for the slot (a Quartz retry, a crash between
 * submit and the event) gets the same job back. The event and the new {@code last_slot}
 * are written in one transaction.
 */
@Component
class ScheduleFiring {

	private static final Logger logger = LoggerFactory.getLogger(ScheduleFiring.class);

	private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

	private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	private final ScheduleRepository schedules;

	private final JobQueue queue;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final Duration onTime;

	private final Map<Long, ReentrantLock> locks = new ConcurrentHashMap<>();

	ScheduleFiring(ScheduleRepository schedules, JobQueue queue, TransactionTemplate transactions, Clock clock,
			QuartzProperties quartz) {
		this.schedules = schedules;
		this.queue = queue;
		this.transactions = transactions;
		this.clock = clock;
		this.onTime = misfireThreshold(quartz);
	}

	/**
	 * Quartz's own lateness limit: a firing later than this is a misfire, so a run this
	 * late is a catch-up.
	 */
	private static Duration misfireThreshold(QuartzProperties quartz) {
		String millis = quartz.getProperties().getOrDefault("org.quartz.jobStore.misfireThreshold", "60000");
		return Duration.ofMillis(Long.parseLong(millis.strip()));
	}

	/**
	 * Handles a firing of the schedule that Quartz meant for {@code firedAt}; returns the
	 * event it recorded, or empty when there was nothing to do (paused, removed, or no
	 * slot left unhandled: a repeated firing).
	 */
	Optional<ScheduleEvent> fire(long scheduleId, @Nullable Instant firedAt) {
		ReentrantLock lock = this.locks.computeIfAbsent(scheduleId, (id) -> new ReentrantLock());
		lock.lock();
		try {
			return fireLocked(scheduleId, firedAt);
		}
		finally {
			lock.unlock();
		}
	}

	private Optional<ScheduleEvent> fireLocked(long scheduleId, @Nullable Instant firedAt) {
		ScheduleRow schedule = this.schedules.find(scheduleId).orElse(null);
		if (schedule == null) {
			logger.warn("Schedule {} fired but no longer exists; ignored", scheduleId);
			return Optional.empty();
		}
		if (schedule.paused()) {
			return Optional.empty();
		}
		// Quartz may fire a few milliseconds before the slot by the clock; its scheduled
		// time is then "now".
		Instant now = this.clock.instant();
		if (firedAt != null && firedAt.isAfter(now)) {
			now = firedAt;
		}
		CronSchedule timing = schedule.timing();
		CronSchedule.Slots slots = timing.slotsBetween(schedule.lastSlot(), now);
		if (slots.count() == 0) {
			return Optional.empty();
		}
		Instant slot = Objects.requireNonNull(slots.latest(), "a slot was counted");
		Duration late = Duration.between(slot, now);
		boolean onTime = late.compareTo(this.onTime) <= 0;
		String earlier = earlierMissed(slots, timing.zone());
		if (!onTime && late.getSeconds() > schedule.catchUpSeconds()) {
			return record(schedule, now, slot, EventKind.MISSED, null,
					missed(slots, timing.zone()) + "; the latest was " + duration(late)
							+ " ago, more than the catch-up window of " + duration(schedule.catchUpSeconds())
							+ ", so none was run");
		}
		BigDecimal cap = schedule.maxDailyCostUsd();
		if (cap != null) {
			ZoneId zone = timing.zone();
			Instant today = now.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
			BigDecimal spent = this.queue.costOfSchedule(scheduleId, today);
			if (spent.compareTo(cap) >= 0) {
				return record(schedule, now, slot, EventKind.SKIPPED_COST_CAP, null,
						"not run: the schedule's runs cost $" + spent.stripTrailingZeros().toPlainString() + " today ("
								+ zone + "), its daily cap is $" + cap.stripTrailingZeros().toPlainString() + earlier);
			}
		}
		// The job of this very slot (a repeated firing after a crash) is no overlap:
		// submit returns it.
		List<JobView> previous = this.queue.unfinishedOfSchedule(scheduleId)
			.stream()
			.filter((job) -> !slot.equals(job.scheduledFor()))
			.toList();
		if (!previous.isEmpty() && schedule.overlap() == OverlapPolicy.SKIP) {
			return record(schedule, now, slot, EventKind.SKIPPED_OVERLAP, null,
					"not run: " + still(previous) + " (overlap policy skip)" + earlier);
		}
		JobView job;
		try {
			job = this.queue.submit(schedule.jobRequest(), JobOrigin.schedule(scheduleId, slot));
		}
		catch (InvalidJobRequestException ex) {
			return record(schedule, now, slot, EventKind.SKIPPED_INVALID, null,
					"not run: the job queue refused it: " + ex.getMessage());
		}
		String behind = previous.isEmpty() ? "" : " behind " + still(previous);
		if (onTime) {
			return record(schedule, now, slot, EventKind.ENQUEUED, job.id(),
					"queued job " + job.id() + behind + earlier);
		}
		return record(schedule, now, slot, EventKind.CATCH_UP, job.id(),
				"the " + format(slot, timing.zone()) + " slot passed while the daemon was down: queued job " + job.id()
						+ " " + duration(late) + " late, once" + behind + earlier);
	}

	/**
	 * Runs the schedule's prompt now, whatever its cron and even when paused; an overlap
	 * policy of skip still holds while a previous run is unfinished
	 * ({@link ScheduleBusyException}, recorded).
	 */
	JobView runNow(long scheduleId) {
		ReentrantLock lock = this.locks.computeIfAbsent(scheduleId, (id) -> new ReentrantLock());
		lock.lock();
		try {
			ScheduleRow schedule = this.schedules.find(scheduleId)
				.orElseThrow(() -> new ScheduleNotFoundException(scheduleId));
			Instant now = this.clock.instant();
			List<JobView> previous = this.queue.unfinishedOfSchedule(scheduleId);
			if (!previous.isEmpty() && schedule.overlap() == OverlapPolicy.SKIP) {
				this.schedules.addEvent(scheduleId, now, null, EventKind.SKIPPED_OVERLAP, null,
						"run-now not run: " + still(previous) + " (overlap policy skip)");
				JobView last = previous.get(previous.size() - 1);
				throw new ScheduleBusyException(
						"schedule " + scheduleId + " did not start another run: its previous run, " + "job " + last.id()
								+ ", is still " + last.state() + " and its overlap policy is skip; wait for "
								+ "it ('dilxc-client logs " + last.id() + "'), cancel it ('dilxc-client cancel "
								+ last.id() + "'), or re-add the schedule with --overlap queue");
			}
			// Its own key (request time), so a run-now never collides with the slot of a
			// cron firing.
			JobOrigin origin = new JobOrigin("schedule", scheduleId, now, null,
					"schedule:" + scheduleId + ":run-now:" + now);
			JobView job = this.queue.submit(schedule.jobRequest(), origin);
			String behind = previous.isEmpty() ? "" : " behind " + still(previous);
			this.schedules.addEvent(scheduleId, now, null, EventKind.RUN_NOW, job.id(),
					"queued job " + job.id() + " on request" + behind);
			return job;
		}
		finally {
			lock.unlock();
		}
	}

	private Optional<ScheduleEvent> record(ScheduleRow schedule, Instant now, Instant slot, String kind,
			@Nullable Long jobId, String detail) {
		Long eventId = this.transactions.execute((status) -> {
			if (!this.schedules.advance(schedule.id(), schedule.lastSlot(), slot)) {
				return null; // another firing handled these slots first
			}
			return this.schedules.addEvent(schedule.id(), now, slot, kind, jobId, detail);
		});
		if (eventId == null) {
			return Optional.empty();
		}
		logger.info("Schedule {} {}: {}", schedule.id(), kind, detail);
		return Optional.of(new ScheduleEvent(eventId, schedule.id(), now, slot, kind, jobId, detail));
	}

	private static String still(List<JobView> previous) {
		JobView last = previous.get(previous.size() - 1);
		return "its previous run, job " + last.id() + ", is still " + last.state();
	}

	/**
	 * "3 slots missed while the daemon was down, 2026-11-28 02:00 to 04:00
	 * (Europe/Berlin)"
	 */
	private static String missed(CronSchedule.Slots slots, ZoneId zone) {
		String count = (slots.more() ? "more than " : "") + slots.count() + " slot" + (slots.count() == 1 ? "" : "s");
		Instant latest = Objects.requireNonNull(slots.latest(), "only counted slots are missed");
		String when = (slots.count() == 1) ? format(latest, zone)
				: format(Objects.requireNonNull(slots.first(), "counted"), zone) + " to " + format(latest, zone);
		return count + " missed while the daemon was down, " + when + " (" + zone + ")";
	}

	/**
	 * "; 2 earlier slots were missed (…), not run", or empty when the latest slot was the
	 * only one.
	 */
	private static String earlierMissed(CronSchedule.Slots slots, ZoneId zone) {
		if (slots.count() < 2) {
			return "";
		}
		int earlier = slots.count() - 1;
		String from = format(Objects.requireNonNull(slots.first(), "counted"), zone);
		return "; " + (slots.more() ? "more than " : "") + earlier + " earlier slot"
				+ (earlier == 1 ? " was" : "s were") + " missed while the daemon was down (from " + from + ", " + zone
				+ "), not run";
	}

	static String format(Instant instant, ZoneId zone) {
		var local = instant.atZone(zone);
		return (local.getSecond() == 0 ? MINUTES : SECONDS).format(local);
	}

	static String duration(Duration duration) {
		return duration(duration.getSeconds());
	}

	/** "6h", "1h 10m", "45s", "2d 3h". */
	static String duration(long seconds) {
		if (seconds < 60) {
			return seconds + "s";
		}
		long days = seconds / 86_400;
		long hours = (seconds % 86_400) / 3600;
		long minutes = (seconds % 3600) / 60;
		StringBuilder text = new StringBuilder();
		if (days > 0) {
			text.append(days).append("d ");
		}
		if (hours > 0) {
			text.append(hours).append("h ");
		}
		if (minutes > 0 && days == 0) {
			text.append(minutes).append("m ");
		}
		return text.toString().strip();
	}

}
