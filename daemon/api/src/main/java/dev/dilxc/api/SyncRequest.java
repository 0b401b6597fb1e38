package dev.dilxc.api;

/**
 * {@code sync}: mirror {@code project-src} into the working copy.
 *
 * @param force sync even while a job runs in the sandbox (otherwise refused with
 * {@code sandbox-busy})
 * @param dryRun list what would change without changing it
 */
public record SyncRequest(boolean force, boolean dryRun) {
}
