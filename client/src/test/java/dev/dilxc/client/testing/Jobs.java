package dev.dilxc.client.testing;

import java.math.BigDecimal;
import java.time.Instant;

import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.RestorePolicy;

/** Test data: jobs in typical states. */
public final class Jobs {

	public static final Instant SUBMITTED = Instant.parse("2026-11-27T09:00:00Z");

	private Jobs() {
	}

	public static JobView queued(long id, String prompt) {
		return new JobView(id, "dev", JobState.QUEUED, prompt, RestorePolicy.ON_FAILURE, 1800, SUBMITTED, null, null,
				null, null, null, null, null, null, null, null, null, false, 0, false);
	}

	public static JobView running(long id, String prompt, Instant startedAt) {
		return new JobView(id, "dev", JobState.RUNNING, prompt, RestorePolicy.ON_FAILURE, 1800, SUBMITTED, startedAt,
				null, "dilxc-job-" + id, "sess-" + id, null, null, null, null, null, null, null, false, 12, false);
	}

	public static JobView succeeded(long id, String prompt) {
		return new JobView(id, "dev", JobState.SUCCEEDED, prompt, RestorePolicy.NEVER, 5400, SUBMITTED,
				SUBMITTED.plusSeconds(5), SUBMITTED.plusSeconds(5 + 252), "dilxc-job-" + id, "sess-" + id,
				new BigDecimal("0.0123"), 7, "success", false, "All tests pass.", 0, null, false, 42, false);
	}

	public static JobView ended(long id, JobState state, String reason) {
		return new JobView(id, "dev", state, "do it", RestorePolicy.ON_FAILURE, 1800, SUBMITTED,
				SUBMITTED.plusSeconds(5), SUBMITTED.plusSeconds(65), "dilxc-job-" + id, "sess-" + id, null, null, null,
				null, null, 1, reason, state == JobState.CANCELLED, 3, false);
	}
}
