package dev.dilxc.daemon.jobs;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.dilxc.api.RestorePolicy;

/**
 * The job queue and its worker.
 *
 * @param defaultSandbox the sandbox a job runs in when the submit names none
 * @param defaultTimeout how long a job may run when the submit names none, in time the
 * machine is awake (a wall-clock jump or a suspend does not count)
 * @param maxTimeout the largest timeout a submit may ask for
 * @param inactivityTimeout how long a running agent may print nothing before it is
 * stopped (TIMED_OUT); measured like the timeout
 * @param defaultRestorePolicy the restore policy when the submit names none
 * @param maxConcurrentJobs how many jobs this daemon runs at once across all sandboxes
 * (one per sandbox always); each daemon sharing a PostgreSQL store has its own
 * @param pollInterval how often the worker looks for work when nothing wakes it
 * @param maxPromptBytes the largest prompt accepted (a prompt travels as one argv
 * element, and Linux caps those at 128 KiB)
 * @param maxOutputBytes how much output is stored per job before a truncation marker ends
 * it
 * @param maxLineBytes how long one stored output line may be before it is cut
 * @param shutdownGrace how long running jobs get to finish when the daemon is stopped
 * @param workerEnabled whether the worker starts with the daemon (tests step it by hand)
 * @param maxBudgetUsd the largest {@code --max-budget-usd} a submit may ask for
 * @param maxDiffBytes how much of a job's diff is stored; a longer one is cut and marked
 * truncated
 * @param maxTranscriptBytes the largest Claude Code session transcript kept with a job's
 * changes (for resume after a restore); a larger one is not kept
 * @param captureTimeout the limit for capturing a job's changes (git status and diff) in
 * the sandbox
 * @param repairBackoff how long after a sandbox is quarantined the daemon first retries
 * its repair; each failed retry doubles the wait
 * @param repairBackoffMax the longest wait between two repair retries of a quarantined
 * sandbox
 * @param lxdReturnTimeout how long a job whose LXD went away mid-run waits for LXD to
 * answer again before its sandbox is quarantined
 * @param minFreeData the least free space on the data directory's disk for a job to
 * start: below it a job is refused before its snapshot, since its output and history
 * could not be stored
 * @param minFreePool the least free space in the sandbox's LXD storage pool for a job to
 * start: below it a job is refused before its snapshot, since the snapshot and the
 * agent's work could not be written
 */
@ConfigurationProperties("dilxc.jobs")
record JobsProperties(@DefaultValue("docker-lxc") String defaultSandbox, @DefaultValue("2h") Duration defaultTimeout,
		@DefaultValue("7d") Duration maxTimeout, @DefaultValue("30m") Duration inactivityTimeout,
		@DefaultValue("on-failure") String defaultRestorePolicy, @DefaultValue("2") int maxConcurrentJobs,
		@DefaultValue("1s") Duration pollInterval, @DefaultValue("100000B") DataSize maxPromptBytes,
		@DefaultValue("64MB") DataSize maxOutputBytes, @DefaultValue("1MB") DataSize maxLineBytes,
		@DefaultValue("20s") Duration shutdownGrace, @DefaultValue("true") boolean workerEnabled,
		@DefaultValue("100") java.math.BigDecimal maxBudgetUsd, @DefaultValue("1MB") DataSize maxDiffBytes,
		@DefaultValue("32MB") DataSize maxTranscriptBytes, @DefaultValue("2m") Duration captureTimeout,
		@DefaultValue("30s") Duration repairBackoff, @DefaultValue("30m") Duration repairBackoffMax,
		@DefaultValue("5m") Duration lxdReturnTimeout, @DefaultValue("256MB") DataSize minFreeData,
		@DefaultValue("1GB") DataSize minFreePool) {

	JobsProperties {
		try {
			RestorePolicy.parse(defaultRestorePolicy);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("dilxc.jobs.default-restore-policy: " + ex.getMessage(), ex);
		}
		if (maxConcurrentJobs < 1) {
			throw new IllegalArgumentException(
					"dilxc.jobs.max-concurrent-jobs must be at least 1, not " + maxConcurrentJobs);
		}
		positive("default-timeout", defaultTimeout);
		positive("max-timeout", maxTimeout);
		positive("inactivity-timeout", inactivityTimeout);
		positive("poll-interval", pollInterval);
		positive("shutdown-grace", shutdownGrace);
		positive("repair-backoff", repairBackoff);
		positive("repair-backoff-max", repairBackoffMax);
		positive("lxd-return-timeout", lxdReturnTimeout);
		if (maxBudgetUsd.signum() <= 0) {
			throw new IllegalArgumentException("dilxc.jobs.max-budget-usd must be positive, not " + maxBudgetUsd);
		}
		if (captureTimeout.isZero() || captureTimeout.isNegative()) {
			throw new IllegalArgumentException("dilxc.jobs.capture-timeout must be positive, not " + captureTimeout);
		}
		if (minFreeData.toBytes() < 0 || minFreePool.toBytes() < 0) {
			throw new IllegalArgumentException(
					"dilxc.jobs.min-free-data and dilxc.jobs.min-free-pool must not be negative (0 turns "
							+ "the check off), not " + minFreeData + " and " + minFreePool);
		}
		if (maxLineBytes.toBytes() < 1024 || maxLineBytes.toBytes() > Integer.MAX_VALUE / 2) {
			throw new IllegalArgumentException(
					"dilxc.jobs.max-line-bytes must be between 1KB and 1GB, not " + maxLineBytes);
		}
	}

	private static void positive(String key, Duration value) {
		if (value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException(
					"dilxc.jobs." + key + " must be a positive duration such as 30s, 5m or 2h, not " + value);
		}
	}

	RestorePolicy restorePolicy() {
		return RestorePolicy.parse(this.defaultRestorePolicy);
	}
}
