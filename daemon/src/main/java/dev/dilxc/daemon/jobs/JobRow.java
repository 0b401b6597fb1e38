package dev.dilxc.daemon.jobs;

import java.math.BigDecimal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.daemon.lxd.InstanceName;

/** One row of the {@code jobs} table. */
record JobRow(long id, String sandbox, JobState state, String prompt, RestorePolicy restorePolicy, long timeoutSeconds,
		Instant submittedAt, @Nullable Instant startedAt, @Nullable Instant finishedAt, @Nullable String snapshot,
		@Nullable String sessionId, @Nullable BigDecimal costUsd, @Nullable Integer numTurns,
		@Nullable String resultSubtype, @Nullable Boolean resultIsError, @Nullable String resultText,
		@Nullable Integer exitCode, @Nullable String reason, boolean cancelRequested, long outputLines,
		boolean outputTruncated, String trigger, @Nullable Long scheduleId, @Nullable Instant scheduledFor,
		@Nullable Long parentJobId, @Nullable Integer maxTurns, @Nullable BigDecimal maxBudgetUsd, boolean sync,
		@Nullable String resumeSessionId, @Nullable String changeBase, @Nullable Integer filesChanged,
		@Nullable String restoredTo, @Nullable Instant prunedAt, @Nullable String daemonId, @Nullable String member) {

	InstanceName instance() {
		return new InstanceName(this.sandbox);
	}

	JobView toView() {
		return toView(this.member);
	}

	/** As a view, naming {@code member} as where its sandbox lives (or lived). */
	JobView toView(@Nullable String member) {
		return new JobView(this.id, this.sandbox, this.state, this.prompt, this.restorePolicy, this.timeoutSeconds,
				this.submittedAt, this.startedAt, this.finishedAt, this.snapshot, this.sessionId, this.costUsd,
				this.numTurns, this.resultSubtype, this.resultIsError, this.resultText, this.exitCode, this.reason,
				this.cancelRequested, this.outputLines, this.outputTruncated, this.trigger, this.scheduleId,
				this.scheduledFor, this.parentJobId, this.maxTurns, this.maxBudgetUsd, this.sync, this.filesChanged,
				this.restoredTo, this.daemonId, member);
	}
}
