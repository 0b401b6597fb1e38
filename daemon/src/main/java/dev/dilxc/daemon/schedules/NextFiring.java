package dev.dilxc.daemon.schedules;

import java.util.Objects;
import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.dilxc.api.DaemonStatus;

/** The schedules' part of the daemon's health: which schedule fires next, and when. */
@Component
public class NextFiring {

	private final Schedules schedules;

	NextFiring(Schedules schedules) {
		this.schedules = schedules;
	}

	public Optional<DaemonStatus.NextSchedule> next() {
		return this.schedules.next()
			.map((view) -> new DaemonStatus.NextSchedule(view.id(), view.sandbox(),
					Objects.requireNonNull(view.nextFireAt(), "next() keeps only schedules that fire")));
	}

}
