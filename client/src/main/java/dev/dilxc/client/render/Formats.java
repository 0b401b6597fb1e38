package dev.dilxc.client.render;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

import org.jspecify.annotations.Nullable;

/** How times, durations and costs look in the client's tables and details, in the clock's zone. */
public final class Formats {

	/** What an absent value prints as. */
	public static final String NONE = "-";

	private static final DateTimeFormatter SHORT_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm");

	private static final DateTimeFormatter FULL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	private final Clock clock;

	public Formats(Clock clock) {
		this.clock = clock;
	}

	public Instant now() {
		return this.clock.instant();
	}

	/** {@code 11-27 14:03}, local time. */
	public String shortTime(@Nullable Instant at) {
		return (at != null) ? SHORT_TIME.format(at.atZone(this.clock.getZone())) : NONE;
	}

	/** {@code 2026-11-27 14:03:07}, local time. */
	public String fullTime(@Nullable Instant at) {
		return (at != null) ? FULL_TIME.format(at.atZone(this.clock.getZone())) : NONE;
	}

	/** From {@code start} to {@code end}, or to now while {@code end} is null; {@code -} before a start. */
	public String elapsed(@Nullable Instant start, @Nullable Instant end) {
		if (start == null) {
			return NONE;
		}
		Duration duration = Duration.between(start, (end != null) ? end : now());
		return duration(duration.isNegative() ? Duration.ZERO : duration);
	}

	/** {@code 42s}, {@code 4m12s}, {@code 1h04m}. */
	public static String duration(Duration duration) {
		long seconds = duration.toSeconds();
		if (seconds < 60) {
			return seconds + "s";
		}
		if (seconds < 3600) {
			return (seconds / 60) + "m" + pad(seconds % 60) + "s";
		}
		return (seconds / 3600) + "h" + pad((seconds % 3600) / 60) + "m";
	}

	/** {@code 12.3s} below a minute, {@link #duration(Duration)} above. */
	public static String millis(long millis) {
		if (millis < 60_000) {
			return BigDecimal.valueOf(millis).movePointLeft(3).setScale(1, RoundingMode.HALF_UP) + "s";
		}
		return duration(Duration.ofMillis(millis));
	}

	/** {@code $0.0123}. */
	public static String cost(@Nullable BigDecimal usd) {
		return (usd != null) ? "$" + usd.setScale(4, RoundingMode.HALF_UP).toPlainString() : NONE;
	}

	public static String orNone(@Nullable Object value) {
		return (value != null) ? String.valueOf(value) : NONE;
	}

	private static String pad(long value) {
		return (value < 10) ? "0" + value : Long.toString(value);
	}
}
