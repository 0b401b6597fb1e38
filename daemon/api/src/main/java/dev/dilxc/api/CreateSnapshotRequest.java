package dev.dilxc.api;

/** {@code snapshot [NAME]}: null or blank name means an auto-generated one that never collides. */
public record CreateSnapshotRequest(String name) {
}
