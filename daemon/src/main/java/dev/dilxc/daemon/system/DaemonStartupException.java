package dev.dilxc.daemon.system;

/**
 * The daemon cannot start as configured; {@link #action()} says what the user can do
 * about it.
 */
final class DaemonStartupException extends RuntimeException {

	private final String action;

	DaemonStartupException(String problem, String action) {
		super(problem);
		this.action = action;
	}

	String action() {
		return this.action;
	}

}
