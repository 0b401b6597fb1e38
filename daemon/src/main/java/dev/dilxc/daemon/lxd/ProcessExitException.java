package dev.dilxc.daemon.lxd;

/** A CLI process ended with a non-zero exit code, or could not be run or finished in time. */
class ProcessExitException extends RuntimeException {

	private final ProcessResult result;

	ProcessExitException(ProcessResult result) {
		super("'" + String.join(" ", result.command()) + "' exited with code " + result.exitCode() + ": "
				+ ProcessRunner.excerpt(result.stderr().isBlank() ? result.stdout() : result.stderr()));
		this.result = result;
	}

	/** The last non-empty stderr line without LXD's {@code Error: } prefix, for user-facing messages. */
	String cliError() {
		String text = this.result.stderr().isBlank() ? this.result.stdout() : this.result.stderr();
		String last = text.strip().lines().filter((line) -> !line.isBlank()).reduce((a, b) -> b).orElse("");
		return last.startsWith("Error: ") ? last.substring("Error: ".length()) : last;
	}
}
