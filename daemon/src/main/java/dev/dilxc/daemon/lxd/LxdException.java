package dev.dilxc.daemon.lxd;

import org.jspecify.annotations.Nullable;

/** Something LXD could not do; the subclasses say what kind of trouble it was. */
public abstract sealed class LxdException extends RuntimeException permits LxdUnavailableException,
		InstanceNotFoundException, SnapshotNotFoundException, SnapshotExistsException, InstanceExistsException,
		ImageNotFoundException, DeviceExistsException, LxdOperationFailedException, MemberUnavailableException {

	LxdException(@Nullable String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
