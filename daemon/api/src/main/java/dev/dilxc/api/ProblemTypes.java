package dev.dilxc.api;

import java.net.URI;

/**
 * The stable {@code type} URIs of the daemon's RFC 9457 problem details. The client maps each to a
 * message and an exit code; renaming one is a breaking change of the wire contract.
 */
public final class ProblemTypes {

	private static final String PREFIX = "urn:dilxc:problem:";

	/** The request was malformed or a value was out of range; the detail says which. */
	public static final URI INVALID_REQUEST = URI.create(PREFIX + "invalid-request");

	/** No job has the requested id. */
	public static final URI JOB_NOT_FOUND = URI.create(PREFIX + "job-not-found");

	/** The job is already in a terminal state, so it cannot be changed. */
	public static final URI JOB_ALREADY_FINISHED = URI.create(PREFIX + "job-already-finished");

	/** LXD could not be reached or failed; the detail carries its error. */
	public static final URI LXD_UNAVAILABLE = URI.create(PREFIX + "lxd-unavailable");

	/** Anything unexpected; the daemon's log has the stack trace. */
	public static final URI INTERNAL_ERROR = URI.create(PREFIX + "internal-error");

	private ProblemTypes() {
	}
}
