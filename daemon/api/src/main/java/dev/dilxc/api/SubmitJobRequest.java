package dev.dilxc.api;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;

/**
 * What a client sends to queue a {@code claude-run} job. Every field but {@code prompt}
 * may be null, meaning "the daemon's default".
 *
 * @param prompt the prompt, passed to Claude Code byte for byte
 * @param sandbox the LXD container to run in
 * @param restorePolicy when to restore the pre-job snapshot
 * @param timeoutSeconds time limit for the agent run, in time the daemon's machine is
 * awake (a clock jump does not count)
 * @param maxTurns passed to Claude Code as {@code --max-turns}, or null for none
 * @param maxBudgetUsd passed to Claude Code as {@code --max-budget-usd}, or null for none
 * @param sync refresh the working copy from the read-only project mount before the agent
 * starts
 */
public record SubmitJobRequest(@Nullable String prompt, @Nullable String sandbox, @Nullable RestorePolicy restorePolicy,
		@Nullable Long timeoutSeconds, @Nullable Integer maxTurns, @Nullable BigDecimal maxBudgetUsd,
		@Nullable Boolean sync) {

	/** A request with no budget guards and no sync. */
	public SubmitJobRequest(@Nullable String prompt, @Nullable String sandbox, @Nullable RestorePolicy restorePolicy,
			@Nullable Long timeoutSeconds) {
		this(prompt, sandbox, restorePolicy, timeoutSeconds, null, null, null);
	}
}
