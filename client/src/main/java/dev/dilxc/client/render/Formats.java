package dev.dilxc.client.render;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * How times, durations and costs look in the client's tables and details, in the clock's
 * zone.
 */
public final class Formats {

	/** What an absent value prints as. */
	public static final String NONE = "-";

	private static final DateTimeFormatter SHORT_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm");

	private static final DateTimeFormatter FULL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);

	private static final DateTimeFormatter DAY_TIME_ZONE = DateTimeFormatter.ofPattern("EEE d MMM HH:mm zzz",
			Locale.ENGLISH);

	private final Clock clock;

	public Formats(Clock clock) {
		this.clock = clock;
	}

	public Instant now() {
		return this.clock.instant();
	}

	/** The zone times are shown in. */
	public ZoneId zone() {
		return this.clock.getZone();
	}

	/** The zone of that name, or the local one when the name is missing or unknown. */
	public ZoneId zoneOr(@Nullable String zone) {
		if (zone != null) {
			try {
				return ZoneId.of(zone);
			}
			catch (DateTimeException ex) {
				// shown in local time instead
			}
		}
		return zone();
	}

	/** {@code Fri 27 Nov 02:00} in {@code zone}. */
	public static String dayTime(@Nullable Instant at, ZoneId zone) {
		return (at != null) ? DAY_TIME.format(at.atZone(zone)) : NONE;
	}

	/** {@code Fri 27 Nov 02:00 CET} in {@code zone}. */
	public static String dayTimeZone(@Nullable Instant at, ZoneId zone) {
		return (at != null) ? DAY_TIME_ZONE.format(at.atZone(zone)) : NONE;
	}

	/** {@code 11-27 14:03}, local time. */
	public String shortTime(@Nullable Instant at) {
		return (at != null) ? SHORT_TIME.format(at.atZone(this.clock.getZone())) : NONE;
	}

	/** {@code 2026-11-27 14:03:07}, local time. */
	public String fullTime(@Nullable Instant at) {
		return (at != null) ? FULL_TIME.format(at.atZone(this.clock.getZone())) : NONE;
	}

	/**
	 * From {@code start} to {@code end}, or to now while {@code end} is null; {@code -}
	 * before a start.
	 */
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

	/**
	 * An amount someone typed, as short as it is exact: {@code $5}, {@code $0.50},
	 * {@code $1.125}.
	 */
	public static String usd(@Nullable BigDecimal usd) {
		if (usd == null) {
			return NONE;
		}
		BigDecimal plain = usd.stripTrailingZeros();
		if (plain.scale() <= 0) {
			return "$" + plain.setScale(0, RoundingMode.UNNECESSARY).toPlainString();
		}
		return "$" + plain.setScale(Math.max(2, plain.scale()), RoundingMode.UNNECESSARY).toPlainString();
	}

	public static String orNone(@Nullable Object value) {
		return (value != null) ? String.valueOf(value) : NONE;
	}

	private static String pad(long value) {
		return (value < 10) ? "0" + value : Long.toString(value);
	}

}
