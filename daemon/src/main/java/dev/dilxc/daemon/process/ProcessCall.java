package dev.dilxc.daemon.process;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One program to run: its argv (never a shell string), the bytes written to its stdin,
 * variables added to the daemon's environment, the deadline for all of it, and how many
 * bytes of each output stream to keep (the last ones).
 *
 * @param command the argv, program first
 * @param stdin written to the process's stdin, which is then closed
 * @param environment added to the daemon's own environment
 * @param timeout covers starting, writing stdin, reading output and the exit
 * @param outputLimit bytes kept of stdout and of stderr each, the last ones
 */
public record ProcessCall(List<String> command, byte[] stdin, Map<String, String> environment, Duration timeout,
		int outputLimit) {

	/** Keeps all of both streams: for programs whose output is bounded, like JSON. */
	public static final int WHOLE_OUTPUT = Integer.MAX_VALUE;

	public ProcessCall {
		if (command.isEmpty()) {
			throw new IllegalArgumentException("a process needs a program to run");
		}
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("a process needs a positive timeout, not " + timeout);
		}
		if (outputLimit < 0) {
			throw new IllegalArgumentException("an output limit cannot be negative: " + outputLimit);
		}
		command = List.copyOf(command);
		stdin = stdin.clone();
		environment = Map.copyOf(environment);
	}

	/** The program with empty stdin, the daemon's environment and all of its output. */
	public static ProcessCall of(List<String> command, Duration timeout) {
		return new ProcessCall(command, new byte[0], Map.of(), timeout, WHOLE_OUTPUT);
	}

	public ProcessCall withStdin(byte[] bytes) {
		return new ProcessCall(this.command, bytes, this.environment, this.timeout, this.outputLimit);
	}

	public ProcessCall withEnvironment(Map<String, String> variables) {
		return new ProcessCall(this.command, this.stdin, variables, this.timeout, this.outputLimit);
	}

	public ProcessCall keepingLast(int bytes) {
		return new ProcessCall(this.command, this.stdin, this.environment, this.timeout, bytes);
	}

	@Override
	public byte[] stdin() {
		return this.stdin.clone();
	}

}
