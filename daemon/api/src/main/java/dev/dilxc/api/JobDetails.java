package dev.dilxc.api;

import java.util.List;

/** A job with its full history, oldest entry first. */
public record JobDetails(JobView job, List<JobHistoryEntry> history) {
}
