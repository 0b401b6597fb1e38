package dev.dilxc.daemon.lxd;

/** The instance has no snapshot by this name. */
public final class SnapshotNotFoundException extends LxdException {

	SnapshotNotFoundException(InstanceName name, String snapshot, Throwable cause) {
		super("instance '" + name + "' has no snapshot named '" + snapshot + "'", cause);
	}

}
