package dev.dilxc.daemon.jobs;

import static dev.dilxc.api.JobState.CANCELLED;
import static dev.dilxc.api.JobState.FAILED;
import static dev.dilxc.api.JobState.INTERRUPTED;
import static dev.dilxc.api.JobState.QUEUED;
import static dev.dilxc.api.JobState.RUNNING;
import static dev.dilxc.api.JobState.SNAPSHOTTING;
import static dev.dilxc.api.JobState.SUCCEEDED;
import static dev.dilxc.api.JobState.TIMED_OUT;

import java.util.EnumSet;
import java.util.Set;

import dev.dilxc.api.JobState;

/**
 * The one table of legal job state changes. A queued job is claimed (SNAPSHOTTING) or
 * cancelled; a job whose snapshot is being taken may still fail (sandbox missing,
 * snapshot failed), be cancelled, be interrupted by a daemon restart, or go back to the
 * queue when its sandbox's cluster member went away before anything was done to it; a
 * running job ends in one of the terminal states. Nothing leaves a terminal state, and
 * nothing else goes back.
 */
final class JobTransitions {

	private JobTransitions() {
	}

	static Set<JobState> allowedFrom(JobState from) {
		return switch (from) {
			case QUEUED -> EnumSet.of(SNAPSHOTTING, CANCELLED);
			// Back to QUEUED only before its snapshot, when the sandbox's cluster member
			// went away between the claim and the first call into it.
			case SNAPSHOTTING -> EnumSet.of(RUNNING, FAILED, CANCELLED, INTERRUPTED, QUEUED);
			case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, INTERRUPTED);
			case SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, INTERRUPTED -> EnumSet.noneOf(JobState.class);
		};
	}

	static boolean isAllowed(JobState from, JobState to) {
		return allowedFrom(from).contains(to);
	}

	/** Throws unless {@code from → to} is in the table. */
	static void check(long jobId, JobState from, JobState to) {
		if (!isAllowed(from, to)) {
			throw new IllegalJobTransitionException(jobId, from, to);
		}
	}

}
