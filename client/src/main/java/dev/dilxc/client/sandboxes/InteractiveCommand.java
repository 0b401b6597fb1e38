package dev.dilxc.client.sandboxes;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.api.TerminalKind;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.UsageException;
import org.springframework.shell.core.command.ExitStatus;

/**
 * {@code shell}, {@code root}, {@code login}, {@code claude},
 * {@code claude-resume [--pick]}, {@code exec CMD...} and {@code docker ARGS...}: a
 * command in the sandbox with this terminal, exiting with its exit code. {@code exec} and
 * {@code docker} pass every word after their name on verbatim.
 */
public final class InteractiveCommand extends SandboxCommand {

	private final TerminalKind kind;

	private final Terminals terminals;

	private InteractiveCommand(String name, String group, TerminalKind kind, String description, String synopsis,
			List<OptionSpec> specs, SandboxContext context, Terminals terminals) {
		super(name, group, description, synopsis, specs, context);
		this.kind = kind;
		this.terminals = terminals;
	}

	public static List<InteractiveCommand> all(SandboxContext context, Terminals terminals) {
		InteractiveCommand exec = new InteractiveCommand("exec", INTERACTIVE, TerminalKind.EXEC,
				"Run a command as ubuntu in the project directory; exits with its exit code.", "CMD [ARGS...]",
				List.of(), context, terminals);
		exec.setNotes("""
				Every word after 'exec' goes to the command as is: 'dilxc-client exec ls -la' runs ls -la.
				Words are not joined into a shell line: for pipes or $VARS use
				  dilxc-client exec sh -c 'npm test | tee test.log'""");
		InteractiveCommand docker = new InteractiveCommand("docker", DOCKER, TerminalKind.DOCKER,
				"Run docker in the sandbox, in the project directory.", "ARGS...", List.of(), context, terminals);
		docker.setNotes("Every word after 'docker' goes to docker as is, e.g. 'dilxc-client docker compose ps'.\n"
				+ "The project's Docker logs: 'dilxc-client logs' (without a job id).");
		InteractiveCommand login = new InteractiveCommand("login", INTERACTIVE, TerminalKind.LOGIN,
				"Log Claude Code in (browser OAuth); /exit when done.", "", List.of(), context, terminals);
		login.setNotes("The login is stored in the sandbox: snapshots taken before it (clean-baseline) do not\n"
				+ "have it, so restoring one logs Claude out again.");
		return List.of(
				new InteractiveCommand("shell", INTERACTIVE, TerminalKind.SHELL,
						"Open a login shell as ubuntu in the sandbox.", "", List.of(), context, terminals),
				new InteractiveCommand("root", INTERACTIVE, TerminalKind.ROOT, "Open a root shell in the sandbox.", "",
						List.of(), context, terminals),
				login,
				new InteractiveCommand("claude", INTERACTIVE, TerminalKind.CLAUDE,
						"Start Claude Code (skip-permissions) in the project.", "", List.of(), context, terminals),
				new InteractiveCommand("claude-resume", INTERACTIVE, TerminalKind.CLAUDE_RESUME,
						"Resume the most recent Claude Code session; --pick to choose one.", "[--pick]",
						List.of(OptionSpec.flag("pick", "open Claude Code's session picker instead")), context,
						terminals),
				exec, docker);
	}

	@Override
	public boolean takesVerbatimArguments() {
		return this.kind == TerminalKind.EXEC || this.kind == TerminalKind.DOCKER;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) throws InterruptedException {
		List<String> args = input.arguments();
		if (this.kind == TerminalKind.EXEC && args.isEmpty()) {
			throw new UsageException(
					"missing command: dilxc-client exec CMD [ARGS...], e.g. dilxc-client exec npm test");
		}
		if (!takesVerbatimArguments()) {
			input.noArguments();
		}
		String sandbox = sandbox(input);
		return this.terminals.run(sandbox, this.kind, args, input.flag("pick"));
	}

}
