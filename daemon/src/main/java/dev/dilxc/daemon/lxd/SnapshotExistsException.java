package dev.dilxc.daemon.lxd;

/** The instance already has a snapshot by this name. */
public final class SnapshotExistsException extends LxdException {

	SnapshotExistsException(InstanceName name, String snapshot, Throwable cause) {
		super("instance '" + name + "' already has a snapshot named '" + snapshot + "'", cause);
	}

}
