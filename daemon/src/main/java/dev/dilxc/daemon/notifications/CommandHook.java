package dev.dilxc.daemon.notifications;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the local notification command: the payload JSON on its stdin,
 * {@code DILXC_JOB_ID}, {@code DILXC_JOB_STATE} and {@code DILXC_SANDBOX} added to the
 * daemon's environment, stdout discarded, the tail of stderr kept for the log. Exit code
 * 0 is delivered; anything else, or running past the timeout (then it and its children
 * are killed), is a failed try.
 */
final class CommandHook {

	/** Bytes of stderr kept: enough for a stack trace's last lines. */
	static final int STDERR_TAIL = 2000;

	private final List<String> command;

	private final Duration timeout;

	CommandHook(List<String> command, Duration timeout) {
		this.command = List.copyOf(command);
		this.timeout = timeout;
	}

	String executable() {
		return this.command.get(0);
	}

	Delivery run(String payload, Map<String, String> jobEnvironment) throws InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(this.command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
		builder.environment().putAll(jobEnvironment);
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			return Delivery.failed("cannot start " + executable() + ": " + ex.getMessage());
		}
		Tail stderr = new Tail(process.getErrorStream());
		Thread reader = Thread.ofVirtual().name("dilxc-notify-stderr").start(stderr);
		try (OutputStream stdin = process.getOutputStream()) {
			stdin.write(payload.getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			// The command need not read its stdin; a closed pipe is its choice.
		}
		try {
			if (!process.waitFor(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				kill(process);
				return Delivery.failed(executable() + " did not finish within " + this.timeout.toMillis()
						+ " ms (dilxc.notifications.command-timeout) and was killed" + stderr.suffix(reader));
			}
		}
		catch (InterruptedException ex) {
			kill(process);
			throw ex;
		}
		int exit = process.exitValue();
		String detail = executable() + " exited with " + exit + stderr.suffix(reader);
		return (exit == 0) ? Delivery.ok(detail) : Delivery.failed(detail);
	}

	private static void kill(Process process) {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
	}

	/** Keeps the last {@value #STDERR_TAIL} bytes of a stream. */
	private static final class Tail implements Runnable {

		private final InputStream in;

		private final ArrayDeque<Byte> bytes = new ArrayDeque<>();

		Tail(InputStream in) {
			this.in = in;
		}

		@Override
		public void run() {
			byte[] buffer = new byte[4096];
			try (this.in) {
				int n;
				while ((n = this.in.read(buffer)) >= 0) {
					synchronized (this.bytes) {
						for (int i = 0; i < n; i++) {
							this.bytes.addLast(buffer[i]);
							if (this.bytes.size() > STDERR_TAIL) {
								this.bytes.removeFirst();
							}
						}
					}
				}
			}
			catch (IOException ex) {
				// The process is gone; keep what was read.
			}
		}

		/**
		 * {@code "; stderr: ..."} with the tail read so far, or nothing when stderr was
		 * empty.
		 */
		String suffix(Thread reader) throws InterruptedException {
			reader.join(Duration.ofSeconds(2));
			byte[] copy;
			synchronized (this.bytes) {
				copy = new byte[this.bytes.size()];
				int i = 0;
				for (Byte b : this.bytes) {
					copy[i++] = b;
				}
			}
			String text = new String(copy, StandardCharsets.UTF_8).strip();
			return text.isEmpty() ? "" : "; stderr: " + text;
		}

	}

}
