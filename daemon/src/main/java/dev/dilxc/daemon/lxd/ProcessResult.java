package dev.dilxc.daemon.lxd;

import java.time.Duration;
import java.util.List;

/**
 * What a finished CLI process left behind: its argv, exit code, the two streams kept
 * apart, and its duration.
 */
record ProcessResult(List<String> command, int exitCode, String stdout, String stderr, Duration took) {
}
