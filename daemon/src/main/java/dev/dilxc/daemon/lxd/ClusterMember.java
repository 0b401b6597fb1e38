package dev.dilxc.daemon.lxd;

/**
 * One member of an LXD or Incus cluster, as {@code /1.0/cluster/members} tells it.
 *
 * @param name its name ({@code member2})
 * @param status {@code ONLINE}, {@code OFFLINE}, {@code EVACUATED}, {@code BLOCKED}...
 * @param message what the cluster says of it: {@code Fully operational},
 * {@code No heartbeat for 31.1s (...)}
 * @param address its cluster address without the port ({@code 127.42.1.2}); the host
 * whose devices (project mount, proxies) its sandboxes use
 */
public record ClusterMember(String name, String status, String message, String address) {

	/** Whether calls for its instances can be answered now. */
	public boolean isOnline() {
		return "ONLINE".equals(this.status);
	}

	/** {@code member3 is OFFLINE (No heartbeat for 31s)}: for reasons and warnings. */
	public String describe() {
		return this.name + " is " + this.status + (this.message.isBlank() ? "" : " (" + this.message + ")");
	}

}
