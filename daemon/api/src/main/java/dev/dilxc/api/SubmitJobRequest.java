package dev.dilxc.api;

/**
 * What a client sends to queue a {@code claude-run} job. Every field but {@code prompt} may be null,
 * meaning "the daemon's default".
 *
 * @param prompt the prompt, passed to Claude Code byte for byte
 * @param sandbox the LXD container to run in
 * @param restorePolicy when to restore the pre-job snapshot
 * @param timeoutSeconds wall-clock limit for the agent run
 */
public record SubmitJobRequest(String prompt, String sandbox, RestorePolicy restorePolicy, Long timeoutSeconds) {
}
