package dev.dilxc.api;

/**
 * What {@code GET /api/system} answers: enough for a client to know it reached a live
 * daemon.
 *
 * @param version the daemon's version
 * @param defaultSandbox the sandbox used when a submit names none
 * @param dataDirectory where the daemon keeps its database
 */
public record SystemInfo(String version, String defaultSandbox, String dataDirectory) {
}
