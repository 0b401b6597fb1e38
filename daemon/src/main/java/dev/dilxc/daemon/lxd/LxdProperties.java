package dev.dilxc.daemon.lxd;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the daemon drives LXD.
 *
 * @param executable the client binary: {@code lxc}, or {@code incus} for Incus
 * @param commandTimeout limit for quick calls (queries, exec of small helpers)
 * @param snapshotTimeout limit for snapshot, restore, snapshot deletion and other long
 * calls (start, stop, create, delete, file copies)
 * @param stopTimeout how long a stop or restart waits for a clean shutdown before it
 * kills the instance
 */
@ConfigurationProperties("dilxc.lxd")
record LxdProperties(@DefaultValue("lxc") String executable, @DefaultValue("60s") Duration commandTimeout,
		@DefaultValue("10m") Duration snapshotTimeout, @DefaultValue("30s") Duration stopTimeout) {

	LxdProperties {
		if (executable == null || executable.isBlank()) {
			throw new IllegalArgumentException("dilxc.lxd.executable must name the LXD client, e.g. lxc or incus");
		}
		requirePositive("dilxc.lxd.command-timeout", commandTimeout);
		requirePositive("dilxc.lxd.snapshot-timeout", snapshotTimeout);
		requirePositive("dilxc.lxd.stop-timeout", stopTimeout);
		if (stopTimeout.compareTo(snapshotTimeout) >= 0) {
			throw new IllegalArgumentException(
					"dilxc.lxd.stop-timeout (" + stopTimeout + ") must be shorter than dilxc.lxd.snapshot-timeout ("
							+ snapshotTimeout + "), which bounds a stop");
		}
	}

	static void requirePositive(String key, Duration value) {
		if (value == null || value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException(key + " must be a positive duration such as 30s or 5m, not " + value);
		}
	}
}
