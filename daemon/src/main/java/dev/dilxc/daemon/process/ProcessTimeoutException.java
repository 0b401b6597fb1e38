package dev.dilxc.daemon.process;

import java.time.Duration;
import java.util.List;

/**
 * The program did not finish within its timeout (writing its stdin and reading its output
 * included) and was killed with its children. Carries the stderr read until then.
 */
public final class ProcessTimeoutException extends RuntimeException {

	private final String stderr;

	ProcessTimeoutException(List<String> command, Duration timeout, String stderr) {
		super("'" + String.join(" ", command.subList(0, Math.min(4, command.size()))) + " …' did not finish within "
				+ describe(timeout) + " and was stopped");
		this.stderr = stderr;
	}

	/** What the program wrote to stderr before it was stopped (its last bytes). */
	public String stderr() {
		return this.stderr;
	}

	private static String describe(Duration timeout) {
		return (timeout.toMillis() % 1000 == 0) ? timeout.toSeconds() + "s" : timeout.toMillis() + " ms";
	}

}
