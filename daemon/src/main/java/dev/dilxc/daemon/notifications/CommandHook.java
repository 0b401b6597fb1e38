package dev.dilxc.daemon.notifications;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.dilxc.daemon.process.ProcessCall;
import dev.dilxc.daemon.process.ProcessResult;
import dev.dilxc.daemon.process.ProcessRunner;
import dev.dilxc.daemon.process.ProcessStartException;
import dev.dilxc.daemon.process.ProcessTimeoutException;

/**
 * Runs the local notification command: the payload JSON on its stdin,
 * {@code DILXC_JOB_ID}, {@code DILXC_JOB_STATE} and {@code DILXC_SANDBOX} added to the
 * daemon's environment, stdout discarded, the tail of stderr kept for the log. Exit code
 * 0 is delivered; anything else, or running past the timeout (then it and its children
 * are killed), is a failed try. The timeout covers writing the payload too: a command
 * that never reads its stdin cannot hold the sender's thread.
 */
final class CommandHook {

	/** Bytes of stderr kept: enough for a stack trace's last lines. */
	static final int STDERR_TAIL = 2000;

	private final List<String> command;

	private final Duration timeout;

	private final ProcessRunner runner = new ProcessRunner();

	CommandHook(List<String> command, Duration timeout) {
		this.command = List.copyOf(command);
		this.timeout = timeout;
	}

	String executable() {
		return this.command.get(0);
	}

	Delivery run(String payload, Map<String, String> jobEnvironment) throws InterruptedException {
		ProcessCall call = ProcessCall.of(this.command, this.timeout)
			.withStdin(payload.getBytes(StandardCharsets.UTF_8))
			.withEnvironment(jobEnvironment)
			.keepingLast(STDERR_TAIL);
		try {
			ProcessResult result = this.runner.run(call);
			String detail = executable() + " exited with " + result.exitCode() + stderrSuffix(result.stderr());
			return (result.exitCode() == 0) ? Delivery.ok(detail) : Delivery.failed(detail);
		}
		catch (ProcessTimeoutException ex) {
			return Delivery.failed(executable() + " did not finish within " + this.timeout.toMillis()
					+ " ms (dilxc.notifications.command-timeout) and was killed" + stderrSuffix(ex.stderr()));
		}
		catch (ProcessStartException ex) {
			if (Thread.interrupted()) {
				throw new InterruptedException("interrupted while " + executable() + " ran; it was killed");
			}
			return Delivery.failed("cannot start " + executable() + ": " + rootMessage(ex));
		}
	}

	/** {@code "; stderr: ..."} with its last bytes, or nothing when stderr was empty. */
	private static String stderrSuffix(String stderr) {
		String text = stderr.strip();
		return text.isEmpty() ? "" : "; stderr: " + text;
	}

	private static String rootMessage(ProcessStartException ex) {
		Throwable cause = ex.getCause();
		return (cause != null && cause.getMessage() != null) ? cause.getMessage() : String.valueOf(ex.getMessage());
	}

}
