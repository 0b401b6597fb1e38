package dev.dilxc.api;

/** {@code resume ID PROMPT}: continue job ID's Claude Code session with a new prompt, as a new job. */
public record ResumeJobRequest(String prompt) {
}
