package dev.dilxc.daemon.testing;

import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Bounded polling for a real asynchronous effect (Quartz's thread, the worker, the agent
 * in LXD, a process starting): the one polling loop of the daemon's and the client's
 * tests (the client has it from the daemon's test jar).
 * <p>
 * The probe runs at once, then after every {@code interval}, and a last time when
 * {@code limit} is up, so a short limit still gets its look at the end.
 * {@link Duration#ZERO} polls again at once, for a probe that takes its own time (an
 * {@code lxc exec}). Whatever the probe throws (an {@link AssertionError} included) ends
 * the wait at once: a probe stops a wait that can no longer succeed by throwing. An
 * interrupt ends the wait as one that did not succeed, the thread left interrupted.
 */
public final class Await {

	private Await() {
	}

	/**
	 * The first value of {@code probe} that {@code done} accepts; fails, once
	 * {@code limit} is up, naming {@code what} was awaited and the last value seen.
	 */
	public static <T> T until(String what, Duration limit, Duration interval, Supplier<? extends T> probe,
			Predicate<? super T> done) {
		Polled<T> polled = poll(limit, interval, probe, done);
		if (!polled.done()) {
			throw new AssertionError(
					failure(what, limit, interval, polled.interrupted()) + "; last seen: " + polled.last());
		}
		return polled.last();
	}

	/**
	 * Waits until {@code condition} holds; fails, once {@code limit} is up, naming
	 * {@code what} was awaited.
	 */
	public static void until(String what, Duration limit, Duration interval, BooleanSupplier condition) {
		Polled<Boolean> polled = poll(limit, interval, condition::getAsBoolean, Boolean::booleanValue);
		if (!polled.done()) {
			throw new AssertionError(failure(what, limit, interval, polled.interrupted()));
		}
	}

	/**
	 * Whether {@code condition} came to hold within {@code limit}: for a caller that
	 * reports the failure itself (with a log, or as the result of its own API).
	 */
	public static boolean holdsWithin(Duration limit, Duration interval, BooleanSupplier condition) {
		return poll(limit, interval, condition::getAsBoolean, Boolean::booleanValue).done();
	}

	private record Polled<T>(T last, boolean done, boolean interrupted) {
	}

	private static <T> Polled<T> poll(Duration limit, Duration interval, Supplier<? extends T> probe,
			Predicate<? super T> done) {
		if (limit.isNegative() || interval.isNegative()) {
			throw new IllegalArgumentException(
					"limit " + limit + " and interval " + interval + " must not be negative");
		}
		long deadline = System.nanoTime() + limit.toNanos();
		T value = probe.get();
		while (!done.test(value)) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return new Polled<>(value, false, false);
			}
			long pause = Math.min(interval.toNanos(), left);
			try {
				if (pause > 0) {
					Thread.sleep(Duration.ofNanos(pause));
				}
				else if (Thread.interrupted()) {
					throw new InterruptedException();
				}
				else {
					Thread.onSpinWait();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return new Polled<>(value, false, true);
			}
			value = probe.get();
		}
		return new Polled<>(value, true, false);
	}

	private static String failure(String what, Duration limit, Duration interval, boolean interrupted) {
		return (interrupted ? "interrupted while waiting (at most " + format(limit) + ")" : "waited " + format(limit))
				+ " for " + what
				+ (interval.isZero() ? " (polling without a pause)" : " (polling every " + format(interval) + ")");
	}

	/** 150 ms, 60 s, 2.5 s. */
	private static String format(Duration duration) {
		long millis = duration.toMillis();
		if (millis < 1000) {
			return (millis == 0 && !duration.isZero()) ? "under 1 ms" : millis + " ms";
		}
		return (millis % 1000 == 0) ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
	}

}
