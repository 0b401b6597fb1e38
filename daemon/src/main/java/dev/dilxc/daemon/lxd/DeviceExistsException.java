package dev.dilxc.daemon.lxd;

/** The instance already has a device by this name. */
public final class DeviceExistsException extends LxdException {

	DeviceExistsException(String message, Throwable cause) {
		super(message, cause);
	}

}
