package dev.dilxc.client.shell;

import java.io.PrintWriter;

import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.daemon.ConflictException;
import dev.dilxc.client.daemon.DaemonFailureException;
import dev.dilxc.client.daemon.DaemonUnreachableException;
import dev.dilxc.client.daemon.InvalidRequestException;
import dev.dilxc.client.daemon.JobAlreadyFinishedException;
import dev.dilxc.client.daemon.JobNotFoundException;
import dev.dilxc.client.daemon.NotFoundException;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * Maps what a command throws to an {@link ExitStatus}: one of {@link ExitCodes} and the
 * one line that tells the user what was wrong and how to fix it. Set on every client
 * command, and used by the one-shot runner for errors that happen before a command runs.
 *
 * <p>
 * Stack traces are printed (to stderr) only when {@value #DEBUG_ENV} is set.
 */
public final class ClientErrors implements ExitStatusExceptionMapper {

	/** Set this environment variable (to anything) to get stack traces with errors. */
	public static final String DEBUG_ENV = "DILXC_DEBUG";

	private final boolean debug;

	private final PrintWriter err;

	public ClientErrors(boolean debug, PrintWriter err) {
		this.debug = debug;
		this.err = err;
	}

	/** Debugging as the environment asks, stack traces to {@code err}. */
	public static ClientErrors fromEnvironment(PrintWriter err) {
		String debug = System.getenv(DEBUG_ENV);
		return new ClientErrors(debug != null && !debug.isBlank() && !debug.equals("0"), err);
	}

	@Override
	public ExitStatus apply(Exception ex) {
		if (this.debug) {
			ex.printStackTrace(this.err);
			this.err.flush();
		}
		return toExitStatus(ex);
	}

	/** The exit status for {@code ex}, without side effects. */
	public static ExitStatus toExitStatus(Exception ex) {
		return switch (ex) {
			case UsageException usage -> new ExitStatus(ExitCodes.BAD_INPUT, usage.getMessage());
			case InvalidRequestException invalid ->
				new ExitStatus(ExitCodes.BAD_INPUT, "the daemon rejected the request: " + invalid.getMessage());
			case JobNotFoundException notFound ->
				new ExitStatus(ExitCodes.NOT_FOUND, notFound.getMessage() + " (list jobs with 'dilxc-client jobs')");
			case JobAlreadyFinishedException finished -> new ExitStatus(ExitCodes.CONFLICT,
					finished.getMessage() + " (see 'dilxc-client job " + finished.jobId() + "')");
			case NotFoundException notFound when notFound.problem().equals("schedule-not-found") -> new ExitStatus(
					ExitCodes.NOT_FOUND, notFound.getMessage() + " (list schedules with 'dilxc-client schedules')");
			// the daemon's detail names the sandbox or snapshot and says how to fix it
			case NotFoundException notFound -> new ExitStatus(ExitCodes.NOT_FOUND, notFound.getMessage());
			case ConflictException conflict -> new ExitStatus(ExitCodes.CONFLICT, conflict.getMessage());
			case DaemonUnreachableException unreachable ->
				new ExitStatus(ExitCodes.DAEMON_UNREACHABLE, unreachable.getMessage());
			case DaemonFailureException failure -> new ExitStatus(ExitCodes.INTERNAL_ERROR, failure.getMessage());
			default -> new ExitStatus(ExitCodes.INTERNAL_ERROR,
					"unexpected error: " + describe(ex) + " (set " + DEBUG_ENV + "=1 for the stack trace)");
		};
	}

	private static String describe(Throwable ex) {
		String message = ex.getMessage();
		return ex.getClass().getName() + ((message != null && !message.isBlank()) ? ": " + message : "");
	}

}
