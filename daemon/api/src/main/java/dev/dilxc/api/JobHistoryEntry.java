package dev.dilxc.api;

import java.time.Instant;

/**
 * One entry of a job's history: a state transition ({@code event} = {@code STATE}) or
 * something done to its sandbox on its behalf (snapshot taken, failed state kept,
 * restored, processes killed).
 *
 * @param at when it happened
 * @param state the job's state after it
 * @param event what kind of entry this is
 * @param detail what happened, in words
 */
public record JobHistoryEntry(Instant at, JobState state, String event, String detail) {
}
