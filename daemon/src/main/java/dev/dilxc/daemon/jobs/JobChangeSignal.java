package dev.dilxc.daemon.jobs;

import java.time.Duration;

/**
 * Wakes whoever waits for a job to change (a stored output line, a state change), so a
 * following client gets a line as soon as it is stored instead of on its next poll. One
 * counter for all jobs: a waiter re-reads its own job, and a few spurious wake-ups cost a
 * query each.
 */
final class JobChangeSignal {

	private long version;

	synchronized long version() {
		return this.version;
	}

	synchronized void changed() {
		this.version++;
		notifyAll();
	}

	/**
	 * Waits until something changed since {@code seen}, or {@code limit} passed; false on
	 * the latter.
	 */
	synchronized boolean awaitChange(long seen, Duration limit) throws InterruptedException {
		long end = System.nanoTime() + limit.toNanos();
		while (this.version == seen) {
			long left = end - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			wait(Math.max(1, left / 1_000_000));
		}
		return true;
	}

}
