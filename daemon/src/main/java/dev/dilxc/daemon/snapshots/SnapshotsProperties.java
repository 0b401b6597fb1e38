package dev.dilxc.daemon.snapshots;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retention of the snapshots the daemon takes for jobs.
 *
 * @param keepPerSandbox how many jobs' snapshots to keep per sandbox (newest jobs first); snapshots the
 * daemon did not create are never deleted
 */
@ConfigurationProperties("dilxc.snapshots")
record SnapshotsProperties(@DefaultValue("10") int keepPerSandbox) {

	SnapshotsProperties {
		if (keepPerSandbox < 1) {
			throw new IllegalArgumentException(
					"dilxc.snapshots.keep-per-sandbox must be at least 1 (the running job's snapshot), not " + keepPerSandbox);
		}
	}
}
