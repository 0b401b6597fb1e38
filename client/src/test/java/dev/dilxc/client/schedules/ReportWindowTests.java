package dev.dilxc.client.schedules;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import dev.dilxc.client.shell.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@code report --since/--until} with an injected clock in Berlin. */
class ReportWindowTests {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	/** Friday 27 November 2026, 10:00 in Berlin (CET, +01:00). */
	private static final Clock NOV = Clock.fixed(Instant.parse("2026-11-27T09:00:00Z"), BERLIN);

	/**
	 * Monday 30 March 2026, 10:00 in Berlin: the day after clocks went forward (Sunday 29
	 * March had 23 hours).
	 */
	private static final Clock AFTER_SPRING_FORWARD = Clock.fixed(Instant.parse("2026-03-30T08:00:00Z"), BERLIN);

	/**
	 * Monday 26 October 2026, 10:00 in Berlin: the day after clocks went back (Sunday 25
	 * October had 25 hours).
	 */
	private static final Clock AFTER_FALL_BACK = Clock.fixed(Instant.parse("2026-10-26T09:00:00Z"), BERLIN);

	@Test
	void defaultIsTheLast12HoursUpToNow() {
		assertThat(ReportWindow.parse(null, null, NOV))
			.isEqualTo(new ReportWindow(Instant.parse("2026-11-26T21:00:00Z"), null));
	}

	@Test
	void durationsReachBackFromNow() {
		assertThat(ReportWindow.parse("90m", null, NOV).since()).isEqualTo(Instant.parse("2026-11-27T07:30:00Z"));
		assertThat(ReportWindow.parse("2d", null, NOV).since()).isEqualTo(Instant.parse("2026-11-25T09:00:00Z"));
		assertThat(ReportWindow.parse("1h30m", "30m", NOV))
			.isEqualTo(new ReportWindow(Instant.parse("2026-11-27T07:30:00Z"), Instant.parse("2026-11-27T08:30:00Z")));
	}

	@Test
	void yesterdayIsLocalMidnightToMidnight() {
		assertThat(ReportWindow.parse("yesterday", null, NOV))
			.isEqualTo(new ReportWindow(Instant.parse("2026-11-25T23:00:00Z"), Instant.parse("2026-11-26T23:00:00Z")));
	}

	@Test
	void todayIsLocalMidnightToNow() {
		assertThat(ReportWindow.parse("today", null, NOV))
			.isEqualTo(new ReportWindow(Instant.parse("2026-11-26T23:00:00Z"), null));
		assertThat(ReportWindow.parse("Today", "today", NOV).until()).isNull();
	}

	@Test
	void yesterdayAcrossSpringForwardHas23Hours() {
		ReportWindow window = ReportWindow.parse("yesterday", null, AFTER_SPRING_FORWARD);
		assertThat(window.since()).isEqualTo(Instant.parse("2026-03-28T23:00:00Z"));
		assertThat(window.until()).isEqualTo(Instant.parse("2026-03-29T22:00:00Z"));
		assertThat(Duration.between(window.since(), window.until())).hasHours(23);
	}

	@Test
	void yesterdayAcrossFallBackHas25Hours() {
		ReportWindow window = ReportWindow.parse("yesterday", null, AFTER_FALL_BACK);
		assertThat(window.since()).isEqualTo(Instant.parse("2026-10-24T22:00:00Z"));
		assertThat(Duration.between(window.since(), window.until())).hasHours(25);
	}

	@Test
	void twelveHoursAcrossTheDstSwitchAreTwelveRealHours() {
		Clock noonOnSwitchDay = Clock.fixed(Instant.parse("2026-03-29T10:00:00Z"), BERLIN);
		assertThat(ReportWindow.parse("12h", null, noonOnSwitchDay).since())
			.isEqualTo(Instant.parse("2026-03-28T22:00:00Z"));
	}

	@Test
	void aDateIsThatWholeDayAndUntilADateIncludesIt() {
		assertThat(ReportWindow.parse("2026-11-25", null, NOV))
			.isEqualTo(new ReportWindow(Instant.parse("2026-11-24T23:00:00Z"), Instant.parse("2026-11-25T23:00:00Z")));
		assertThat(ReportWindow.parse("2026-11-24", "2026-11-25", NOV))
			.isEqualTo(new ReportWindow(Instant.parse("2026-11-23T23:00:00Z"), Instant.parse("2026-11-25T23:00:00Z")));
		assertThat(ReportWindow.parse("2026-11-24", "yesterday", NOV).until())
			.isEqualTo(Instant.parse("2026-11-26T23:00:00Z"));
	}

	@Test
	void timesAreLocalUnlessTheyCarryAnOffset() {
		assertThat(ReportWindow.parse("2026-11-27T02:00", null, NOV).since())
			.isEqualTo(Instant.parse("2026-11-27T01:00:00Z"));
		assertThat(ReportWindow.parse("2026-11-27 02:00", null, NOV).since())
			.isEqualTo(Instant.parse("2026-11-27T01:00:00Z"));
		assertThat(ReportWindow.parse("2026-11-27T02:00:00Z", null, NOV).since())
			.isEqualTo(Instant.parse("2026-11-27T02:00:00Z"));
		assertThat(ReportWindow.parse("2026-11-27T02:00+05:00", "2026-11-27T08:00:00Z", NOV))
			.isEqualTo(new ReportWindow(Instant.parse("2026-11-26T21:00:00Z"), Instant.parse("2026-11-27T08:00:00Z")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "12", "soon", "last week", "-12h", "1.5h", "2026-13-01", "2026-02-30",
			"2026-11-27T25:00", "27.11.2026", "0h" })
	void badSinceValuesNameTheOptionAndTheForms(String since) {
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> ReportWindow.parse(since, null, NOV))
			.withMessageStartingWith("invalid --since '" + since + "'");
	}

	@Test
	void badUntilValuesNameTheOption() {
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> ReportWindow.parse(null, "later", NOV))
			.withMessageStartingWith("invalid --until 'later'");
	}

	@Test
	void aWindowThatIsEmptyOrInTheFutureIsRefused() {
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> ReportWindow.parse("1h", "2h", NOV))
			.withMessage("--since '1h' is not before --until '2h'");
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> ReportWindow.parse("2026-12-01", null, NOV))
			.withMessageContaining("--since '2026-12-01' is not in the past");
	}

}
