package dev.dilxc.client.shell;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;

import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * {@code help [COMMAND]}: the command list, exit codes and environment, or one command's
 * usage.
 */
public final class HelpCommand extends ClientCommand {

	private final CommandRegistry registry;

	public HelpCommand(CommandRegistry registry, ExitStatusExceptionMapper errors) {
		super("help", "Show the commands, or one command's usage.", "[COMMAND]", List.of(), errors);
		this.registry = registry;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		List<String> arguments = input.arguments();
		if (arguments.size() > 2) {
			throw new UsageException("'help' takes at most one command name (of one or two words)");
		}
		if (!arguments.isEmpty()) {
			// 'help schedule add' and 'help schedule' both work
			String name = String.join(" ", arguments);
			Command command = this.registry.getCommandByName(name);
			if (command == null) {
				throw new UsageException("unknown command '" + name + "' (try 'dilxc-client help')");
			}
			out.println(command.getHelp());
			return ok();
		}
		out.println(overview());
		return ok();
	}

	/** The groups in the order {@code help} shows them (the original's usage order). */
	static final List<String> GROUPS = List.of("Jobs", "Schedules & review", "Sandbox setup", "Lifecycle",
			"Interactive", "Files", "Snapshots", "Docker & ports", "Checks & maintenance");

	private String overview() {
		List<Command> all = this.registry.getCommands()
			.stream()
			.filter(command -> ClientCommand.isListed(command) && !command.getName().equals("help"))
			.toList();
		// a command that only names its two-word commands ('schedule') is listed through
		// them
		List<Command> commands = all.stream()
			.filter(command -> all.stream().noneMatch(other -> other.getName().startsWith(command.getName() + " ")))
			.toList();
		int width = Math.max("logs (no ID)".length(),
				commands.stream().mapToInt(command -> command.getName().length()).max().orElse(0));
		StringBuilder text = new StringBuilder();
		text.append("dilxc-client: sandboxes for coding agents (LXD system containers with Docker inside), and\n");
		text.append("Claude Code jobs run in them by the dilxc daemon.\n\n");
		text.append("Usage: dilxc-client [@NAME] COMMAND [OPTIONS] [ARGUMENTS]   run one command and exit\n");
		text.append("       dilxc-client                                         interactive shell ('exit' leaves)\n");
		for (String group : GROUPS) {
			List<Command> members = commands.stream()
				.filter(command -> group.equals(command.getGroup()))
				.sorted(Comparator.comparingInt(HelpCommand::order).thenComparing(Command::getName))
				.toList();
			text.append('\n').append(group).append(":\n");
			for (Command command : members) {
				line(text, command.getName(), width, command.getDescription());
			}
			if (group.equals("Docker & ports")) {
				line(text, "logs (no ID)", width, "Follow the project's Docker logs ('logs ID' is a job's output).");
			}
		}
		List<Command> others = commands.stream().filter(command -> !GROUPS.contains(command.getGroup())).toList();
		if (!others.isEmpty()) {
			text.append("\nOther:\n");
			others.forEach(command -> line(text, command.getName(), width, command.getDescription()));
		}
		line(text.append('\n'), "help [COMMAND]", width, "This overview, or one command's usage.");
		text.append("""

				Sandbox selection (first match wins):
				  @NAME             as the first word: dilxc-client @web shell
				  DILXC_CONTAINER   environment variable
				  .dilxc            nearest file of that name from the current directory up to / (its
				                    first line; 'init' writes it into the project)
				  docker-lxc        the default

				Run 'dilxc-client COMMAND --help' for its options. Put '--' before an argument that starts
				with '-'. 'exec' and 'docker' pass every word after them to the sandbox as is.

				Exit codes: 0 ok; 1 a check, sync/pull/push, init/update or the destroy confirmation failed;
				  2 bad input; 3 not found (job, schedule, sandbox, snapshot, proxy, a job's captured
				  changes); 4 conflict (job finished,
				  sandbox not running, busy or quarantined (a repair failed again), snapshot exists,
				  port taken);
				  10/11/12/13 followed job FAILED/TIMED_OUT/CANCELLED/INTERRUPTED;
				  69 daemon unreachable; 70 daemon or client error.
				  shell, root, login, claude, claude-resume, exec, docker and 'logs' without an ID exit
				  with the code of what they ran in the sandbox.

				Environment:
				  DILXC_SOCKET     the daemon's socket (default $XDG_RUNTIME_DIR/dilxc/daemon.sock,
				                   else ~/.local/state/dilxc/daemon.sock)
				  DILXC_CONTAINER  the sandbox (see above)
				  ANTHROPIC_API_KEY, CLAUDE_CODE_OAUTH_TOKEN
				                   the agent's credentials: init puts them in the sandbox's agent.env
				  VISUAL, EDITOR   the editor of 'customize'
				""").append("  ").append(ClientErrors.DEBUG_ENV).append("      print stack traces with errors");
		return text.toString();
	}

	private static void line(StringBuilder text, String name, int width, String description) {
		text.append("  ")
			.append(name)
			.append(" ".repeat(Math.max(0, width - name.length())))
			.append("  ")
			.append(description)
			.append('\n');
	}

	/**
	 * Commands in the order of the original's usage within a group; unknown ones after,
	 * by name.
	 */
	private static int order(Command command) {
		int index = ORDER.indexOf(command.getName());
		return (index >= 0) ? index : ORDER.size();
	}

	private static final List<String> ORDER = List.of("submit", "jobs", "job", "logs", "cancel", "schedule add",
			"schedules", "schedule show", "schedule pause", "schedule resume", "schedule run-now", "schedule remove",
			"report", "diff", "retry", "resume", "init", "customize", "start", "stop", "restart", "status",
			"containers", "destroy", "shell", "root", "login", "claude", "claude-run", "claude-resume", "exec", "sync",
			"pull", "push", "snapshot", "restore", "snapshots", "snapshot-delete", "docker", "proxy", "health-check",
			"git-auth", "update", "repair", "doctor");

}
