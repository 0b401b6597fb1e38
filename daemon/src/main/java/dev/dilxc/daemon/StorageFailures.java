package dev.dilxc.daemon;

/**
 * A failed database write in words a user can act on: a full disk is named as such (H2
 * reports it deep in its cause chain, under a "General error"), anything else by its
 * innermost message's first line.
 */
public final class StorageFailures {

	private static final String PREFIX = "the database could not be written";

	private StorageFailures() {
	}

	public static String describe(Throwable failure) {
		if (failure.getMessage() != null && failure.getMessage().startsWith(PREFIX)) {
			return failure.getMessage();
		}
		String innermost = null;
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String message = cause.getMessage();
			if (message == null) {
				continue;
			}
			if (message.contains("No space left on device")) {
				return "the database could not be written: no space left on the data directory's disk";
			}
			innermost = message;
		}
		if (innermost == null) {
			return "the database could not be written (" + failure.getClass().getSimpleName() + ")";
		}
		String line = innermost.lines().findFirst().orElse("").strip();
		return "the database could not be written: " + (line.length() > 300 ? line.substring(0, 300) + "…" : line);
	}

	/** Whether the failure is the database's, as opposed to LXD's or the agent's. */
	public static boolean isStorage(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof org.springframework.dao.DataAccessException
					|| cause instanceof java.sql.SQLException) {
				return true;
			}
		}
		return false;
	}

}
