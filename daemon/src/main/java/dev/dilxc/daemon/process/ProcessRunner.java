package dev.dilxc.daemon.process;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.StartedProcess;

/**
 * The one way the daemon runs a program: an argv list (never a shell string), stdin given
 * or empty, stdout and stderr kept apart, and one deadline per call that covers writing
 * stdin, reading both streams and the exit, so a program that never reads its stdin or
 * leaves a child holding its output cannot hang the caller. A program past its deadline
 * is killed with its children. Only argv is logged, never stdin or output, which may hold
 * secrets. No JVM shutdown hook destroys these processes: on SIGTERM the job worker still
 * needs to run {@code lxc} to stop agents and restore sandboxes. Not final: tests record
 * argv.
 */
public class ProcessRunner {

	private static final Logger logger = LoggerFactory.getLogger(ProcessRunner.class);

	/**
	 * How long a killed process gets to let go of its output before the caller moves on.
	 */
	private static final Duration AFTER_KILL = Duration.ofSeconds(2);

	/**
	 * Runs {@code command} with {@code stdin} and keeps all of its output; see
	 * {@link #run(ProcessCall)}.
	 */
	public ProcessResult run(List<String> command, byte[] stdin, Duration timeout) {
		return run(ProcessCall.of(command, timeout).withStdin(stdin));
	}

	/**
	 * Runs to completion; a non-zero exit is returned, not thrown, so callers can
	 * classify it.
	 * @throws ProcessStartException the program could not start, or the caller was
	 * interrupted (the process is killed and the interrupt flag set again)
	 * @throws ProcessTimeoutException the deadline passed; the process and its children
	 * were killed
	 */
	public ProcessResult run(ProcessCall call) {
		List<String> command = call.command();
		logger.debug("Running {}", command);
		BoundedOutput stdout = new BoundedOutput(call.outputLimit());
		BoundedOutput stderr = new BoundedOutput(call.outputLimit());
		long start = System.nanoTime();
		StartedProcess started;
		try {
			started = new ProcessExecutor().command(command)
				.environment(call.environment())
				.redirectInput(new ByteArrayInputStream(call.stdin()))
				.redirectOutput(stdout)
				.redirectError(stderr)
				.exitValueAny()
				.start();
		}
		catch (IOException ex) {
			throw new ProcessStartException(command, ex);
		}
		Future<org.zeroturnaround.exec.ProcessResult> finished = started.getFuture();
		try {
			int exitCode = finished.get(call.timeout().toNanos(), TimeUnit.NANOSECONDS).getExitValue();
			return new ProcessResult(command, exitCode, stdout.text(), stderr.text(),
					Duration.ofNanos(System.nanoTime() - start));
		}
		catch (TimeoutException ex) {
			killTree(started.getProcess());
			awaitQuietly(finished);
			throw new ProcessTimeoutException(command, call.timeout(), stderr.text());
		}
		catch (InterruptedException ex) {
			killTree(started.getProcess());
			finished.cancel(true);
			Thread.currentThread().interrupt();
			throw new ProcessStartException(command, ex);
		}
		catch (ExecutionException ex) {
			killTree(started.getProcess());
			throw new ProcessStartException(command, (ex.getCause() instanceof Exception cause) ? cause : ex);
		}
	}

	/**
	 * Starts a long-running process whose stdout and stderr are delivered line by line as
	 * they arrive. The caller owns the deadline: it waits on the returned handle and
	 * destroys it when needed.
	 */
	public StreamingProcess start(List<String> command, Consumer<String> stdoutLines, Consumer<String> stderrLines,
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

	/** The text cut to 600 characters, its start and end kept: for error messages. */
	public static String excerpt(String text) {
		String trimmed = text.strip();
		return (trimmed.length() <= 600) ? trimmed
				: trimmed.substring(0, 300) + " … " + trimmed.substring(trimmed.length() - 300);
	}

	/**
	 * Kills the process and every process below it; the children are listed first, as
	 * they leave the tree once their parent is gone. Through its handle, not
	 * {@link Process#destroyForcibly()}: that first closes stdin, which waits for the
	 * pump blocked writing to a program that does not read.
	 */
	static void killTree(Process process) {
		ProcessHandle handle = process.toHandle();
		List<ProcessHandle> children = handle.descendants().toList();
		handle.destroyForcibly();
		children.forEach(ProcessHandle::destroyForcibly);
	}

	/**
	 * Lets the output pumps finish after a kill; a grandchild that escaped the kill and
	 * still holds the output must not hold the caller too.
	 */
	private static void awaitQuietly(Future<org.zeroturnaround.exec.ProcessResult> finished) {
		try {
			finished.get(AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException | java.util.concurrent.CancellationException ex) {
			finished.cancel(true);
		}
	}

}
