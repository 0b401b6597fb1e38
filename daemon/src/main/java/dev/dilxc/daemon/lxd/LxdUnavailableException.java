package dev.dilxc.daemon.lxd;

import org.jspecify.annotations.Nullable;

/** The LXD client binary is missing or the LXD daemon cannot be reached. */
public final class LxdUnavailableException extends LxdException {

	LxdUnavailableException(@Nullable String message, Throwable cause) {
		super(message, cause);
	}

}
