package dev.dilxc.client.sandboxes;

import java.io.PrintWriter;
import java.time.Duration;

import dev.dilxc.api.OperationEvent;
import dev.dilxc.api.OperationEvents;
import dev.dilxc.api.OperationState;
import dev.dilxc.api.OperationView;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.render.Formats;
import dev.dilxc.client.render.TerminalText;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.ExitStatus;

/**
 * Follows a long operation ({@code init}, {@code update}) by polling its events until it
 * has ended, printing steps as {@code [3/8] Mounting project...} and their output
 * indented; on a terminal the output runs through one live progress line instead
 * ({@link ProgressLine}). The operation runs in the daemon: Ctrl-C stops the following,
 * not the operation, and the client says so.
 */
public final class OperationFollower {

	private final DaemonClient daemon;

	private final Duration pollInterval;

	private final @Nullable HostEnvironment host;

	private final Formats formats;

	/**
	 * @param pollInterval how long to wait before asking again when there were no new
	 * events
	 * @param host says whether to draw a live progress line: on a terminal, unless
	 * {@code TERM=dumb}
	 * @param formats the clock the progress line's elapsed time is read from
	 */
	public OperationFollower(DaemonClient daemon, Duration pollInterval, @Nullable HostEnvironment host,
			Formats formats) {
		this.daemon = daemon;
		this.pollInterval = pollInterval;
		this.host = host;
		this.formats = formats;
	}

	private ProgressLine progress(PrintWriter out) {
		if (this.host != null && this.host.isTerminalSession() && !"dumb".equals(this.host.get("TERM"))) {
			return ProgressLine.live(out, this.host.columns(), this.formats);
		}
		return ProgressLine.plain(out);
	}

	/**
	 * Prints the operation's events to {@code out} until it ends.
	 * @return OK if it SUCCEEDED, else {@link ExitCodes#FAILED} with its error
	 */
	public ExitStatus follow(OperationView operation, PrintWriter out, PrintWriter err) throws InterruptedException {
		err.println(operation.kind() + " of sandbox '" + operation.sandbox() + "' runs in the daemon as operation "
				+ operation.id() + "; Ctrl-C stops following, not the " + operation.kind());
		err.flush();
		Thread hook = new Thread(() -> {
			err.println();
			err.println("dilxc-client: stopped following; the " + operation.kind() + " of '" + operation.sandbox()
					+ "' goes on in the daemon (see 'dilxc-client @" + operation.sandbox() + " status')");
			err.flush();
		});
		boolean hooked = addHook(hook);
		try {
			OperationView now = follow(operation.id(), out);
			if (now.state() == OperationState.SUCCEEDED) {
				return ExitStatus.OK;
			}
			String error = (now.error() != null && !now.error().isBlank()) ? now.error() : "no reason given";
			return new ExitStatus(ExitCodes.FAILED,
					now.kind() + " of sandbox '" + now.sandbox() + "' failed: " + error);
		}
		finally {
			if (hooked) {
				removeHook(hook);
			}
		}
	}

	private OperationView follow(long id, PrintWriter out) throws InterruptedException {
		ProgressLine progress = progress(out);
		long after = 0;
		boolean ended = false;
		try {
			while (true) {
				OperationEvents page = this.daemon.operationEvents(id, after);
				for (OperationEvent event : page.events()) {
					progress.event(event);
					after = Math.max(after, event.seq());
				}
				out.flush();
				if (page.events().isEmpty()) {
					if (page.operation().state().isTerminal()) {
						progress.finish(page.operation().state() == OperationState.SUCCEEDED);
						ended = true;
						return page.operation();
					}
					Thread.sleep(this.pollInterval);
					progress.tick();
				}
			}
		}
		finally {
			if (!ended) {
				// interrupted or the daemon went away: leave the cursor on a clean line
				// for the message
				progress.finish(true);
			}
		}
	}

	/**
	 * One event as a line: {@code [n/N] step}, {@code   output}, {@code   Warning: text}.
	 */
	static String render(OperationEvent event) {
		String text = (event.text() != null) ? event.text() : "";
		return switch (event.kind()) {
			case "step" -> {
				String counter = (event.step() != null && event.steps() != null)
						? "[" + event.step() + "/" + event.steps() + "] " : "";
				yield counter + TerminalText.oneLine(text);
			}
			case "warning" -> "  Warning: " + TerminalText.oneLine(text);
			default -> ("  " + TerminalText.sanitize(text).replace("\n", "\n  ")).stripTrailing();
		};
	}

	private static boolean addHook(Thread hook) {
		try {
			Runtime.getRuntime().addShutdownHook(hook);
			return true;
		}
		catch (IllegalStateException ex) {
			// the JVM is already shutting down
			return false;
		}
	}

	private static void removeHook(Thread hook) {
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		}
		catch (IllegalStateException ex) {
			// shutting down: the hook runs, which is right
		}
	}

}
