package dev.dilxc.api;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A long sandbox operation the daemon runs in the background while the client follows its
 * events. It goes on if the client goes away.
 *
 * @param id the operation's number (in-memory, per daemon run)
 * @param kind {@code init}, {@code update}...
 * @param sandbox the sandbox it works on
 * @param state where it is
 * @param startedAt when it began
 * @param finishedAt when it ended, or null
 * @param error why it failed, in words (with the fix where there is one), or null
 */
public record OperationView(long id, String kind, String sandbox, OperationState state, Instant startedAt,
		@Nullable Instant finishedAt, @Nullable String error) {
}
