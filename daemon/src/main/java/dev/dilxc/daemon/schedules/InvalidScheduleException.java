package dev.dilxc.daemon.schedules;

/**
 * A schedule request was rejected before anything was stored; the message names the part
 * and the fix.
 */
public final class InvalidScheduleException extends RuntimeException {

	InvalidScheduleException(String message) {
		super(message);
	}

}
