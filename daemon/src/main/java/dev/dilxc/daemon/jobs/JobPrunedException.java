package dev.dilxc.daemon.jobs;

/**
 * The job exists, but retention dropped the output or changes asked for; the message says
 * when and why.
 */
public final class JobPrunedException extends RuntimeException {

	private final long jobId;

	JobPrunedException(long jobId, String message) {
		super(message);
		this.jobId = jobId;
	}

	public long jobId() {
		return this.jobId;
	}

}
