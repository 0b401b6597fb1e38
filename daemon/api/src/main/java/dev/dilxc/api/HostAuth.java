package dev.dilxc.api;

import org.jspecify.annotations.Nullable;

/**
 * What the client knows of the user's host-side credentials for git and forges, sent
 * along with the commands that set up auth forwarding. Paths only: no key material
 * crosses the socket.
 *
 * @param sshAuthSock the host's {@code SSH_AUTH_SOCK}, or null when no agent runs
 * @param ghConfigDir the host's GitHub CLI config directory ({@code ~/.config/gh}) if it
 * exists, else null
 */
public record HostAuth(@Nullable String sshAuthSock, @Nullable String ghConfigDir) {
}
