package dev.dilxc.client.daemon;

/**
 * The request clashes with the state things are in: the sandbox is not running
 * ({@code sandbox-not-running}) or busy ({@code sandbox-busy}), the snapshot exists
 * ({@code snapshot-exists}), or something else is in the way ({@code conflict}). The
 * message is the daemon's detail, which says how to get past it.
 */
public final class ConflictException extends DaemonException {

	private final String problem;

	public ConflictException(String problem, String detail) {
		super(detail);
		this.problem = problem;
	}

	/** The problem type's short name, e.g. {@code sandbox-not-running}. */
	public String problem() {
		return this.problem;
	}

}
