package dev.dilxc.api;

import org.jspecify.annotations.Nullable;

/**
 * {@code snapshot [NAME]}: null or blank name means an auto-generated one that never
 * collides.
 */
public record CreateSnapshotRequest(@Nullable String name) {
}
