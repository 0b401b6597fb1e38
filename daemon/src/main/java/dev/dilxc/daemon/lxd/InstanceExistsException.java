package dev.dilxc.daemon.lxd;

/** LXD already has an instance by this name. */
public final class InstanceExistsException extends LxdException {

	InstanceExistsException(String message, Throwable cause) {
		super(message, cause);
	}

}
