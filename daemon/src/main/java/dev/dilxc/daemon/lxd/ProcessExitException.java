package dev.dilxc.daemon.lxd;

import java.util.List;

import dev.dilxc.daemon.process.ProcessResult;
import dev.dilxc.daemon.process.ProcessRunner;

/**
 * A CLI process ended with a non-zero exit code, or could not be run or finished in time.
 */
class ProcessExitException extends RuntimeException {

	private final ProcessResult result;

	ProcessExitException(ProcessResult result) {
		super("'" + String.join(" ", result.command()) + "' exited with code " + result.exitCode() + ": "
				+ ProcessRunner.excerpt(result.stderr().isBlank() ? result.stdout() : result.stderr()));
		this.result = result;
	}

	/**
	 * LXD's last {@code Error: } line without that prefix (it may be followed by a hint
	 * such as "Try `lxc info --show-log`"), else the last non-empty line, for user-facing
	 * messages.
	 */
	String cliError() {
		String text = this.result.stderr().isBlank() ? this.result.stdout() : this.result.stderr();
		List<String> lines = text.strip().lines().filter((line) -> !line.isBlank()).toList();
		String error = lines.stream()
			.filter((line) -> line.startsWith("Error: "))
			.reduce((a, b) -> b)
			.map((line) -> line.substring("Error: ".length()))
			.orElse(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
		return error.strip();
	}

}
