package dev.dilxc.api;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/schedules/{id}}: the schedule, its next firings and its events (newest
 * first).
 */
public record ScheduleDetails(ScheduleView schedule, List<Instant> upcoming, List<ScheduleEvent> events) {
}
