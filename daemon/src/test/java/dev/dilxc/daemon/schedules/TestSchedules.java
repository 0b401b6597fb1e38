package dev.dilxc.daemon.schedules;

import dev.dilxc.api.ScheduleRequest;
import dev.dilxc.api.ScheduleView;

/**
 * Lets tests of other features add and remove a schedule through the feature's own code.
 */
public final class TestSchedules {

	private TestSchedules() {
	}

	public static ScheduleView add(Schedules schedules, ScheduleRequest request) {
		return schedules.add(request);
	}

	public static void remove(Schedules schedules, long id) {
		schedules.remove(id);
	}

}
