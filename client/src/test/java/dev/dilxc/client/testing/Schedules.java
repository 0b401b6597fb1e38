package dev.dilxc.client.testing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import dev.dilxc.api.JobState;
import dev.dilxc.api.OverlapPolicy;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.ScheduleDetails;
import dev.dilxc.api.ScheduleEvent;
import dev.dilxc.api.ScheduleView;

/** Test data: schedules and their events. */
public final class Schedules {

	public static final Instant CREATED = Instant.parse("2026-11-20T08:00:00Z");

	private Schedules() {
	}

	/** A nightly schedule in Berlin that last ran as job {@code lastJobId}. */
	public static ScheduleView nightly(long id, String prompt, Long lastJobId, JobState lastState) {
		return new ScheduleView(id, "0 2 * * *", "0 0 2 * * ?", "Europe/Berlin", "dev", prompt,
				RestorePolicy.ON_FAILURE, 1800, true, OverlapPolicy.SKIP, 21600, 40, new BigDecimal("2.50"),
				new BigDecimal("10"), false, CREATED, Instant.parse("2026-11-28T01:00:00Z"),
				(lastJobId != null) ? Instant.parse("2026-11-27T01:00:00Z") : null, lastJobId, lastState);
	}

	/** A paused hourly schedule that never ran. */
	public static ScheduleView pausedHourly(long id, String prompt) {
		return new ScheduleView(id, "@hourly", "0 0 * * * ?", "UTC", "web", prompt, RestorePolicy.ALWAYS, 600, false,
				OverlapPolicy.QUEUE, 0, null, null, null, true, CREATED, null, null, null, null);
	}

	public static ScheduleEvent event(long id, long scheduleId, String at, String slot, String kind, Long jobId,
			String detail) {
		return new ScheduleEvent(id, scheduleId, Instant.parse(at), (slot != null) ? Instant.parse(slot) : null, kind,
				jobId, detail);
	}

	public static ScheduleDetails details(ScheduleView schedule, List<Instant> upcoming, ScheduleEvent... events) {
		return new ScheduleDetails(schedule, upcoming, List.of(events));
	}

}
