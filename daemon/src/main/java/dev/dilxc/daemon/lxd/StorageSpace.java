package dev.dilxc.daemon.lxd;

/**
 * How full an LXD storage pool is, as {@code /1.0/storage-pools/NAME/resources} tells it.
 *
 * @param pool the pool's name
 * @param totalBytes its size
 * @param usedBytes what is used of it
 */
public record StorageSpace(String pool, long totalBytes, long usedBytes) {

	public long freeBytes() {
		return Math.max(0, this.totalBytes - this.usedBytes);
	}
}
