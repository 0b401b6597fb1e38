package dev.dilxc.api;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One thing an operation reported.
 *
 * @param seq its number within the operation, from 1
 * @param at when it happened
 * @param kind {@code step} (a new numbered step began), {@code line} (output of the
 * step), {@code warning}
 * @param step the step number, for {@code step} events
 * @param steps how many steps there are, for {@code step} events
 * @param text the step's title, the output line or the warning
 */
public record OperationEvent(long seq, Instant at, String kind, @Nullable Integer step, @Nullable Integer steps,
		String text) {
}
