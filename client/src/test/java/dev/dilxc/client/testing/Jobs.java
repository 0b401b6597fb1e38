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

	/**
	 * {@code job} made by {@code trigger} (schedule, retry, resume) of that schedule and
	 * slot, or that parent job.
	 */
	public static JobView origin(JobView job, String trigger, Long scheduleId, Instant scheduledFor, Long parentJobId) {
		return new JobView(job.id(), job.sandbox(), job.state(), job.prompt(), job.restorePolicy(),
				job.timeoutSeconds(), job.submittedAt(), job.startedAt(), job.finishedAt(), job.snapshot(),
				job.sessionId(), job.costUsd(), job.numTurns(), job.resultSubtype(), job.resultIsError(),
				job.resultText(), job.exitCode(), job.reason(), job.cancelRequested(), job.outputLines(),
				job.outputTruncated(), trigger, scheduleId, scheduledFor, parentJobId, job.maxTurns(),
				job.maxBudgetUsd(), job.sync(), job.filesChanged(), job.restoredTo());
	}

	/** {@code job} as run by daemon run {@code daemon}. */
	public static JobView ranOn(JobView job, String daemon) {
		return new JobView(job.id(), job.sandbox(), job.state(), job.prompt(), job.restorePolicy(),
				job.timeoutSeconds(), job.submittedAt(), job.startedAt(), job.finishedAt(), job.snapshot(),
				job.sessionId(), job.costUsd(), job.numTurns(), job.resultSubtype(), job.resultIsError(),
				job.resultText(), job.exitCode(), job.reason(), job.cancelRequested(), job.outputLines(),
				job.outputTruncated(), job.trigger(), job.scheduleId(), job.scheduledFor(), job.parentJobId(),
				job.maxTurns(), job.maxBudgetUsd(), job.sync(), job.filesChanged(), job.restoredTo(), daemon);
	}

	/**
	 * {@code job} whose sandbox cluster member {@code member} holds, with {@code reason}
	 * (a queued job's: why it waits).
	 */
	public static JobView onMember(JobView job, String member, String reason) {
		return new JobView(job.id(), job.sandbox(), job.state(), job.prompt(), job.restorePolicy(),
				job.timeoutSeconds(), job.submittedAt(), job.startedAt(), job.finishedAt(), job.snapshot(),
				job.sessionId(), job.costUsd(), job.numTurns(), job.resultSubtype(), job.resultIsError(),
				job.resultText(), job.exitCode(), reason, job.cancelRequested(), job.outputLines(),
				job.outputTruncated(), job.trigger(), job.scheduleId(), job.scheduledFor(), job.parentJobId(),
				job.maxTurns(), job.maxBudgetUsd(), job.sync(), job.filesChanged(), job.restoredTo(), job.daemon(),
				member);
	}

	/** {@code job} with budget guards and sync. */
	public static JobView guards(JobView job, Integer maxTurns, BigDecimal maxBudgetUsd, boolean sync) {
		return new JobView(job.id(), job.sandbox(), job.state(), job.prompt(), job.restorePolicy(),
				job.timeoutSeconds(), job.submittedAt(), job.startedAt(), job.finishedAt(), job.snapshot(),
				job.sessionId(), job.costUsd(), job.numTurns(), job.resultSubtype(), job.resultIsError(),
				job.resultText(), job.exitCode(), job.reason(), job.cancelRequested(), job.outputLines(),
				job.outputTruncated(), job.trigger(), job.scheduleId(), job.scheduledFor(), job.parentJobId(), maxTurns,
				maxBudgetUsd, sync, job.filesChanged(), job.restoredTo());
	}

	/**
	 * {@code job} ended at its times shifted to start at {@code startedAt}, with a
	 * result, cost, turns and changes.
	 */
	public static JobView run(JobView job, JobState state, Instant startedAt, long seconds, String cost, Integer turns,
			String resultText, String reason, Integer filesChanged, String restoredTo) {
		return new JobView(job.id(), job.sandbox(), state, job.prompt(), job.restorePolicy(), job.timeoutSeconds(),
				startedAt.minusSeconds(5), startedAt, state.isTerminal() ? startedAt.plusSeconds(seconds) : null,
				"dilxc-job-" + job.id(), "sess-" + job.id(), (cost != null) ? new BigDecimal(cost) : null, turns,
				(resultText != null) ? "success" : null, (resultText != null) ? state != JobState.SUCCEEDED : null,
				resultText, state.isTerminal() ? ((state == JobState.SUCCEEDED) ? 0 : 1) : null, reason,
				state == JobState.CANCELLED, 10, false, job.trigger(), job.scheduleId(), job.scheduledFor(),
				job.parentJobId(), job.maxTurns(), job.maxBudgetUsd(), job.sync(), filesChanged, restoredTo);
	}

}
