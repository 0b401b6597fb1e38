package dev.dilxc.api;

import java.math.BigDecimal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One job as the daemon reports it. Fields the run has not produced yet are null.
 *
 * @param id the job's number
 * @param sandbox the LXD container it runs in
 * @param state where it is in its life
 * @param prompt the prompt as submitted
 * @param restorePolicy when its sandbox is restored
 * @param timeoutSeconds its time limit, in time the daemon's machine is awake (a clock
 * jump does not count)
 * @param submittedAt when the daemon accepted it
 * @param startedAt when the agent process was started
 * @param finishedAt when it reached a terminal state
 * @param snapshot the pre-job snapshot, once taken
 * @param sessionId Claude Code's session id (from the init or result event)
 * @param costUsd {@code total_cost_usd} from the result event
 * @param numTurns {@code num_turns} from the result event
 * @param resultSubtype {@code subtype} from the result event
 * @param resultIsError {@code is_error} from the result event
 * @param resultText the final result text
 * @param exitCode the agent's exit code
 * @param reason why it ended the way it did, in words; while queued, why it waits (its
 * sandbox's cluster member is away), else null
 * @param cancelRequested whether a cancel was asked for while it ran
 * @param outputLines how many output lines are stored
 * @param outputTruncated whether the output cap cut the stored output
 * @param trigger what made it: {@code manual} (submit, claude-run), {@code schedule},
 * {@code retry}, {@code resume}
 * @param scheduleId the schedule that fired it, or null
 * @param scheduledFor the schedule slot it was fired for, or null
 * @param parentJobId the job it retries or resumes, or null
 * @param maxTurns its {@code --max-turns}, or null
 * @param maxBudgetUsd its {@code --max-budget-usd}, or null
 * @param sync whether the working copy was synced from the project before it ran
 * @param filesChanged how many files the agent changed in the working copy (captured
 * before any restore), or null when not captured
 * @param restoredTo the snapshot the sandbox was restored to after the run, or null when
 * it was not restored
 * @param daemon the daemon run that ran it (its name and a suffix per start), or null
 * before a claim and from a daemon older than several daemons
 * @param member the LXD or Incus cluster member that held its sandbox when it was claimed
 * (while queued: the member that holds the sandbox now, when known), or null outside a
 * cluster
 */
public record JobView(long id, String sandbox, JobState state, String prompt, RestorePolicy restorePolicy,
		long timeoutSeconds, Instant submittedAt, @Nullable Instant startedAt, @Nullable Instant finishedAt,
		@Nullable String snapshot, @Nullable String sessionId, @Nullable BigDecimal costUsd, @Nullable Integer numTurns,
		@Nullable String resultSubtype, @Nullable Boolean resultIsError, @Nullable String resultText,
		@Nullable Integer exitCode, @Nullable String reason, boolean cancelRequested, long outputLines,
		boolean outputTruncated, String trigger, @Nullable Long scheduleId, @Nullable Instant scheduledFor,
		@Nullable Long parentJobId, @Nullable Integer maxTurns, @Nullable BigDecimal maxBudgetUsd, boolean sync,
		@Nullable Integer filesChanged, @Nullable String restoredTo, @Nullable String daemon, @Nullable String member) {

	/** A job outside a cluster (or from a daemon older than clusters). */
	public JobView(long id, String sandbox, JobState state, String prompt, RestorePolicy restorePolicy,
			long timeoutSeconds, Instant submittedAt, @Nullable Instant startedAt, @Nullable Instant finishedAt,
			@Nullable String snapshot, @Nullable String sessionId, @Nullable BigDecimal costUsd,
			@Nullable Integer numTurns, @Nullable String resultSubtype, @Nullable Boolean resultIsError,
			@Nullable String resultText, @Nullable Integer exitCode, @Nullable String reason, boolean cancelRequested,
			long outputLines, boolean outputTruncated, String trigger, @Nullable Long scheduleId,
			@Nullable Instant scheduledFor, @Nullable Long parentJobId, @Nullable Integer maxTurns,
			@Nullable BigDecimal maxBudgetUsd, boolean sync, @Nullable Integer filesChanged,
			@Nullable String restoredTo, @Nullable String daemon) {
		this(id, sandbox, state, prompt, restorePolicy, timeoutSeconds, submittedAt, startedAt, finishedAt, snapshot,
				sessionId, costUsd, numTurns, resultSubtype, resultIsError, resultText, exitCode, reason,
				cancelRequested, outputLines, outputTruncated, trigger, scheduleId, scheduledFor, parentJobId, maxTurns,
				maxBudgetUsd, sync, filesChanged, restoredTo, daemon, null);
	}

	/** A job with no daemon named (not claimed yet, or from an older daemon). */
	public JobView(long id, String sandbox, JobState state, String prompt, RestorePolicy restorePolicy,
			long timeoutSeconds, Instant submittedAt, @Nullable Instant startedAt, @Nullable Instant finishedAt,
			@Nullable String snapshot, @Nullable String sessionId, @Nullable BigDecimal costUsd,
			@Nullable Integer numTurns, @Nullable String resultSubtype, @Nullable Boolean resultIsError,
			@Nullable String resultText, @Nullable Integer exitCode, @Nullable String reason, boolean cancelRequested,
			long outputLines, boolean outputTruncated, String trigger, @Nullable Long scheduleId,
			@Nullable Instant scheduledFor, @Nullable Long parentJobId, @Nullable Integer maxTurns,
			@Nullable BigDecimal maxBudgetUsd, boolean sync, @Nullable Integer filesChanged,
			@Nullable String restoredTo) {
		this(id, sandbox, state, prompt, restorePolicy, timeoutSeconds, submittedAt, startedAt, finishedAt, snapshot,
				sessionId, costUsd, numTurns, resultSubtype, resultIsError, resultText, exitCode, reason,
				cancelRequested, outputLines, outputTruncated, trigger, scheduleId, scheduledFor, parentJobId, maxTurns,
				maxBudgetUsd, sync, filesChanged, restoredTo, null);
	}

	/**
	 * A manual job with none of the schedule, budget or change fields (as before
	 * schedules existed).
	 */
	public JobView(long id, String sandbox, JobState state, String prompt, RestorePolicy restorePolicy,
			long timeoutSeconds, Instant submittedAt, @Nullable Instant startedAt, @Nullable Instant finishedAt,
			@Nullable String snapshot, @Nullable String sessionId, @Nullable BigDecimal costUsd,
			@Nullable Integer numTurns, @Nullable String resultSubtype, @Nullable Boolean resultIsError,
			@Nullable String resultText, @Nullable Integer exitCode, @Nullable String reason, boolean cancelRequested,
			long outputLines, boolean outputTruncated) {
		this(id, sandbox, state, prompt, restorePolicy, timeoutSeconds, submittedAt, startedAt, finishedAt, snapshot,
				sessionId, costUsd, numTurns, resultSubtype, resultIsError, resultText, exitCode, reason,
				cancelRequested, outputLines, outputTruncated, "manual", null, null, null, null, null, false, null,
				null, null);
	}
}
