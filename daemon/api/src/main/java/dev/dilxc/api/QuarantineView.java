package dev.dilxc.api;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A sandbox that needs attention: a step that should have left it sound failed, so no job
 * starts in it until a repair succeeds.
 *
 * @param sandbox the sandbox
 * @param jobId the job it happened to, or null
 * @param step what failed: RESTORE, KILL, RECOVERY or LXD_UNREACHABLE
 * @param error the error of that step
 * @param needsRestore whether a repair restores the job's pre-job snapshot
 * @param since when it was quarantined
 * @param attempts how many repair attempts failed since
 * @param nextAttemptAt when the daemon tries again
 * @param lastError the error of the last failed attempt, or null
 */
public record QuarantineView(String sandbox, @Nullable Long jobId, String step, String error, boolean needsRestore,
		Instant since, int attempts, Instant nextAttemptAt, @Nullable String lastError) {
}
