package dev.dilxc.api;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/sandboxes/{name}/terminal}: how should the client run this interactive
 * command?
 *
 * @param kind which command
 * @param args the user's arguments (for {@code EXEC} and {@code DOCKER}), passed as argv,
 * never re-split
 * @param pick for {@code CLAUDE_RESUME}: open the session picker instead of resuming the
 * most recent
 * @param tty whether the client's stdin and stdout are a terminal
 * @param hostAuth the host's ssh-agent socket and gh config, refreshed on the sandbox
 * before it runs
 */
public record TerminalRequest(TerminalKind kind, @Nullable List<String> args, boolean pick, boolean tty,
		@Nullable HostAuth hostAuth) {
}
