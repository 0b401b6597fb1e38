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
 * @param serverName the server's name ({@code environment.server_name}): in a cluster,
 * the member this daemon talks to
 * @param clustered whether the server is a member of a cluster
 * @param imagesMinimalReplica in a cluster, on how many members the cluster keeps a copy
 * of each image ({@code cluster.images_minimal_replica}: 3 unless set; -1 every member)
 */
public record LxdServer(String version, boolean idmappedMounts, long serverPid, String serverName, boolean clustered,
		int imagesMinimalReplica) {

	/** LXD's and Incus's default {@code cluster.images_minimal_replica}. */
	public static final int DEFAULT_IMAGE_REPLICAS = 3;

	/** A server that is not clustered. */
	public LxdServer(String version, boolean idmappedMounts, long serverPid) {
		this(version, idmappedMounts, serverPid, "", false, DEFAULT_IMAGE_REPLICAS);
	}

}
