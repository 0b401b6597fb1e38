package dev.dilxc.client.daemon;

/** No job has the requested id ({@code job-not-found}). */
public final class JobNotFoundException extends DaemonException {

	private final long jobId;

	public JobNotFoundException(long jobId, String detail) {
		super(detail);
		this.jobId = jobId;
	}

	public long jobId() {
		return this.jobId;
	}

}
