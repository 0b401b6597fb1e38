package dev.dilxc.daemon.jobs;

import org.jspecify.annotations.Nullable;

import dev.dilxc.api.JobChanges;

/**
 * A job's changes as captured in the sandbox, with the Claude Code session transcript
 * kept beside them (null when there was none, or it was larger than
 * {@code dilxc.jobs.max-transcript-bytes}).
 */
record CapturedChanges(JobChanges changes, @Nullable String sessionPath, byte @Nullable [] sessionTranscript) {

	/** A session's jsonl file: where it lives in the sandbox and what it held. */
	record Transcript(String path, byte[] content) {
	}
}
