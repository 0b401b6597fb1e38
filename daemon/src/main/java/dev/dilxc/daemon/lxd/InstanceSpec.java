package dev.dilxc.daemon.lxd;

import java.util.Map;

/**
 * What {@link Lxd#createInstance} makes.
 *
 * @param name the new instance's name
 * @param image a local image alias or fingerprint
 * @param storagePool the pool for its root disk, or null for the profile's
 * @param config instance config keys set at creation
 */
public record InstanceSpec(InstanceName name, String image, String storagePool, Map<String, String> config) {

	public InstanceSpec {
		config = Map.copyOf(config);
	}
}
