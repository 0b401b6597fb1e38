package dev.dilxc.daemon.process;

import java.util.List;

/**
 * The program could not be started at all (missing binary, no permission), or the thread
 * running it was interrupted (then its interrupt flag is set again and the process was
 * killed).
 */
public final class ProcessStartException extends RuntimeException {

	ProcessStartException(List<String> command, Exception cause) {
		super("could not run '" + command.get(0) + "': " + cause.getMessage(), cause);
	}

}
