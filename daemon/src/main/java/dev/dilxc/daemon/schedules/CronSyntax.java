package dev.dilxc.daemon.schedules;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.quartz.CronExpression;

/**
 * The cron forms users type, turned into the Quartz expression a schedule runs as:
 * Quartz's own 6/7-field syntax, a 5-field crontab line, or a macro such as
 * {@code @daily}. Anything else is refused naming the part that is wrong, with an
 * example.
 */
final class CronSyntax {

	static final String EXAMPLES = "e.g. '0 2 * * *' (crontab: every day at 02:00), '0 0 2 ? * MON-FRI' "
			+ "(Quartz: weekdays at 02:00) or '@daily'";

	private static final Map<String, String> MACROS = Map.of("@yearly", "0 0 0 1 1 ?", "@annually", "0 0 0 1 1 ?",
			"@monthly", "0 0 0 1 * ?", "@weekly", "0 0 0 ? * 1", "@daily", "0 0 0 * * ?", "@midnight", "0 0 0 * * ?",
			"@hourly", "0 0 * * * ?");

	private static final String[] QUARTZ_FIELDS = { "second", "minute", "hour", "day-of-month", "month", "day-of-week",
			"year" };

	private static final String[] DAY_NAMES = { "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT" };

	private static final int DAY_OF_MONTH = 3;

	private static final int DAY_OF_WEEK = 5;

	private CronSyntax() {
	}

	/**
	 * The Quartz expression for {@code input}; {@link InvalidScheduleException} saying
	 * what is wrong.
	 */
	static String toQuartz(@Nullable String input) {
		if (input == null || input.isBlank()) {
			throw new InvalidScheduleException("the cron expression is empty: say when the schedule runs, " + EXAMPLES);
		}
		String cron = input.strip();
		if (cron.startsWith("@")) {
			String quartz = MACROS.get(cron.toLowerCase(Locale.ROOT));
			if (quartz == null) {
				throw new InvalidScheduleException(
						"unknown cron macro '" + cron + "': use @yearly, @annually, @monthly, "
								+ "@weekly, @daily, @midnight or @hourly, or a cron expression, " + EXAMPLES);
			}
			return quartz;
		}
		String[] fields = cron.split("\\s+");
		return switch (fields.length) {
			case 5 -> fromCrontab(fields);
			case 6, 7 -> checked(fromQuartz(fields), fields, false);
			default -> throw new InvalidScheduleException("the cron expression '" + cron + "' has " + fields.length
					+ " field" + (fields.length == 1 ? "" : "s") + ": use 5 (crontab: minute hour day-of-month month "
					+ "day-of-week) or 6-7 (Quartz: second minute hour day-of-month month day-of-week [year]), "
					+ EXAMPLES);
		};
	}

	/**
	 * crontab {@code m h dom mon dow}: seconds 0; days of the week 0-7 (0 and 7 Sunday)
	 * become Quartz's 1-7 (1 Sunday); the day field left as {@code *} becomes {@code ?},
	 * since Quartz takes exactly one of the two.
	 */
	private static String fromCrontab(String[] fields) {
		String dayOfMonth = fields[2];
		String dayOfWeek = fields[4];
		boolean monthDays = !unrestricted(dayOfMonth);
		boolean weekDays = !unrestricted(dayOfWeek);
		if (monthDays && weekDays) {
			throw bothDayFields(String.join(" ", fields), dayOfMonth, dayOfWeek,
					"crontab runs it on the days that match "
							+ "EITHER field, and Quartz cannot combine the two day fields at all (neither OR nor AND): split it "
							+ "into two schedules, '"
							+ String.join(" ", fields[0], fields[1], dayOfMonth, fields[3], "*") + "' and '"
							+ String.join(" ", fields[0], fields[1], "*", fields[3], dayOfWeek) + "'");
		}
		String quartzWeekDays = weekDays ? crontabDaysOfWeek(dayOfWeek) : "?";
		String quartzMonthDays = weekDays ? "?" : (monthDays ? dayOfMonth : "*");
		String[] quartz = { "0", fields[0], fields[1], quartzMonthDays, fields[3], quartzWeekDays };
		String[] asTyped = { "0", fields[0], fields[1], dayOfMonth, fields[3], dayOfWeek };
		return checked(quartz, asTyped, true);
	}

	/**
	 * Quartz's own syntax, but {@code * *} in the day fields (as Spring and crontab users
	 * write) is accepted.
	 */
	private static String[] fromQuartz(String[] fields) {
		String[] quartz = fields.clone();
		String dayOfMonth = quartz[DAY_OF_MONTH];
		String dayOfWeek = quartz[DAY_OF_WEEK];
		if (dayOfMonth.equals("?") || dayOfWeek.equals("?")) {
			return quartz;
		}
		if (dayOfWeek.equals("*")) {
			quartz[DAY_OF_WEEK] = "?";
		}
		else if (dayOfMonth.equals("*")) {
			quartz[DAY_OF_MONTH] = "?";
		}
		else {
			throw bothDayFields(String.join(" ", fields), dayOfMonth, dayOfWeek,
					"Quartz can restrict only one of the two "
							+ "day fields (it cannot AND them): put '?' in the other, e.g. '0 0 2 ? * MON' or '0 0 2 1 * ?', and for "
							+ "'the first Monday of the month' write '0 0 2 ? * MON#1'");
		}
		return quartz;
	}

