package dev.dilxc.daemon.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.dilxc.daemon.MonotonicClock;

/**
 * A monotonic clock that runs with real time but can be pushed forward, so a test reaches
 * a deadline measured on it (a job's timeout, the inactivity limit) at once instead of
 * sleeping until it. It counts its readings, so a test can wait until the daemon has
 * looked at the time again after something changed.
 */
public final class SteppableMonotonicClock implements MonotonicClock {

	private final AtomicLong offset = new AtomicLong();

	private final AtomicLong readings = new AtomicLong();

	/**
	 * Moves the monotonic "now" forward by {@code amount} for everything that reads this
	 * clock.
	 */
	public void advance(Duration amount) {
		if (amount.isNegative()) {
			throw new IllegalArgumentException("a monotonic clock never goes back: " + amount);
		}
		this.offset.addAndGet(amount.toNanos());
	}

	/** How often the daemon has read this clock so far. */
	public long readings() {
		return this.readings.get();
	}

	@Override
	public long nanoTime() {
		this.readings.incrementAndGet();
		return System.nanoTime() + this.offset.get();
	}

}
