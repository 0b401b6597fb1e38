package dev.dilxc.daemon.schedules;

/**
 * run-now was refused: the schedule's previous run is still going and its overlap policy
 * is skip.
 */
public final class ScheduleBusyException extends RuntimeException {

	ScheduleBusyException(String message) {
		super(message);
	}

}
