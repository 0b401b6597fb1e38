package dev.dilxc.daemon.lxd;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.StartedProcess;

/**
 * The one way the daemon runs a program: an argv list (never a shell string), stdin given
 * or empty, stdout and stderr kept apart, and a timeout on every call. Only argv is
 * logged, never stdin or output, which may hold secrets. No JVM shutdown hook destroys
 * these processes: on SIGTERM the job worker still needs to run {@code lxc} to stop
 * agents and restore sandboxes. Not final: tests record argv.
 */
class ProcessRunner {

	private static final Logger logger = LoggerFactory.getLogger(ProcessRunner.class);

	/**
	 * Runs to completion; a non-zero exit is returned, not thrown, so callers can
	 * classify it.
	 */
	ProcessResult run(List<String> command, byte[] stdin, Duration timeout) {
		logger.debug("Running {}", command);
		ByteArrayOutputStream stderr = new ByteArrayOutputStream();
		long start = System.nanoTime();
		try {
			var result = new ProcessExecutor().command(command)
				.redirectInput(new ByteArrayInputStream(stdin))
				.readOutput(true)
				.redirectError(stderr)
				.exitValueAny()
				.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
				.execute();
			return new ProcessResult(command, result.getExitValue(), result.outputUTF8(),
					stderr.toString(StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - start));
		}
		catch (TimeoutException ex) {
			throw new ProcessTimeoutException(command, timeout);
		}
		catch (IOException ex) {
			throw new ProcessStartException(command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ProcessStartException(command, ex);
		}
	}

	/**
	 * Starts a long-running process whose stdout and stderr are delivered line by line as
	 * they arrive. The caller owns the deadline: it waits on the returned handle and
	 * destroys it when needed.
	 */
	StreamingProcess start(List<String> command, Consumer<String> stdoutLines, Consumer<String> stderrLines,
			int maxLineBytes) {
		logger.debug("Starting {}", command);
		LineSplitter stdout = new LineSplitter(stdoutLines, maxLineBytes);
		LineSplitter stderr = new LineSplitter(stderrLines, maxLineBytes);
		try {
			StartedProcess process = new ProcessExecutor().command(command)
				.redirectInput(new ByteArrayInputStream(new byte[0]))
				.redirectOutput(stdout)
				.redirectError(stderr)
				.exitValueAny()
				.start();
			return new StreamingProcess(process, stdout, stderr);
		}
		catch (IOException ex) {
			throw new ProcessStartException(command, ex);
		}
	}

	/** A started process and the splitters that must be flushed once it has ended. */
	record StreamingProcess(StartedProcess process, LineSplitter stdout, LineSplitter stderr) {

		/**
		 * Delivers any last line that had no newline; call once the process has ended.
		 */
		void flush() {
			this.stdout.close();
			this.stderr.close();
		}
	}

	static String excerpt(String text) {
		String trimmed = text.strip();
		return (trimmed.length() <= 600) ? trimmed
				: trimmed.substring(0, 300) + " … " + trimmed.substring(trimmed.length() - 300);
	}

	/** The program could not be started at all (missing binary, no permission). */
	static final class ProcessStartException extends RuntimeException {

		ProcessStartException(List<String> command, Exception cause) {
			super("could not run '" + command.get(0) + "': " + cause.getMessage(), cause);
		}

	}

	/** The program did not finish within its timeout and was destroyed. */
	static final class ProcessTimeoutException extends RuntimeException {

		ProcessTimeoutException(List<String> command, Duration timeout) {
			super("'" + String.join(" ", command.subList(0, Math.min(4, command.size()))) + " …' did not finish within "
					+ timeout.toSeconds() + "s and was stopped");
		}

	}

}
