package dev.dilxc.api;

import java.util.List;

/**
 * {@code GET /api/operations/{id}/events?after=N}: the operation now and its events after
 * {@code N}.
 */
public record OperationEvents(OperationView operation, List<OperationEvent> events) {
}
