package dev.dilxc.daemon.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Bounded polling for a real asynchronous effect (Quartz's thread, the worker, the agent in LXD). */
public final class Await {

	private Await() {
	}

	/** The first value {@code probe} gives within {@code limit}; fails naming {@code what} when none came. */
	public static <T> T value(String what, Duration limit, Supplier<Optional<T>> probe) throws InterruptedException {
		long deadline = System.nanoTime() + limit.toNanos();
		Optional<T> value = probe.get();
		while (value.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(200);
			value = probe.get();
		}
		return value.orElseThrow(() -> new AssertionError("waited " + limit + " for " + what));
	}
}
