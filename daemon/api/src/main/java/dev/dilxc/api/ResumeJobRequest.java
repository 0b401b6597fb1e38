package dev.dilxc.api;

import org.jspecify.annotations.Nullable;

/**
 * {@code resume ID PROMPT}: continue job ID's Claude Code session with a new prompt, as a
 * new job.
 */
public record ResumeJobRequest(@Nullable String prompt) {
}
