package dev.dilxc.daemon.lxd;

import org.jspecify.annotations.Nullable;

/** LXD was reached but refused or failed the operation, or it did not finish in time. */
public final class LxdOperationFailedException extends LxdException {

	LxdOperationFailedException(@Nullable String message, Throwable cause) {
		super(message, cause);
	}

}
