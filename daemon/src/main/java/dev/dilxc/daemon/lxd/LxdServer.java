package dev.dilxc.daemon.lxd;

/**
 * What the LXD server says of itself ({@code lxc query /1.0}).
 *
 * @param version the server version
 * @param idmappedMounts whether it can shift ids on disk devices ({@code shift=true});
 * true only when LXD reports shiftfs, since LXD 5.0.2 reports
 * {@code kernel_features.idmapped_mounts=true} on hosts where {@code shift=true} then
 * fails ("Required idmapping abilities not available"). When false, use
 * {@code raw.idmap}.
 * @param serverPid the LXD daemon's process id (0 when it does not say): a new one means
 * LXD restarted
 */
public record LxdServer(String version, boolean idmappedMounts, long serverPid) {
}
