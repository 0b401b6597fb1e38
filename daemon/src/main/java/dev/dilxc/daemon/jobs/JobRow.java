package dev.dilxc.daemon.jobs;

import java.math.BigDecimal;
import java.time.Instant;

import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.daemon.lxd.InstanceName;

/** One row of the {@code jobs} table. */
record JobRow(long id, String sandbox, JobState state, String prompt, RestorePolicy restorePolicy, long timeoutSeconds,
		Instant submittedAt, Instant startedAt, Instant finishedAt, String snapshot, String sessionId, BigDecimal costUsd,
		Integer numTurns, String resultSubtype, Boolean resultIsError, String resultText, Integer exitCode, String reason,
		boolean cancelRequested, long outputLines, boolean outputTruncated, String trigger, Long scheduleId,
		Instant scheduledFor, Long parentJobId, Integer maxTurns, BigDecimal maxBudgetUsd, boolean sync,
		String resumeSessionId, String changeBase, Integer filesChanged, String restoredTo, Instant prunedAt) {

	InstanceName instance() {
		return new InstanceName(this.sandbox);
	}

	JobView toView() {
		return new JobView(this.id, this.sandbox, this.state, this.prompt, this.restorePolicy, this.timeoutSeconds,
				this.submittedAt, this.startedAt, this.finishedAt, this.snapshot, this.sessionId, this.costUsd, this.numTurns,
				this.resultSubtype, this.resultIsError, this.resultText, this.exitCode, this.reason, this.cancelRequested,
				this.outputLines, this.outputTruncated, this.trigger, this.scheduleId, this.scheduledFor, this.parentJobId,
				this.maxTurns, this.maxBudgetUsd, this.sync, this.filesChanged, this.restoredTo);
	}
}
