package dev.dilxc.api;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a job changed in the sandbox's working copy, captured when the agent stopped and
 * before any restore, so a restored job still shows what the agent had done ({@code GET
 * /api/jobs/{id}/changes}).
 *
 * @param jobId the job
 * @param gitRepository whether the working copy is a git repository (else only
 * {@code files} is known)
 * @param baseCommit the commit the working copy was at when the job started (the diff's
 * base), or null
 * @param status {@code git status --porcelain} at capture, or null
 * @param diffStat {@code git diff --stat} against {@code baseCommit}, untracked files
 * included, or null
 * @param diff the full diff against {@code baseCommit}, untracked files included, cut at
 * the size cap, or null
 * @param diffTruncated whether the cap cut {@code diff}
 * @param files the changed paths, relative to the working copy
 * @param capturedAt when they were captured
 */
public record JobChanges(long jobId, boolean gitRepository, @Nullable String baseCommit, @Nullable String status,
		@Nullable String diffStat, @Nullable String diff, boolean diffTruncated, List<String> files,
		Instant capturedAt) {
}
