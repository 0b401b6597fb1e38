package dev.dilxc.daemon.schedules;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.dilxc.api.JobView;
import dev.dilxc.api.OverlapPolicy;
import dev.dilxc.api.ScheduleDetails;
import dev.dilxc.api.ScheduleRequest;
import dev.dilxc.api.ScheduleView;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.jobs.JobQueue;

/**
 * The schedules feature's API: add, list, show, pause, resume, remove and run-now. A
 * schedule's row is the truth; its Quartz trigger is written in the same transaction
 * (Spring's Quartz job store joins it), so the two never disagree after a crash.
 */
@Service
public class Schedules {

	/** Events shown by {@link #details(long)}, newest first. */
	private static final int EVENTS_SHOWN = 200;

	private final ScheduleRepository schedules;

	private final ScheduleTriggers triggers;

	private final ScheduleFiring firing;

	private final JobQueue queue;

	private final SchedulesProperties properties;

	private final TransactionTemplate transactions;

	private final Clock clock;

	Schedules(ScheduleRepository schedules, ScheduleTriggers triggers, ScheduleFiring firing, JobQueue queue,
			SchedulesProperties properties, TransactionTemplate transactions, Clock clock) {
		this.schedules = schedules;
		this.triggers = triggers;
		this.firing = firing;
		this.queue = queue;
		this.properties = properties;
		this.transactions = transactions;
		this.clock = clock;
	}

	/**
	 * Checks the request (cron and zone here; the runs' prompt, sandbox, timeout and
	 * budget guards by the job queue's own rules) and stores the schedule. Its slots
	 * count from now: nothing before it is missed.
	 */
	ScheduleView add(ScheduleRequest request) {
		if (request == null) {
			throw new InvalidScheduleException(
					"the request has no body: send a schedule with at least cron and prompt");
		}
		Instant now = this.clock.instant();
		CronSchedule timing = CronSchedule.parse(request.cron(), request.timeZone(), this.properties.zone(), now);
		long catchUp = (request.catchUpSeconds() != null) ? request.catchUpSeconds()
				: this.properties.catchUp().toSeconds();
		if (catchUp < 0) {
			throw new InvalidScheduleException("the catch-up window must be 0 seconds or more, not " + catchUp
					+ "s (0: never run a slot the daemon was down for)");
		}
		BigDecimal cap = request.maxDailyCostUsd();
		if (cap != null && cap.signum() <= 0) {
			throw new InvalidScheduleException("max-daily-cost-usd must be more than 0, not " + cap.toPlainString()
					+ " (leave it out for no daily cap)");
		}
		OverlapPolicy overlap = (request.overlap() != null) ? request.overlap() : this.properties.overlap();
		SubmitJobRequest run = this.queue
			.validate(new SubmitJobRequest(request.prompt(), request.sandbox(), request.restorePolicy(),
					request.timeoutSeconds(), request.maxTurns(), request.maxBudgetUsd(), request.sync()));
		// validate filled in the daemon's defaults: the sandbox, prompt, restore policy
		// and timeout are set
		ScheduleRow draft = new ScheduleRow(0, timing.cron(), timing.quartzCron(), timing.zone().getId(),
				Objects.requireNonNull(run.sandbox()), Objects.requireNonNull(run.prompt()),
				Objects.requireNonNull(run.restorePolicy()), Objects.requireNonNull(run.timeoutSeconds()),
				Boolean.TRUE.equals(run.sync()), overlap, catchUp, run.maxTurns(), run.maxBudgetUsd(), cap, false, now,
				now);
		long id = this.transactions.execute((status) -> {
			long inserted = this.schedules.insert(draft);
			ScheduleRow row = this.schedules.find(inserted).orElseThrow();
			this.schedules.addEvent(inserted, now, null, EventKind.CREATED, null,
					"added: '" + timing.cron() + "' (Quartz '" + timing.quartzCron() + "') in " + timing.zone()
							+ "; first run " + ScheduleFiring
								.format(Objects.requireNonNull(timing.next(now), "parse saw it fire"), timing.zone()));
			this.triggers.schedule(row);
			return inserted;
		});
		return view(find(id));
	}

