package dev.dilxc.daemon.lxd;

import org.jspecify.annotations.Nullable;

/**
 * The LXD (or Incus) client binary is missing, the daemon behind it cannot be reached, or
 * {@code dilxc.lxd.backend: auto} cannot choose between them.
 */
public final class LxdUnavailableException extends LxdException {

	LxdUnavailableException(String message) {
		super(message, null);
	}

	LxdUnavailableException(@Nullable String message, Throwable cause) {
		super(message, cause);
	}

}
