package dev.dilxc.api;

/**
 * What {@code restore} did.
 *
 * @param snapshot the snapshot the sandbox is back to
 * @param safetySnapshot the snapshot of the state just before the restore (so the restore
 * can be undone)
 * @param status the sandbox's status afterwards: it keeps the run state it had before
 */
public record RestoreResult(String snapshot, String safetySnapshot, String status) {
}
