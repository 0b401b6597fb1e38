package dev.dilxc.daemon.jobs;

import dev.dilxc.api.JobState;

/**
 * A state change that the transition table does not allow, or that another writer got to
 * first.
 */
public final class IllegalJobTransitionException extends RuntimeException {

	private final long jobId;

	private final JobState from;

	private final JobState to;

	IllegalJobTransitionException(long jobId, JobState from, JobState to) {
		super("job " + jobId + " cannot go from " + from + " to " + to);
		this.jobId = jobId;
		this.from = from;
		this.to = to;
	}

	public long jobId() {
		return this.jobId;
	}

	public JobState from() {
		return this.from;
	}

	public JobState to() {
		return this.to;
	}

}
