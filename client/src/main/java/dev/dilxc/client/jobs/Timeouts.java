package dev.dilxc.client.jobs;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.dilxc.client.shell.UsageException;

/** Job timeouts as users write them: {@code 90s}, {@code 30m}, {@code 2h}, {@code 1h30m}. */
public final class Timeouts {

	private static final Pattern FORM = Pattern.compile("(?:(\\d{1,9})h)?(?:(\\d{1,9})m)?(?:(\\d{1,9})s)?");

	private static final String EXAMPLES = "use a duration like 90s, 30m, 2h or 1h30m";

	private Timeouts() {
	}

	/**
	 * Parses hours, minutes and seconds, each optional but in that order ({@code 1h30m},
	 * {@code 45m30s}); upper case is fine, a unit is required.
	 * @throws UsageException for anything else, and for zero
	 */
	public static Duration parse(String text) {
		String form = text.strip().toLowerCase(Locale.ROOT);
		Matcher matcher = FORM.matcher(form);
		if (form.isEmpty() || !matcher.matches()) {
			String hint = form.matches("\\d+") ? " (a unit is required)" : "";
			throw new UsageException("invalid --timeout '" + text + "': " + EXAMPLES + hint);
		}
		long seconds = part(matcher, 1) * 3600 + part(matcher, 2) * 60 + part(matcher, 3);
		if (seconds == 0) {
			throw new UsageException("invalid --timeout '" + text + "': it must be longer than 0; " + EXAMPLES);
		}
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
