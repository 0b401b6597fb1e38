package dev.dilxc.api;

import java.time.Instant;

/**
 * One stored line of a job's output.
 *
 * @param seq its position in the job's output, from 1
 * @param at when the daemon received it
 * @param stream {@code stdout}, {@code stderr} or {@code dilxc} (lines the daemon adds,
 * such as the truncation marker)
 * @param text the line without its newline, secrets masked
 */
public record OutputLine(long seq, Instant at, String stream, String text) {
}
