package dev.dilxc.client.schedules;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import dev.dilxc.client.jobs.Timeouts;
import dev.dilxc.client.shell.UsageException;
import org.jspecify.annotations.Nullable;

/**
 * The window of {@code report --since X [--until Y]}, in the clock's zone. X and Y may
 * be:
 * <ul>
 * <li>a duration back from now: {@code 12h}, {@code 90m}, {@code 2d}, {@code 1h30m};</li>
 * <li>a day: {@code today}, {@code yesterday} or a date {@code 2026-11-27}, from its
 * local midnight to the next (so {@code --since yesterday} is yesterday, midnight to
 * midnight, and {@code --until} a day includes that day);</li>
 * <li>a time: {@code 2026-11-27T02:00} (local), or with an offset or {@code Z} (an
 * instant).</li>
 * </ul>
 * Days use the zone's midnights, so around daylight saving time a day has 23 or 25 hours.
 *
 * @param since the window's start
 * @param until its end, or null for now (the daemon's default)
 */
record ReportWindow(Instant since, @Nullable Instant until) {

	/** The window when {@code --since} is not given. */
	static final String DEFAULT_SINCE = "12h";

	private static final String FORMS = "use a duration back from now (12h, 2d), today, yesterday, a date "
			+ "(2026-11-27) or a time (2026-11-27T02:00, 2026-11-27T01:00:00Z)";

	static ReportWindow parse(@Nullable String since, @Nullable String until, Clock clock) {
		Instant now = clock.instant();
		Point from = point((since != null) ? since : DEFAULT_SINCE, "since", clock);
		Instant end;
		if (until != null) {
			Point to = point(until, "until", clock);
			end = (to.dayEnd() != null) ? to.dayEnd() : to.start();
		}
		else {
			end = from.dayEnd();
		}
		if (end != null && !end.isBefore(now)) {
			// the day is not over: up to now
			end = null;
		}
		if (!from.start().isBefore(now)) {
			throw new UsageException(
					"--since " + ((since != null) ? "'" + since + "' " : "") + "is not in the past; " + FORMS);
		}
		if (end != null && !from.start().isBefore(end)) {
			throw new UsageException("--since '" + ((since != null) ? since : DEFAULT_SINCE)
					+ "' is not before --until '" + until + "'");
		}
		return new ReportWindow(from.start(), end);
	}

	/** Where a value puts the window's edge; a day also says where it ends. */
	private record Point(Instant start, @Nullable Instant dayEnd) {
	}

	private static Point point(String value, String option, Clock clock) {
		String text = value.strip().toLowerCase(Locale.ROOT);
		ZoneId zone = clock.getZone();
		LocalDate today = LocalDate.now(clock);
		if (text.equals("today")) {
			return day(today, zone);
		}
		if (text.equals("yesterday")) {
			return day(today.minusDays(1), zone);
		}
		if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
			try {
				return day(LocalDate.parse(text), zone);
			}
			catch (DateTimeParseException ex) {
				throw new UsageException("invalid --" + option + " '" + value + "': no such date; " + FORMS, ex);
			}
		}
		if (text.matches("\\d{4}-\\d{2}-\\d{2}[t ].*")) {
			String iso = text.toUpperCase(Locale.ROOT).replace(' ', 'T');
			try {
				return new Point(OffsetDateTime.parse(iso).toInstant(), null);
			}
			catch (DateTimeParseException ex) {
				// no offset: local time
			}
			try {
				return new Point(LocalDateTime.parse(iso).atZone(zone).toInstant(), null);
			}
			catch (DateTimeParseException ex) {
				throw new UsageException("invalid --" + option + " '" + value + "': " + FORMS, ex);
			}
		}
		if (text.matches("[0-9dhms]+")) {
			Duration back = Timeouts.parse(text, option);
			return new Point(clock.instant().minus(back), null);
		}
		throw new UsageException("invalid --" + option + " '" + value + "': " + FORMS);
	}

	private static Point day(LocalDate day, ZoneId zone) {
		return new Point(day.atStartOfDay(zone).toInstant(), day.plusDays(1).atStartOfDay(zone).toInstant());
	}
}
