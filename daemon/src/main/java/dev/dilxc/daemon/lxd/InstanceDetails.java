package dev.dilxc.daemon.lxd;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An instance in full, as {@code lxc query /1.0/instances/NAME?recursion=1} tells it.
 *
 * @param name its name
 * @param status its run state
 * @param createdAt when LXD created it
 * @param config its local config keys ({@code user.*}, {@code limits.*},
 * {@code security.*}...)
 * @param devices its local devices (not those from profiles), by device name, each with
 * its properties (including {@code type})
 * @param ipv4 global-scope IPv4 addresses with their interface, e.g.
 * {@code 10.0.3.5 (eth0)}
 * @param memoryUsageBytes memory in use, or null when stopped
 * @param diskUsageBytes root disk usage, or null when the driver does not report it
 * @param processes process count, or null when stopped
 * @param snapshots its snapshots, oldest first
 * @param location the cluster member that holds it, or null when the server is not
 * clustered
 */
public record InstanceDetails(InstanceName name, InstanceStatus status, Instant createdAt, Map<String, String> config,
		Map<String, Map<String, String>> devices, List<String> ipv4, @Nullable Long memoryUsageBytes,
		@Nullable Long diskUsageBytes, @Nullable Integer processes, List<InstanceSnapshot> snapshots,
		@Nullable String location) {

	/** An instance of a server that is not clustered. */
	public InstanceDetails(InstanceName name, InstanceStatus status, Instant createdAt, Map<String, String> config,
			Map<String, Map<String, String>> devices, List<String> ipv4, @Nullable Long memoryUsageBytes,
			@Nullable Long diskUsageBytes, @Nullable Integer processes, List<InstanceSnapshot> snapshots) {
		this(name, status, createdAt, config, devices, ipv4, memoryUsageBytes, diskUsageBytes, processes, snapshots,
				null);
	}

	public boolean isRunning() {
		return this.status == InstanceStatus.RUNNING;
	}
}
