package dev.dilxc.daemon.lxd;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the daemon drives LXD.
 *
 * @param executable the client binary: {@code lxc}, or {@code incus} for Incus
 * @param commandTimeout limit for quick calls (queries, exec of small helpers)
 * @param snapshotTimeout limit for snapshot, restore and snapshot deletion
 */
@ConfigurationProperties("dilxc.lxd")
record LxdProperties(@DefaultValue("lxc") String executable, @DefaultValue("60s") Duration commandTimeout,
		@DefaultValue("10m") Duration snapshotTimeout) {

	LxdProperties {
		if (executable == null || executable.isBlank()) {
			throw new IllegalArgumentException("dilxc.lxd.executable must name the LXD client, e.g. lxc or incus");
		}
		requirePositive("dilxc.lxd.command-timeout", commandTimeout);
		requirePositive("dilxc.lxd.snapshot-timeout", snapshotTimeout);
	}

	static void requirePositive(String key, Duration value) {
		if (value == null || value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException(key + " must be a positive duration such as 30s or 5m, not " + value);
		}
	}
}
