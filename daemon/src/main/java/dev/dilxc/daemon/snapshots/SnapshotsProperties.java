package dev.dilxc.daemon.snapshots;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retention of the snapshots the daemon takes: for jobs, aside ({@code -stale-<time>})
 * and before a restore ({@code pre-restore-<time>}). Snapshots the daemon did not name
 * are never deleted.
 *
 * @param keepPerSandbox how many jobs' snapshots to keep per sandbox (newest jobs first);
 * snapshots the daemon did not create are never deleted
 * @param keepPreRestore how many pre-restore-TIME safety snapshots (the state a restore
 * replaced) to keep per sandbox, newest first
 * @param staleMaxAge how long job snapshots renamed aside with -stale-TIME (left by an
 * earlier database) are kept after the rename; 0 keeps them forever
 */
@ConfigurationProperties("dilxc.snapshots")
record SnapshotsProperties(@DefaultValue("10") int keepPerSandbox, @DefaultValue("5") int keepPreRestore,
		@DefaultValue("30d") Duration staleMaxAge) {

	SnapshotsProperties {
		if (keepPerSandbox < 1) {
			throw new IllegalArgumentException(
					"dilxc.snapshots.keep-per-sandbox must be at least 1 (the running job's snapshot), not "
							+ keepPerSandbox);
		}
		if (keepPreRestore < 1) {
			throw new IllegalArgumentException("dilxc.snapshots.keep-pre-restore must be at least 1 (the undo of the "
					+ "last restore), not " + keepPreRestore);
		}
		if (staleMaxAge.isNegative()) {
			throw new IllegalArgumentException(
					"dilxc.snapshots.stale-max-age must be a duration such as 30d, or 0 to keep them forever, not "
							+ staleMaxAge);
		}
	}
}
