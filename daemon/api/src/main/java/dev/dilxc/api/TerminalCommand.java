package dev.dilxc.api;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The host command line the client runs with its own stdin, stdout and stderr; its exit
 * code is the client's. The argv never carries secrets.
 *
 * @param argv the command, starting with the {@code lxc} executable
 * @param notice a line to print first (e.g. how to finish the login), or null
 */
public record TerminalCommand(List<String> argv, @Nullable String notice) {
}
