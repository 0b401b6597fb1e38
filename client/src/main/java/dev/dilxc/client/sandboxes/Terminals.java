package dev.dilxc.client.sandboxes;

import java.io.IOException;
import java.util.List;

import dev.dilxc.api.TerminalCommand;
import dev.dilxc.api.TerminalKind;
import dev.dilxc.api.TerminalRequest;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.render.TerminalText;
import dev.dilxc.client.shell.StandardStreams;
import org.springframework.shell.core.command.ExitStatus;

/**
 * Runs an interactive command in a sandbox: asks the daemon how
 * ({@code POST .../terminal}), prints its notice, then runs the returned command line (an
 * {@code lxc exec}) on the host with this process's stdin, stdout and stderr, and exits
 * with its exit code. The client runs it, not the daemon, so the user gets a real
 * terminal.
 */
public final class Terminals {

	private final DaemonClient daemon;

	private final HostEnvironment host;

	private final StandardStreams streams;

	public Terminals(DaemonClient daemon, HostEnvironment host, StandardStreams streams) {
		this.daemon = daemon;
		this.host = host;
		this.streams = streams;
	}

	/**
	 * @param args the user's words, passed on as argv, never re-split
	 * @return the exit code of the command that ran
	 */
	public ExitStatus run(String sandbox, TerminalKind kind, List<String> args, boolean pick)
			throws InterruptedException {
		TerminalCommand command = this.daemon.terminal(sandbox, new TerminalRequest(kind, List.copyOf(args), pick,
				this.host.isTerminalSession(), this.host.hostAuth()));
		if (command.argv() == null || command.argv().isEmpty()) {
			return new ExitStatus(ExitCodes.INTERNAL_ERROR, "the daemon gave no command to run for " + kind);
		}
		if (command.notice() != null && !command.notice().isBlank()) {
			TerminalText.sanitize(command.notice()).strip().lines().forEach(this.streams.err()::println);
		}
		this.streams.out().flush();
		this.streams.err().flush();
		Process process;
		try {
			process = new ProcessBuilder(command.argv()).inheritIO().start();
		}
		catch (IOException ex) {
			return new ExitStatus(ExitCodes.INTERNAL_ERROR, "cannot run '" + command.argv().getFirst() + "': "
					+ ex.getMessage() + " (is the LXD client installed and on PATH?)");
		}
		try {
			return exitedWith(process.waitFor());
		}
		finally {
			if (process.isAlive()) {
				process.destroy();
			}
		}
	}

	/**
	 * The command's own exit code, with no message: ConsoleShellRunner shows Spring
	 * Shell's ": null" as "it exited non-zero", and a one-shot run prints nothing.
	 */
	@SuppressWarnings("NullAway") // Spring Shell declares the description non-null, yet
									// only prints it
	private static ExitStatus exitedWith(int code) {
		return new ExitStatus(code, null);
	}

}
