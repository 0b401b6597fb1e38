package dev.dilxc.api;

import java.net.URI;

/**
 * The stable {@code type} URIs of the daemon's RFC 9457 problem details. The client maps
 * each to a message and an exit code; renaming one is a breaking change of the wire
 * contract.
 */
public final class ProblemTypes {

	private static final String PREFIX = "urn:dilxc:problem:";

	/** The request was malformed or a value was out of range; the detail says which. */
	public static final URI INVALID_REQUEST = URI.create(PREFIX + "invalid-request");

	/** No job has the requested id. */
	public static final URI JOB_NOT_FOUND = URI.create(PREFIX + "job-not-found");

	/** The job is already in a terminal state, so it cannot be changed. */
	public static final URI JOB_ALREADY_FINISHED = URI.create(PREFIX + "job-already-finished");

	/**
	 * No sandbox (LXD instance) has the requested name; the detail says how to create
	 * one.
	 */
	public static final URI SANDBOX_NOT_FOUND = URI.create(PREFIX + "sandbox-not-found");

	/**
	 * The sandbox exists but is not running; the detail names its state and says how to
	 * start it.
	 */
	public static final URI SANDBOX_NOT_RUNNING = URI.create(PREFIX + "sandbox-not-running");

	/**
	 * A job or operation is using the sandbox, so this change would pull files from under
	 * it.
	 */
	public static final URI SANDBOX_BUSY = URI.create(PREFIX + "sandbox-busy");

	/**
	 * The sandbox is quarantined and a repair of it failed; the detail says what failed
	 * and how to go on.
	 */
	public static final URI SANDBOX_QUARANTINED = URI.create(PREFIX + "sandbox-quarantined");

	/** The sandbox has no snapshot by that name. */
	public static final URI SNAPSHOT_NOT_FOUND = URI.create(PREFIX + "snapshot-not-found");

	/** The sandbox already has a snapshot by that name. */
	public static final URI SNAPSHOT_EXISTS = URI.create(PREFIX + "snapshot-exists");

	/**
	 * Something else asked for does not exist (an operation, a proxy); the detail says
	 * what.
	 */
	public static final URI NOT_FOUND = URI.create(PREFIX + "not-found");

	/**
	 * The request conflicts with the current state (e.g. a host port already proxied);
	 * the detail says how.
	 */
	public static final URI CONFLICT = URI.create(PREFIX + "conflict");

	/** No schedule has the requested id. */
	public static final URI SCHEDULE_NOT_FOUND = URI.create(PREFIX + "schedule-not-found");

	/**
	 * The job exists but retention dropped what was asked for (its output or changes,
	 * {@code dilxc.retention.bulk-max-age}); the detail says when. Its summary is still
	 * there.
	 */
	public static final URI PRUNED = URI.create(PREFIX + "pruned");

	/** LXD could not be reached or failed; the detail carries its error. */
	public static final URI LXD_UNAVAILABLE = URI.create(PREFIX + "lxd-unavailable");

	/** Anything unexpected; the daemon's log has the stack trace. */
	public static final URI INTERNAL_ERROR = URI.create(PREFIX + "internal-error");

	private ProblemTypes() {
	}

}
