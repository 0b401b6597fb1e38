package dev.dilxc.daemon.jobs;

/** A submitted job was rejected before it was stored; the message names the field and the fix. */
public final class InvalidJobRequestException extends RuntimeException {

	InvalidJobRequestException(String message) {
		super(message);
	}
}
