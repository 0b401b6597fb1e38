package dev.dilxc.daemon.notifications;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When to try again: {@code base}, doubled after each failed try, capped at {@code max},
 * and shortened by a random 0-20 % so that retries after a receiver's outage do not all
 * arrive at once.
 *
 * @param base the wait after the first failed try
 * @param max the longest wait
 * @param maxAttempts tries in all before giving up
 */
record Backoff(Duration base, Duration max, int maxAttempts) {

	/** The largest share of a wait that jitter takes off. */
	static final double JITTER = 0.2;

	/** Whether a notification that has failed {@code attempts} times gets another try. */
	boolean tryAgain(int attempts) {
		return attempts < this.maxAttempts;
	}

	/**
	 * The wait after the {@code attempts}-th failed try (1-based), with {@code random} in
	 * [0, 1).
	 */
	Duration delayAfter(int attempts, DoubleSupplier random) {
		Duration full = longest(attempts);
		return Duration.ofMillis(Math.round(full.toMillis() * (1 - JITTER * random.getAsDouble())));
	}

	/**
	 * The wait after the {@code attempts}-th failed try without jitter: the most it can
	 * be.
	 */
	Duration longest(int attempts) {
		Duration delay = this.base;
		for (int i = 1; i < attempts && delay.compareTo(this.max) < 0; i++) {
			delay = delay.multipliedBy(2);
		}
		return (delay.compareTo(this.max) > 0) ? this.max : delay;
	}

	/**
	 * The wait after the {@code attempts}-th failed try with the most jitter: the least
	 * it can be.
	 */
	Duration shortest(int attempts) {
		return Duration.ofMillis(Math.round(longest(attempts).toMillis() * (1 - JITTER)));
	}
}
