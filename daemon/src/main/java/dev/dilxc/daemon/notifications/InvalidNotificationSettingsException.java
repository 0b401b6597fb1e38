package dev.dilxc.daemon.notifications;

/**
 * A {@code dilxc.notifications.*} setting the daemon cannot work with; {@link #action()}
 * says how to fix it. The message never contains a header value or the configured URL
 * itself (either may carry a token).
 */
final class InvalidNotificationSettingsException extends IllegalArgumentException {

	private final String action;

	InvalidNotificationSettingsException(String problem, String action) {
		super(problem);
		this.action = action;
	}

	String action() {
		return this.action;
	}

}
