package dev.dilxc.daemon.jobs;

import org.jspecify.annotations.Nullable;

/**
 * A submitted job was rejected before it was stored; the message names the field and the
 * fix.
 */
public final class InvalidJobRequestException extends RuntimeException {

	InvalidJobRequestException(@Nullable String message) {
		super(message);
	}

}
