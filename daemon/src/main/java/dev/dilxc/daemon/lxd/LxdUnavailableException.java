package dev.dilxc.daemon.lxd;

/** The LXD client binary is missing or the LXD daemon cannot be reached. */
public final class LxdUnavailableException extends LxdException {

	LxdUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}
}
