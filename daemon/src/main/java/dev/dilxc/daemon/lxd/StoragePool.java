package dev.dilxc.daemon.lxd;

/**
 * An LXD storage pool.
 *
 * @param name its name
 * @param driver its driver: {@code btrfs}, {@code zfs}, {@code dir}, {@code lvm}...
 */
public record StoragePool(String name, String driver) {
}
