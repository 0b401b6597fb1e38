package dev.dilxc.client.daemon;

/**
 * The job is already in a terminal state, so it cannot be changed
 * ({@code job-already-finished}).
 */
public final class JobAlreadyFinishedException extends DaemonException {

	private final long jobId;

	public JobAlreadyFinishedException(long jobId, String detail) {
		super(detail);
		this.jobId = jobId;
	}

	public long jobId() {
		return this.jobId;
	}

}
