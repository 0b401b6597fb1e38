package dev.dilxc.daemon.notifications;

import java.math.BigDecimal;
import java.time.Instant;

import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.jobs.JobQueue;

/**
 * Jobs stored by the real queue, then given the end a worker would give them, for
 * announcing by hand.
 */
final class FinishedJobs {

	private FinishedJobs() {
	}

	/** 3m 2s of run in sandbox {@code web}, $0.4213, 4 turns. */
	static JobView finished(JobQueue queue, JobState state, String reason) {
		JobView queued = queue.submit(new SubmitJobRequest("notify me about web", "web", RestorePolicy.NEVER, 600L));
		Instant started = Instant.parse("2026-11-28T02:00:01Z");
		return new JobView(queued.id(), queued.sandbox(), state, queued.prompt(), queued.restorePolicy(),
				queued.timeoutSeconds(), queued.submittedAt(), started, started.plusSeconds(182),
				"dilxc-job-" + queued.id(), "session-1", new BigDecimal("0.4213"), 4, "success",
				state != JobState.SUCCEEDED, "Done.", 0, reason, false, 12, false, "manual", null, null, null, null,
				null, false, null, null);
	}

}
