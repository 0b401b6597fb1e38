package dev.dilxc.daemon.schedules;

import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.TimeZone;

import org.jspecify.annotations.Nullable;
import org.quartz.CronExpression;

/**
 * A schedule's timing: the cron as the user gave it, the Quartz expression it runs as,
 * and its zone (whose daylight-saving rules Quartz applies). Also the slot arithmetic the
 * firing decides from.
 *
 * @param cron as given
 * @param quartzCron the Quartz expression
 * @param zone the zone the expression is read in
 */
record CronSchedule(String cron, String quartzCron, ZoneId zone) {

	/** Slots counted one by one before the count is reported as "more than". */
	static final int MAX_COUNTED = 10_000;

	/**
	 * Parses and checks what the user typed; {@link InvalidScheduleException} for a bad
	 * expression or zone, or one that never fires after {@code now}.
	 */
	static CronSchedule parse(@Nullable String cron, @Nullable String timeZone, ZoneId defaultZone, Instant now) {
		String quartz = CronSyntax.toQuartz(cron);
		String given = Objects.requireNonNull(cron, "toQuartz refuses none").strip();
		ZoneId zone = zone(timeZone, defaultZone);
		CronSchedule schedule = new CronSchedule(given, quartz, zone);
		if (schedule.next(now) == null) {
			throw new InvalidScheduleException("the cron expression '" + given + "' never fires after now (a day "
					+ "that does not exist, such as 30 February, or a year in the past): " + CronSyntax.EXAMPLES);
		}
		return schedule;
	}

	static ZoneId zone(@Nullable String timeZone, ZoneId defaultZone) {
		if (timeZone == null || timeZone.isBlank()) {
			return defaultZone;
		}
		try {
			return ZoneId.of(timeZone.strip());
		}
		catch (DateTimeException ex) {
			throw new InvalidScheduleException(
					"unknown time zone '" + timeZone.strip() + "': use an IANA zone name such "
							+ "as Europe/Berlin, America/New_York or UTC (leave it out for the daemon's zone, "
							+ defaultZone + ")");
		}
	}

	/** The first slot strictly after {@code after}, or null if there is none. */
	@Nullable Instant next(Instant after) {
		Date next = expression().getTimeAfter(Date.from(after));
		return (next != null) ? next.toInstant() : null;
	}

	/** The next {@code count} slots strictly after {@code after}. */
	List<Instant> upcoming(Instant after, int count) {
		CronExpression expression = expression();
		List<Instant> slots = new ArrayList<>();
		Date at = Date.from(after);
		while (slots.size() < count && (at = expression.getTimeAfter(at)) != null) {
			slots.add(at.toInstant());
		}
		return slots;
	}

	/**
	 * The slots in {@code (after, until]}: how many (up to {@link #MAX_COUNTED}), the
	 * first and the latest.
	 */
	Slots slotsBetween(Instant after, Instant until) {
		CronExpression expression = expression();
		Date at = Date.from(after);
		int count = 0;
		Instant first = null;
		Instant latest = null;
		while ((at = expression.getTimeAfter(at)) != null && !at.toInstant().isAfter(until)) {
			latest = at.toInstant();
			if (first == null) {
				first = latest;
			}
			if (++count == MAX_COUNTED) {
				latest = latestBefore(expression, latest, until);
				return new Slots(count, true, first, latest);
			}
		}
		return new Slots(count, false, first, latest);
	}

	/**
	 * Quartz has no "previous slot": scan ever wider windows that end at {@code until}.
	 */
	private static Instant latestBefore(CronExpression expression, Instant known, Instant until) {
		for (Duration window = Duration.ofHours(1);; window = window.multipliedBy(24)) {
			Instant start = until.minus(window);
			if (!start.isAfter(known)) {
				start = known;
			}
			Instant latest = null;
			Date at = Date.from(start);
			while ((at = expression.getTimeAfter(at)) != null && !at.toInstant().isAfter(until)) {
				latest = at.toInstant();
			}
			if (latest != null || start.equals(known)) {
				return (latest != null) ? latest : known;
			}
		}
	}

	private CronExpression expression() {
		try {
			CronExpression expression = new CronExpression(this.quartzCron);
			expression.setTimeZone(TimeZone.getTimeZone(this.zone));
			return expression;
		}
		catch (ParseException ex) {
			throw new IllegalStateException("stored cron expression '" + this.quartzCron + "' no longer parses", ex);
		}
	}

	/**
	 * Slots that passed.
	 *
	 * @param count how many ({@link #MAX_COUNTED} when {@code more})
	 * @param more whether there were more than could be counted
	 * @param first the earliest, or null when none
	 * @param latest the latest, or null when none
	 */
	record Slots(int count, boolean more, @Nullable Instant first, @Nullable Instant latest) {
	}
}
