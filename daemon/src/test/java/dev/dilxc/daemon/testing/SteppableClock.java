package dev.dilxc.daemon.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that runs with real time but can be pushed forward, so a test reaches a
 * deadline (a job's timeout, the inactivity limit) at once instead of sleeping until it.
 */
public final class SteppableClock extends Clock {

	private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

	/** Moves "now" forward by {@code amount} for everything that reads this clock. */
	public void advance(Duration amount) {
		this.offset.updateAndGet((current) -> current.plus(amount));
	}

	@Override
	public Instant instant() {
		return Instant.now().plus(this.offset.get());
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("the daemon reads UTC only");
	}

}
