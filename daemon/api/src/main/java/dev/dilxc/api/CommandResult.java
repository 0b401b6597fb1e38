package dev.dilxc.api;

/**
 * What a command the daemon ran for the user printed and how it ended ({@code sync},
 * {@code pull}, {@code push}).
 *
 * @param exitCode 0 on success
 * @param output what it printed (stdout and stderr, in order as far as known)
 * @param summary one line for the user, e.g. {@code Project synced}
 */
public record CommandResult(int exitCode, String output, String summary) {
}
