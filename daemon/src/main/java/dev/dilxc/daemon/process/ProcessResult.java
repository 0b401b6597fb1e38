package dev.dilxc.daemon.process;

import java.time.Duration;
import java.util.List;

/**
 * What a finished process left behind: its argv, exit code, the two streams kept apart
 * (each cut to the call's output limit), and its duration.
 */
public record ProcessResult(List<String> command, int exitCode, String stdout, String stderr, Duration took) {
}
