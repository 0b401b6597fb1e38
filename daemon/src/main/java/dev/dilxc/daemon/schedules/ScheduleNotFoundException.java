package dev.dilxc.daemon.schedules;

/** No schedule has this id. */
public final class ScheduleNotFoundException extends RuntimeException {

	private final long scheduleId;

	ScheduleNotFoundException(long scheduleId) {
		super("there is no schedule " + scheduleId + ": 'dilxc-client schedules' lists the schedules there are");
		this.scheduleId = scheduleId;
	}

	public long scheduleId() {
		return this.scheduleId;
	}

}
