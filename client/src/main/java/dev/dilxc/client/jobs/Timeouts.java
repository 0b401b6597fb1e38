package dev.dilxc.client.jobs;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.dilxc.client.shell.UsageException;

/**
 * Durations as users write them ({@code 90s}, {@code 30m}, {@code 2h}, {@code 1h30m},
 * {@code 2d}): job timeouts, a schedule's catch-up window, the report's
 * {@code --since 12h}.
 */
public final class Timeouts {

	private static final Pattern FORM = Pattern
		.compile("(?:(\\d{1,9})d)?(?:(\\d{1,9})h)?(?:(\\d{1,9})m)?(?:(\\d{1,9})s)?");

	private static final String EXAMPLES = "use a duration like 90s, 30m, 2h or 1h30m";

	private Timeouts() {
	}

	/** {@link #parse(String, String)} of {@code --timeout}. */
	public static Duration parse(String text) {
		return parse(text, "timeout");
	}

	/**
	 * Parses days, hours, minutes and seconds, each optional but in that order
	 * ({@code 1h30m}, {@code 45m30s}, {@code 2d}); upper case is fine, a unit is
	 * required.
	 * @param option the option's name for the message, without dashes
	 * @throws UsageException for anything else, and for zero
	 */
	public static Duration parse(String text, String option) {
		Duration duration = parseAllowingZero(text, option);
		if (duration.isZero()) {
			throw new UsageException("invalid --" + option + " '" + text + "': it must be longer than 0; " + EXAMPLES);
		}
		return duration;
	}

	/** As {@link #parse(String, String)}, but {@code 0} (any unit, or none) is fine. */
	public static Duration parseAllowingZero(String text, String option) {
		String form = text.strip().toLowerCase(Locale.ROOT);
		if (form.equals("0")) {
			return Duration.ZERO;
		}
		Matcher matcher = FORM.matcher(form);
		if (form.isEmpty() || !matcher.matches()) {
			String hint = form.matches("\\d+") ? " (a unit is required)" : "";
			throw new UsageException("invalid --" + option + " '" + text + "': " + EXAMPLES + hint);
		}
		long seconds = part(matcher, 1) * 86400 + part(matcher, 2) * 3600 + part(matcher, 3) * 60 + part(matcher, 4);
		return Duration.ofSeconds(seconds);
	}

	/** The inverse of {@link #parse(String)}: {@code 5400} seconds is {@code 1h30m}. */
	public static String format(long seconds) {
		if (seconds <= 0) {
			return seconds + "s";
		}
		StringBuilder text = new StringBuilder();
		long hours = seconds / 3600;
		long minutes = (seconds % 3600) / 60;
		long rest = seconds % 60;
		if (hours > 0) {
			text.append(hours).append('h');
		}
		if (minutes > 0) {
			text.append(minutes).append('m');
		}
		if (rest > 0) {
			text.append(rest).append('s');
		}
		return text.toString();
	}

	private static long part(Matcher matcher, int group) {
		String digits = matcher.group(group);
		return (digits != null) ? Long.parseLong(digits) : 0;
	}

}
