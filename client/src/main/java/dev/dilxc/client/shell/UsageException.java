package dev.dilxc.client.shell;

import java.util.Objects;

/**
 * The command line asks for something that cannot be done as written: an unknown command
 * or option, a missing or extra argument, a value that does not parse. The message says
 * what and how to fix it.
 */
public class UsageException extends RuntimeException {

	public UsageException(String message) {
		super(message);
	}

	public UsageException(String message, Throwable cause) {
		super(message, cause);
	}

	/** Never null: every constructor takes one. */
	@Override
	public String getMessage() {
		return Objects.requireNonNull(super.getMessage());
	}

}
