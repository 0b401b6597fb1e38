package dev.dilxc.daemon.sandboxes;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import dev.dilxc.api.ProblemTypes;

/**
 * Why a sandbox request cannot be done, in words a user can act on;
 * {@link #problemType()} and {@link #httpStatus()} say how it travels to the client as a
 * problem detail.
 */
public sealed class SandboxException extends RuntimeException
		permits SandboxException.NotFound, SandboxException.NotRunning, SandboxException.Busy,
		SandboxException.BadRequest, SandboxException.Conflict, SandboxException.Missing {

	private final URI problemType;

	private final int httpStatus;

	private SandboxException(URI problemType, int httpStatus, @Nullable String message) {
		super(message);
		this.problemType = problemType;
		this.httpStatus = httpStatus;
	}

	public URI problemType() {
		return this.problemType;
	}

	public int httpStatus() {
		return this.httpStatus;
	}

	/** No sandbox by that name. */
	public static final class NotFound extends SandboxException {

		public NotFound(String name) {
			super(ProblemTypes.SANDBOX_NOT_FOUND, 404, "sandbox '" + name
					+ "' does not exist: create it with 'dilxc-client init -p /path/to/project -n " + name + "'");
		}

	}

	/** The sandbox is there but not running. */
	public static final class NotRunning extends SandboxException {

		public NotRunning(String name, String status) {
			super(ProblemTypes.SANDBOX_NOT_RUNNING, 409,
					"sandbox '" + name + "' is " + status.toLowerCase(java.util.Locale.ROOT)
							+ " (not running): start it with 'dilxc-client @" + name + " start'");
		}

	}

	/** A job or operation is using the sandbox. */
	public static final class Busy extends SandboxException {

		public Busy(@Nullable String message) {
			super(ProblemTypes.SANDBOX_BUSY, 409, message);
		}

	}

	/** The request itself is wrong: a bad name, port, path or value. */
	public static final class BadRequest extends SandboxException {

		public BadRequest(@Nullable String message) {
			super(ProblemTypes.INVALID_REQUEST, 400, message);
		}

	}

	/** The request clashes with what is there (e.g. a host port already proxied). */
	public static final class Conflict extends SandboxException {

		public Conflict(@Nullable String message) {
			super(ProblemTypes.CONFLICT, 409, message);
		}

	}

	/**
	 * Something named in the request (a proxy, an operation, a snapshot) is not there.
	 */
	public static final class Missing extends SandboxException {

		public Missing(URI problemType, String message) {
			super(problemType, 404, message);
		}

	}

}
