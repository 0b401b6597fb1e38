package dev.dilxc.daemon.lxd;

/**
 * What the LXD server says of itself ({@code lxc query /1.0}).
 *
 * @param version the server version
 * @param idmappedMounts whether it can shift ids on disk devices ({@code shift=true})
 */
public record LxdServer(String version, boolean idmappedMounts) {
}
