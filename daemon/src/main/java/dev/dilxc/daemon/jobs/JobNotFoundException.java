package dev.dilxc.daemon.jobs;

/** No job has this id. */
public final class JobNotFoundException extends RuntimeException {

	private final long jobId;

	JobNotFoundException(long jobId) {
		super("there is no job " + jobId + ": 'dilxc-client jobs' lists the jobs there are");
		this.jobId = jobId;
	}

	public long jobId() {
		return this.jobId;
	}

}
