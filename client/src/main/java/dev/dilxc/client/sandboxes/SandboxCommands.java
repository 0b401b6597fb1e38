package dev.dilxc.client.sandboxes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.dilxc.api.TerminalKind;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.jobs.LogsCommand;
import dev.dilxc.client.render.Formats;
import dev.dilxc.client.render.JsonOutput;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.StandardStreams;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * The sandbox commands, wired: everything of the original dilxc's usage but the job
 * commands.
 */
public final class SandboxCommands {

	private final SandboxCommand.SandboxContext context;

	private final Terminals terminals;

	private final SandboxViews views;

	private final JsonOutput json;

	private final OperationFollower follower;

	public SandboxCommands(DaemonClient daemon, SandboxSelection selection, HostEnvironment host,
			StandardStreams streams, ExitStatusExceptionMapper errors, Formats formats, JsonOutput json,
			Duration operationPollInterval) {
		this.context = new SandboxCommand.SandboxContext(daemon, selection, host, streams, errors);
		this.terminals = new Terminals(daemon, host, streams);
		this.views = new SandboxViews(formats);
		this.json = json;
		this.follower = new OperationFollower(daemon, operationPollInterval, host, formats);
	}

	/** Every sandbox command. */
	public List<ClientCommand> commands() {
		List<ClientCommand> commands = new ArrayList<>();
		commands.add(new InitCommand(this.context, this.follower));
		commands.add(new CustomizeCommand(this.context.host(), this.context.errors()));
		commands.addAll(LifecycleCommand.all(this.context));
		commands.add(new StatusCommand(this.context, this.views, this.json));
		commands.add(new ContainersCommand(this.context, this.views, this.json));
		commands.add(new DestroyCommand(this.context));
		commands.addAll(InteractiveCommand.all(this.context, this.terminals));
		commands.addAll(FileCommands.all(this.context));
		commands.addAll(SnapshotCommands.all(this.context, this.views, this.json));
		commands.add(new ProxyCommand(this.context, this.json));
		commands.addAll(CheckCommands.all(this.context, this.json, this.follower));
		commands.add(new RepairCommand(this.context, this.json));
		return commands;
	}

	/**
	 * {@code logs} without a job id: the project's Docker logs in the selected sandbox.
	 */
	public LogsCommand.ProjectLogs projectLogs() {
		return input -> this.terminals.run(this.context.selection().resolve(input.atSandbox()).name(),
				TerminalKind.DOCKER_LOGS, List.of(), false);
	}

}