	private static InvalidScheduleException bothDayFields(String cron, String dayOfMonth, String dayOfWeek,
			String why) {
		return new InvalidScheduleException("the cron expression '" + cron + "' restricts both the day of the month ("
				+ dayOfMonth + ") and the day of the week (" + dayOfWeek + "): " + why);
	}

	private static boolean unrestricted(String field) {
		return field.equals("*") || field.equals("?");
	}

	/**
	 * Parses with Quartz; on failure finds the field Quartz refuses by trying each one on
	 * its own.
	 */
	private static String checked(String[] quartz, String[] asTyped, boolean crontab) {
		String expression = String.join(" ", quartz);
		try {
			new CronExpression(expression);
			return expression;
		}
		catch (ParseException whole) {
			for (int i = 0; i < quartz.length; i++) {
				String problem = problemWithField(quartz, i);
				if (problem != null) {
					throw new InvalidScheduleException("the " + QUARTZ_FIELDS[i] + " field '" + asTyped[i] + "' of '"
							+ String.join(" ", crontab ? tail(asTyped) : asTyped) + "' is not valid (" + problem + "): "
							+ EXAMPLES);
				}
			}
			throw new InvalidScheduleException(
					"the cron expression '" + String.join(" ", crontab ? tail(asTyped) : asTyped) + "' is not valid ("
							+ readable(whole.getMessage()) + "): " + EXAMPLES);
		}
	}

	private static String[] tail(String[] fields) {
		String[] rest = new String[fields.length - 1];
		System.arraycopy(fields, 1, rest, 0, rest.length);
		return rest;
	}

	/**
	 * Quartz's complaint about field {@code index} alone (every other field made valid),
	 * or null.
	 */
	private static @Nullable String problemWithField(String[] quartz, int index) {
		String[] probe = { "0", "0", "0", "*", "*", "?", "*" };
		String token = quartz[index];
		probe[index] = token;
		if (index == DAY_OF_WEEK) {
			probe[DAY_OF_MONTH] = token.equals("?") ? "*" : "?";
		}
		if (index == DAY_OF_MONTH && token.equals("?")) {
			probe[DAY_OF_WEEK] = "*";
		}
		String expression = String.join(" ", List.of(probe).subList(0, quartz.length));
		try {
			new CronExpression(expression);
			return null;
		}
		catch (ParseException ex) {
			return readable(ex.getMessage());
		}
	}

	/** Quartz sometimes reports a Java exception instead of a reason. */
	private static String readable(@Nullable String message) {
		if (message == null || message.contains("Exception")) {
			return "not a number, name, range, step or list that Quartz understands";
		}
		return message.strip().replaceAll("\\.$", "");
	}

	/**
	 * crontab's day-of-week field (0-7 or SUN-SAT, lists, ranges, steps) as a Quartz list
	 * of days 1-7.
	 */
	private static String crontabDaysOfWeek(String field) {
		boolean[] days = new boolean[7];
		for (String part : field.split(",", -1)) {
			String range = part;
			int step = 1;
			int slash = part.indexOf('/');
			if (slash >= 0) {
				range = part.substring(0, slash);
				step = number(part.substring(slash + 1), field);
				if (step < 1) {
					throw badDayOfWeek(field, "a step must be at least 1");
				}
			}
			int from;
			int to;
			int dash = range.indexOf('-');
			if (range.equals("*")) {
				from = 0;
				to = 6;
			}
			else if (dash > 0) {
				from = day(range.substring(0, dash), field);
				to = day(range.substring(dash + 1), field);
				if (from > to) {
					throw badDayOfWeek(field,
							"the range " + range + " runs backwards; crontab ranges go from low to high");
				}
			}
			else {
				from = day(range, field);
				to = (slash >= 0) ? 6 : from; // "1/2": from 1 to Saturday, 7 being only
												// an alias of 0
			}
			for (int day = from; day <= to; day += step) {
				days[day % 7] = true;
			}
		}
		return quartzDays(days);
	}

	private static String quartzDays(boolean[] days) {
		List<String> parts = new ArrayList<>();
		int day = 0;
		while (day < 7) {
			if (!days[day]) {
				day++;
				continue;
			}
			int end = day;
			while (end + 1 < 7 && days[end + 1]) {
				end++;
			}
			// Quartz numbers Sunday 1 ... Saturday 7.
			parts.add((end - day >= 2) ? (day + 1) + "-" + (end + 1)
					: (end > day) ? (day + 1) + "," + (end + 1) : String.valueOf(day + 1));
			day = end + 1;
		}
		return (parts.size() == 1 && parts.get(0).equals("1-7")) ? "*" : String.join(",", parts);
	}

	private static int day(String text, String field) {
		for (int i = 0; i < DAY_NAMES.length; i++) {
			if (DAY_NAMES[i].equalsIgnoreCase(text)) {
				return i;
			}
		}
		int day = number(text, field);
		if (day > 7) {
			throw badDayOfWeek(field, day + " is out of range");
		}
		return day;
	}

	private static int number(String text, String field) {
		if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(Character::isDigit)) {
			throw badDayOfWeek(field, "'" + text + "' is not a day");
		}
		return Integer.parseInt(text);
	}

	private static InvalidScheduleException badDayOfWeek(String field, String why) {
		return new InvalidScheduleException("the day-of-week field '" + field + "' is not valid (" + why + "): crontab "
				+ "days are 0-7 (0 and 7 are Sunday) or SUN-SAT, in lists, ranges and steps, e.g. '0 2 * * 1-5' for "
				+ "weekdays at 02:00");
	}

}
