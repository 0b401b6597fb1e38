package dev.dilxc.daemon.jobs;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the job history lasts ({@link Retention}). A zero limit means no limit: 0
 * keeps jobs (or their output) forever.
 *
 * @param maxAge how long a finished job is kept after it ended, with its history; its
 * delivered notifications and schedule events that old go too; 0 keeps them forever
 * @param maxJobsPerSandbox how many of each sandbox's newest jobs are kept at most (older
 * finished ones are deleted); 0 for no limit
 * @param bulkMaxAge how long a finished job's bulky parts (output lines, captured diff,
 * session transcript) are kept; after that only its summary stays (state, cost, turns,
 * files changed, reason) and logs and diff say the output was pruned; 0 keeps them as
 * long as the job
 * @param batchSize how many jobs (or output lines, notifications, events) one step of the
 * sweep removes, each step its own short transaction
 * @param interval how often the sweep runs; the first run is a minute after the daemon
 * starts
 * @param sweepEnabled whether the sweep runs in the background (tests run it by hand)
 */
@ConfigurationProperties("dilxc.retention")
record RetentionProperties(@DefaultValue("90d") Duration maxAge, @DefaultValue("1000") int maxJobsPerSandbox,
		@DefaultValue("14d") Duration bulkMaxAge, @DefaultValue("500") int batchSize,
		@DefaultValue("1h") Duration interval, @DefaultValue("true") boolean sweepEnabled) {

	/**
	 * A schedule's daily cost cap sums the jobs of the last day, so those must still be
	 * there.
	 */
	static final Duration MIN_MAX_AGE = Duration.ofDays(1);

	RetentionProperties {
		if (maxAge.isNegative() || (!maxAge.isZero() && maxAge.compareTo(MIN_MAX_AGE) < 0)) {
			throw new IllegalArgumentException("dilxc.retention.max-age must be at least 1d (a schedule's daily cost "
					+ "cap counts the last day's jobs), or 0 to keep jobs forever, not " + maxAge);
		}
		if (maxJobsPerSandbox < 0) {
			throw new IllegalArgumentException("dilxc.retention.max-jobs-per-sandbox must be a number of jobs such as "
					+ "1000, or 0 for no limit, not " + maxJobsPerSandbox);
		}
		if (bulkMaxAge.isNegative()) {
			throw new IllegalArgumentException("dilxc.retention.bulk-max-age must be a duration such as 14d, or 0 to "
					+ "keep output as long as the job, not " + bulkMaxAge);
		}
		if (!maxAge.isZero() && !bulkMaxAge.isZero() && bulkMaxAge.compareTo(maxAge) > 0) {
			throw new IllegalArgumentException("dilxc.retention.bulk-max-age (" + Retention.format(bulkMaxAge)
					+ ") is longer than dilxc.retention.max-age (" + Retention.format(maxAge) + "), so jobs would be "
					+ "deleted before their output is pruned: make it at most " + Retention.format(maxAge) + ", or 0");
		}
		if (batchSize < 1 || batchSize > 10_000) {
			throw new IllegalArgumentException(
					"dilxc.retention.batch-size must be between 1 and 10000, not " + batchSize);
		}
		if (interval.isZero() || interval.isNegative()) {
			throw new IllegalArgumentException(
					"dilxc.retention.interval must be a positive duration such as 30m or 1h, not " + interval);
		}
	}

	boolean keepsEverything() {
		return this.maxAge.isZero() && this.maxJobsPerSandbox == 0 && this.bulkMaxAge.isZero();
	}
}