	public List<ScheduleView> list() {
		return this.schedules.all().stream().map(this::view).toList();
	}

	/** The active schedule that fires soonest, if any (paused schedules never fire). */
	Optional<ScheduleView> next() {
		return list().stream()
			.filter((view) -> view.nextFireAt() != null)
			.min(java.util.Comparator.comparing(ScheduleView::nextFireAt).thenComparing(ScheduleView::id));
	}

	ScheduleDetails details(long id) {
		ScheduleRow row = find(id);
		List<Instant> upcoming = row.paused() ? List.of() : row.timing().upcoming(this.clock.instant(), 5);
		return new ScheduleDetails(view(row), upcoming, this.schedules.events(id, EVENTS_SHOWN));
	}

	/**
	 * Stops the schedule firing until resumed; pausing a paused schedule changes nothing.
	 */
	ScheduleView pause(long id) {
		find(id);
		Instant now = this.clock.instant();
		this.transactions.executeWithoutResult((status) -> {
			if (this.schedules.setPaused(id, true, null)) {
				this.schedules.addEvent(id, now, null, EventKind.PAUSED, null, "paused: no runs until resumed");
				this.triggers.pause(id);
			}
		});
		return view(find(id));
	}

	/**
	 * Lets the schedule fire again from now on: the slots that passed while it was paused
	 * are neither run nor counted as missed ({@code last_slot} moves to now).
	 */
	ScheduleView resume(long id) {
		ScheduleRow row = find(id);
		Instant now = this.clock.instant();
		this.transactions.executeWithoutResult((status) -> {
			if (this.schedules.setPaused(id, false, now)) {
				CronSchedule timing = row.timing();
				Instant next = timing.next(now);
				// An expression can stop firing (a past year) while the schedule is
				// paused.
				this.schedules.addEvent(id, now, null, EventKind.RESUMED, null,
						"resumed; next run "
								+ ((next != null) ? ScheduleFiring.format(next, timing.zone())
										: "never (the expression fires no more)")
								+ " (slots while paused are not run)");
				this.triggers.resume(id);
			}
		});
		return view(find(id));
	}

	/**
	 * Removes the schedule and its Quartz trigger. Its events stay (with a DELETED one),
	 * so the morning report still shows what it did; its jobs, queued ones too, are left
	 * alone.
	 */
	void remove(long id) {
		find(id);
		Instant now = this.clock.instant();
		this.transactions.executeWithoutResult((status) -> {
			if (this.schedules.delete(id)) {
				this.schedules.addEvent(id, now, null, EventKind.DELETED, null, "removed; its jobs are kept");
				this.triggers.unschedule(id);
			}
		});
	}

	JobView runNow(long id) {
		return this.firing.runNow(id);
	}

	private ScheduleRow find(long id) {
		return this.schedules.find(id).orElseThrow(() -> new ScheduleNotFoundException(id));
	}

	private ScheduleView view(ScheduleRow row) {
		Instant now = this.clock.instant();
		Instant next = row.paused() ? null : row.timing().next(now.isAfter(row.lastSlot()) ? now : row.lastSlot());
		Optional<JobView> last = this.queue.lastOfSchedule(row.id());
		return new ScheduleView(row.id(), row.cron(), row.quartzCron(), row.timeZone(), row.sandbox(), row.prompt(),
				row.restorePolicy(), row.timeoutSeconds(), row.sync(), row.overlap(), row.catchUpSeconds(),
				row.maxTurns(), row.maxBudgetUsd(), row.maxDailyCostUsd(), row.paused(), row.createdAt(), next,
				this.schedules.lastFiredAt(row.id()), last.map(JobView::id).orElse(null),
				last.map(JobView::state).orElse(null));
	}

}
