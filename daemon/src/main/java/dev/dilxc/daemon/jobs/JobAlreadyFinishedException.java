package dev.dilxc.daemon.jobs;

import dev.dilxc.api.JobState;

/** The job has already ended, so it cannot be cancelled any more. */
public final class JobAlreadyFinishedException extends RuntimeException {

	JobAlreadyFinishedException(long jobId, JobState state) {
		super("job " + jobId + " has already ended (" + state + ")");
	}

}
