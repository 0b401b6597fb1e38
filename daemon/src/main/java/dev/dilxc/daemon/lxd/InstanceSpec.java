package dev.dilxc.daemon.lxd;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What {@link Lxd#createInstance} makes.
 *
 * @param name the new instance's name
 * @param image a local image alias or fingerprint
 * @param storagePool the pool for its root disk, or null for the profile's
 * @param config instance config keys set at creation
 * @param target in a cluster, the member ({@code member2}) or cluster group
 * ({@code @gpu}) to place it on; null lets the cluster place it
 */
public record InstanceSpec(InstanceName name, String image, String storagePool, Map<String, String> config,
		@Nullable String target) {

	public InstanceSpec {
		config = Map.copyOf(config);
	}

	/** An instance placed wherever the server (or cluster) puts it. */
	public InstanceSpec(InstanceName name, String image, String storagePool, Map<String, String> config) {
		this(name, image, storagePool, config, null);
	}
}
