package dev.dilxc.api;

/**
 * The body of {@code POST /api/sandboxes/{name}/repair}.
 *
 * @param force release the quarantine without retrying the failed step
 */
public record RepairRequest(boolean force) {
}
