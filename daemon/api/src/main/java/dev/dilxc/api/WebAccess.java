package dev.dilxc.api;

import org.jspecify.annotations.Nullable;

/**
 * How to open the daemon's read-only review pages ({@code GET /api/system/web}, asked by
 * {@code dilxc-client web}).
 *
 * @param tcp whether the pages are also on a loopback TCP port ({@code dilxc.web.port}
 * set)
 * @param url the address to open in a browser, token included, when {@code tcp}; else
 * null
 * @param socket the daemon's Unix socket, which always serves the pages under
 * {@code /ui/}
 */
public record WebAccess(boolean tcp, @Nullable String url, String socket) {
}
