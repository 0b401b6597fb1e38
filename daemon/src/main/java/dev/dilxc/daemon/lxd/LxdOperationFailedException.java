package dev.dilxc.daemon.lxd;

/** LXD was reached but refused or failed the operation, or it did not finish in time. */
public final class LxdOperationFailedException extends LxdException {

	LxdOperationFailedException(String message, Throwable cause) {
		super(message, cause);
	}
}
