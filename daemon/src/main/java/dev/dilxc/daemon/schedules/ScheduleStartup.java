package dev.dilxc.daemon.schedules;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On start, before Quartz runs: makes the Quartz triggers match the schedule rows (the
 * rows are the truth), then fires every active schedule once, so slots that passed while
 * the daemon was down are caught up or recorded as missed at once, whatever Quartz's
 * misfire handling does (its "fire once now" then finds nothing left to do).
 */
@Component
class ScheduleStartup implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ScheduleStartup.class);

	private final ScheduleRepository schedules;

	private final ScheduleTriggers triggers;

	private final ScheduleFiring firing;

	private volatile boolean running;

	ScheduleStartup(ScheduleRepository schedules, ScheduleTriggers triggers, ScheduleFiring firing) {
		this.schedules = schedules;
		this.triggers = triggers;
		this.firing = firing;
	}

	@Override
	public void start() {
		List<ScheduleRow> rows = this.schedules.all();
		Set<Long> ids = rows.stream().map(ScheduleRow::id).collect(Collectors.toSet());
		for (long orphan : this.triggers.scheduledIds()) {
			if (!ids.contains(orphan)) {
				logger.warn("Removing the Quartz trigger of schedule {}, which no longer exists", orphan);
				this.triggers.unschedule(orphan);
			}
		}
		for (ScheduleRow row : rows) {
			if (!this.triggers.matches(row)) {
				logger.warn("Re-creating the Quartz trigger of schedule {} from its row", row.id());
				this.triggers.schedule(row);
			}
		}
		for (ScheduleRow row : rows) {
			if (row.paused()) {
				continue;
			}
			try {
				this.firing.fire(row.id(), null);
			}
			catch (RuntimeException ex) {
				logger.error("Catching up schedule {} failed; its next firing will account for the missed slots",
						row.id(), ex);
			}
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * After the job worker (which settles jobs a crashed daemon left running, so overlap
	 * checks see the truth) and just before Quartz's scheduler (phase
	 * {@link SmartLifecycle#DEFAULT_PHASE}), which stops first on shutdown, before the
	 * worker and long before the database closes.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1;
	}

}
