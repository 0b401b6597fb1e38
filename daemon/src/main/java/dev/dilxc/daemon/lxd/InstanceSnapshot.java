package dev.dilxc.daemon.lxd;

import java.time.Instant;

/**
 * One snapshot of an instance. Named after Incus's type so it does not clash with our
 * snapshots feature.
 */
public record InstanceSnapshot(String name, Instant createdAt) {
}
