package dev.dilxc.daemon.jobs;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;

import dev.dilxc.api.RestorePolicy;

/**
 * A validated job about to be stored.
 *
 * @param resumeSessionId the Claude Code session a resume job continues, or null
 */
record NewJob(String sandbox, String prompt, RestorePolicy restorePolicy, long timeoutSeconds,
		@Nullable Integer maxTurns, @Nullable BigDecimal maxBudgetUsd, boolean sync, JobOrigin origin,
		@Nullable String resumeSessionId) {

	/** A manual job with no options, as tests and the first queue made them. */
	static NewJob manual(String sandbox, String prompt, RestorePolicy restorePolicy, long timeoutSeconds) {
		return new NewJob(sandbox, prompt, restorePolicy, timeoutSeconds, null, null, false, JobOrigin.MANUAL, null);
	}
}
