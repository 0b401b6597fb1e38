package dev.dilxc.client.shell;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;

import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/** {@code help [COMMAND]}: the command list, exit codes and environment, or one command's usage. */
public final class HelpCommand extends ClientCommand {

	private final CommandRegistry registry;

	public HelpCommand(CommandRegistry registry, ExitStatusExceptionMapper errors) {
		super("help", "Show the commands, or one command's usage.", "[COMMAND]", List.of(), errors);
		this.registry = registry;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		List<String> arguments = input.arguments();
		if (arguments.size() > 1) {
			throw new UsageException("'help' takes at most one command name");
		}
		if (arguments.size() == 1) {
			Command command = this.registry.getCommandByName(arguments.getFirst());
			if (command == null) {
				throw new UsageException("unknown command '" + arguments.getFirst() + "' (try 'dilxc-client help')");
			}
			out.println(command.getHelp());
			return ok();
		}
		out.println(overview());
		return ok();
	}

	private String overview() {
		List<Command> commands = this.registry.getCommands()
			.stream()
			.filter(command -> !command.isHidden())
			.sorted(Comparator.comparing((Command command) -> command.getName().equals("help"))
				.thenComparing(Command::getName))
			.toList();
		int width = commands.stream().mapToInt(command -> command.getName().length()).max().orElse(0);
		StringBuilder text = new StringBuilder();
		text.append("dilxc-client: queue Claude Code jobs on the dilxc daemon and read what they did.\n\n");
		text.append("Usage: dilxc-client COMMAND [OPTIONS] [ARGUMENTS]   run one command and exit\n");
		text.append("       dilxc-client                                 interactive shell ('exit' leaves)\n\n");
		text.append("Commands:\n");
		for (Command command : commands) {
			text.append("  ")
				.append(command.getName())
				.append(" ".repeat(width - command.getName().length()))
				.append("  ")
				.append(command.getDescription())
				.append('\n');
		}
		text.append("\nRun 'dilxc-client COMMAND --help' for its options. Put '--' before an argument that\n");
		text.append("starts with '-'.\n\n");
		text.append("Exit codes: 0 ok, 2 bad input, 3 no such job, 4 job already finished,\n");
		text.append("  10/11/12/13 followed job FAILED/TIMED_OUT/CANCELLED/INTERRUPTED,\n");
		text.append("  69 daemon unreachable, 70 daemon or client error.\n\n");
		text.append("Environment: DILXC_SOCKET  the daemon's socket (default $XDG_RUNTIME_DIR/dilxc/daemon.sock,\n");
		text.append("                           else ~/.local/state/dilxc/daemon.sock)\n");
		text.append("             ").append(ClientErrors.DEBUG_ENV).append("   print stack traces with errors");
		return text.toString();
	}
}
