package dev.dilxc.api;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One snapshot of a sandbox.
 *
 * @param name the snapshot name
 * @param createdAt when LXD took it
 * @param jobId the job whose pre-run snapshot this is ({@code dilxc-job-N},
 * {@code -failed}, {@code -after}), or null
 */
public record SnapshotView(String name, Instant createdAt, @Nullable Long jobId) {
}
