package dev.dilxc.daemon;

import java.time.Duration;

/**
 * Elapsed time for decisions, as opposed to the {@link java.time.Clock} bean for
 * timestamps that are stored or shown. A wall clock jumps (an NTP step, a manual change,
 * a laptop whose RTC is corrected after resume), and a deadline measured on it fires or
 * never fires for reasons that have nothing to do with the job; this one only moves
 * forward, at the rate of real time.
 *
 * <p>
 * The production source is {@link System#nanoTime()}, which on Linux is
 * {@code CLOCK_MONOTONIC}: it does not advance while the machine is suspended. That is
 * intended: a job's timeout and its inactivity limit count time the machine was awake, so
 * a laptop resumed after a night closed does not end every running job.
 */
@FunctionalInterface
public interface MonotonicClock {

	/** {@link System#nanoTime()}: the daemon's source. */
	MonotonicClock SYSTEM = System::nanoTime;

	/**
	 * Nanoseconds since an arbitrary origin; only the difference of two readings means
	 * anything.
	 */
	long nanoTime();

	/**
	 * The time elapsed since {@code start}, an earlier {@link #nanoTime()} of this clock.
	 */
	default Duration since(long start) {
		// Subtract first: readings may overflow, their difference does not (for under 292
		// years).
		return Duration.ofNanos(nanoTime() - start);
	}

}
