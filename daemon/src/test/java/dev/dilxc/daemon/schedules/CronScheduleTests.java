package dev.dilxc.daemon.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The slot arithmetic a firing decides from, with Quartz's own daylight-saving behaviour
 * pinned for Europe/Berlin (2026: clocks go 02:00 → 03:00 on 29 March and 03:00 → 02:00
 * on 25 October). Pure: no Spring, no database.
 */
class CronScheduleTests {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	@Test
	void springForwardADailySlotInTheSkippedHourDoesNotHappenThatDay() {
		CronSchedule nightly = new CronSchedule("30 2 * * *", "0 30 2 * * ?", BERLIN);

		List<Instant> slots = nightly.upcoming(Instant.parse("2026-03-27T00:00:00Z"), 3);

		// 02:30 does not exist on 29 March; Quartz neither moves it to 03:30 nor runs it
		// twice the next day.
		assertThat(local(slots)).containsExactly("2026-03-27T02:30+01:00", "2026-03-28T02:30+01:00",
				"2026-03-30T02:30+02:00");
	}

	@Test
	void springForwardAnHourlyScheduleRunsEveryRealHourAndSkipsTheMissingLocalHour() {
		CronSchedule hourly = new CronSchedule("@hourly", "0 0 * * * ?", BERLIN);

		List<Instant> slots = hourly.upcoming(Instant.parse("2026-03-28T22:30:00Z"), 4);

		assertThat(local(slots)).containsExactly("2026-03-29T00:00+01:00", "2026-03-29T01:00+01:00",
				"2026-03-29T03:00+02:00", "2026-03-29T04:00+02:00");
		assertThat(slots).containsExactly(Instant.parse("2026-03-28T23:00:00Z"), Instant.parse("2026-03-29T00:00:00Z"),
				Instant.parse("2026-03-29T01:00:00Z"), Instant.parse("2026-03-29T02:00:00Z"));
	}

	@Test
	void fallBackADailySlotInTheRepeatedHourRunsOnceAtItsSecondOccurrence() {
		CronSchedule nightly = new CronSchedule("30 2 * * *", "0 30 2 * * ?", BERLIN);

		List<Instant> slots = nightly.upcoming(Instant.parse("2026-10-24T00:00:00Z"), 3);

		// 02:30 happens twice on 25 October (+02:00, then +01:00): Quartz runs it once,
		// the second time.
		assertThat(local(slots)).containsExactly("2026-10-24T02:30+02:00", "2026-10-25T02:30+01:00",
				"2026-10-26T02:30+01:00");
	}

	@Test
	void fallBackAnHourlyScheduleRunsTheRepeatedLocalHourOnceLeavingATwoHourGap() {
		CronSchedule hourly = new CronSchedule("@hourly", "0 0 * * * ?", BERLIN);

		List<Instant> slots = hourly.upcoming(Instant.parse("2026-10-24T21:30:00Z"), 4);

		assertThat(local(slots)).containsExactly("2026-10-25T00:00+02:00", "2026-10-25T01:00+02:00",
				"2026-10-25T02:00+01:00", "2026-10-25T03:00+01:00");
		assertThat(slots).containsExactly(Instant.parse("2026-10-24T22:00:00Z"), Instant.parse("2026-10-24T23:00:00Z"),
				Instant.parse("2026-10-25T01:00:00Z"), Instant.parse("2026-10-25T02:00:00Z"));
	}

	@Test
	void slotsBetweenCountsTheHalfOpenRangeWithItsFirstAndLatest() {
		CronSchedule hourly = new CronSchedule("@hourly", "0 0 * * * ?", ZoneId.of("UTC"));

		CronSchedule.Slots slots = hourly.slotsBetween(Instant.parse("2026-11-28T01:00:00Z"),
				Instant.parse("2026-11-28T04:00:00Z"));

		assertThat(slots).isEqualTo(new CronSchedule.Slots(3, false, Instant.parse("2026-11-28T02:00:00Z"),
				Instant.parse("2026-11-28T04:00:00Z")));
		assertThat(hourly.slotsBetween(Instant.parse("2026-11-28T04:00:00Z"), Instant.parse("2026-11-28T04:59:59Z")))
			.isEqualTo(new CronSchedule.Slots(0, false, null, null));
	}

	@Test
	void slotsBetweenStopsCountingAtTheCapButStillFindsTheLatestSlot() {
		CronSchedule everySecond = new CronSchedule("* * * * * ?", "* * * * * ?", ZoneId.of("UTC"));

		CronSchedule.Slots slots = everySecond.slotsBetween(Instant.parse("2026-11-27T00:00:00Z"),
				Instant.parse("2026-11-28T00:00:00.700Z"));

		assertThat(slots.count()).isEqualTo(CronSchedule.MAX_COUNTED);
		assertThat(slots.more()).isTrue();
		assertThat(slots.first()).isEqualTo(Instant.parse("2026-11-27T00:00:01Z"));
		assertThat(slots.latest()).isEqualTo(Instant.parse("2026-11-28T00:00:00Z"));
	}

	private static List<String> local(List<Instant> slots) {
		return slots.stream().map((slot) -> OffsetDateTime.ofInstant(slot, BERLIN).toString()).toList();
	}

}
