package dev.dilxc.api;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One sandbox (an LXD instance) as the daemon reports it. Fields LXD did not report are
 * null.
 *
 * @param name the LXD instance name
 * @param status LXD's status word in capitals: RUNNING, STOPPED, FROZEN, ERROR...
 * @param managed whether dilxc created it ({@code init} records {@code user.dilxc.*} keys
 * on it)
 * @param image the image it was made from (alias or fingerprint), if known
 * @param projectSource the host directory mounted read-only at
 * {@code /home/ubuntu/project-src}
 * @param deployPath the host directory mounted read-write at {@code /mnt/deploy}, or null
 * @param ipv4 its global IPv4 addresses with the interface, e.g. {@code 10.0.3.5 (eth0)};
 * empty when it has none
 * @param cpuLimit {@code limits.cpu}, or null when unlimited
 * @param memoryLimit {@code limits.memory}, or null when unlimited
 * @param memoryUsageBytes memory in use while it runs
 * @param diskUsageBytes root disk in use, when the storage driver reports it
 * @param processes processes running inside
 * @param createdAt when LXD created it
 * @param snapshots its snapshots, oldest first
 * @param quarantine why it needs attention when it is quarantined (no job starts in it
 * until repaired), else null
 * @param member the LXD or Incus cluster member that holds it, or null outside a cluster
 * @param memberAway why its member cannot be reached now (the member's state and
 * message), or null when it can
 */
public record SandboxView(String name, String status, boolean managed, @Nullable String image,
		@Nullable String projectSource, @Nullable String deployPath, List<String> ipv4, @Nullable String cpuLimit,
		@Nullable String memoryLimit, @Nullable Long memoryUsageBytes, @Nullable Long diskUsageBytes,
		@Nullable Integer processes, Instant createdAt, List<SnapshotView> snapshots,
		@Nullable QuarantineView quarantine, @Nullable String member, @Nullable String memberAway) {

	/** A sandbox outside a cluster. */
	public SandboxView(String name, String status, boolean managed, @Nullable String image,
			@Nullable String projectSource, @Nullable String deployPath, List<String> ipv4, @Nullable String cpuLimit,
			@Nullable String memoryLimit, @Nullable Long memoryUsageBytes, @Nullable Long diskUsageBytes,
			@Nullable Integer processes, Instant createdAt, List<SnapshotView> snapshots,
			@Nullable QuarantineView quarantine) {
		this(name, status, managed, image, projectSource, deployPath, ipv4, cpuLimit, memoryLimit, memoryUsageBytes,
				diskUsageBytes, processes, createdAt, snapshots, quarantine, null, null);
	}

	public boolean isRunning() {
		return "RUNNING".equals(this.status);
	}
}
