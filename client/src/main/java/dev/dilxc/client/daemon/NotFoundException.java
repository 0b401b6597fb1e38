package dev.dilxc.client.daemon;

/**
 * Something the request names does not exist: a sandbox ({@code sandbox-not-found}), a
 * snapshot ({@code snapshot-not-found}) or anything else ({@code not-found}). The message
 * is the daemon's detail, which says what is missing and how to make it.
 */
public final class NotFoundException extends DaemonException {

	private final String problem;

	public NotFoundException(String problem, String detail) {
		super(detail);
		this.problem = problem;
	}

	/** The problem type's short name, e.g. {@code sandbox-not-found}. */
	public String problem() {
		return this.problem;
	}

}
