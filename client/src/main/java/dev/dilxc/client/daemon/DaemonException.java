package dev.dilxc.client.daemon;

import java.util.Objects;

/**
 * Something went wrong talking to the daemon. Each subclass is one kind of trouble,
 * mapped to an exit code and a one-line message by
 * {@link dev.dilxc.client.shell.ClientErrors}.
 */
public abstract sealed class DaemonException extends RuntimeException
		permits DaemonUnreachableException, InvalidRequestException, JobNotFoundException, JobAlreadyFinishedException,
		NotFoundException, ConflictException, DaemonFailureException {

	DaemonException(String message) {
		super(message);
	}

	DaemonException(String message, Throwable cause) {
		super(message, cause);
	}

	/** Never null: every constructor takes one. */
	@Override
	public String getMessage() {
		return Objects.requireNonNull(super.getMessage());
	}

}
