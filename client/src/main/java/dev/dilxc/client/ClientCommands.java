package dev.dilxc.client;

import java.time.Clock;
import java.time.Duration;

import dev.dilxc.client.completion.CompletionCommand;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.jobs.CancelCommand;
import dev.dilxc.client.jobs.ClaudeRunCommand;
import dev.dilxc.client.jobs.DiffCommand;
import dev.dilxc.client.jobs.JobCommand;
import dev.dilxc.client.jobs.JobsCommand;
import dev.dilxc.client.jobs.LogFollower;
import dev.dilxc.client.jobs.LogsCommand;
import dev.dilxc.client.jobs.ResumeCommand;
import dev.dilxc.client.jobs.RetryCommand;
import dev.dilxc.client.jobs.SubmitCommand;
import dev.dilxc.client.jobs.WebCommand;
import dev.dilxc.client.render.Formats;
import dev.dilxc.client.render.JsonOutput;
import dev.dilxc.client.render.StreamJsonRenderer;
import dev.dilxc.client.sandboxes.HostEnvironment;
import dev.dilxc.client.sandboxes.SandboxCommands;
import dev.dilxc.client.sandboxes.SandboxSelection;
import dev.dilxc.client.schedules.ScheduleCommands;
import dev.dilxc.client.shell.ClientErrors;
import dev.dilxc.client.shell.HelpCommand;
import dev.dilxc.client.shell.StandardStreams;
import org.springframework.shell.core.command.CommandRegistry;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client's commands, wired together: used by {@link ClientApplication} and by tests
 * alike.
 */
public final class ClientCommands {

	private ClientCommands() {
	}

	/** The JSON mapper for the wire records: lenient about fields a newer daemon adds. */
	public static JsonMapper jsonMapper() {
		return JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
	}

	/**
	 * A registry holding every command: the job commands ({@code submit}, {@code jobs},
	 * {@code job}, {@code logs}, {@code cancel}, {@code claude-run}), the schedule and
	 * review commands ({@code schedule ...}, {@code schedules}, {@code report},
	 * {@code diff}, {@code retry}, {@code resume}), the sandbox commands and
	 * {@code help}.
	 * @param pollInterval how often a followed job or operation is asked for more
	 * @param host the environment, directories and terminal the commands see
	 */
	public static CommandRegistry registry(DaemonClient daemon, JsonMapper json, StandardStreams streams,
			ClientErrors errors, Clock clock, Duration pollInterval, HostEnvironment host) {
		Formats formats = new Formats(clock);
		JsonOutput jsonOutput = new JsonOutput(json);
		LogFollower follower = new LogFollower(daemon, new StreamJsonRenderer(json), pollInterval);
		SandboxSelection selection = new SandboxSelection(host);
		SandboxCommands sandboxes = new SandboxCommands(daemon, selection, host, streams, errors, formats, jsonOutput,
				pollInterval);
		CommandRegistry registry = new CommandRegistry();
		SubmitCommand submit = new SubmitCommand(daemon, follower, streams, selection, errors);
		registry.registerCommand(submit);
		registry.registerCommand(new JobsCommand(daemon, formats, jsonOutput, selection, host, errors));
		registry.registerCommand(new JobCommand(daemon, formats, jsonOutput, errors));
		registry.registerCommand(new LogsCommand(follower, sandboxes.projectLogs(), errors));
		registry.registerCommand(new CancelCommand(daemon, streams, errors));
		registry.registerCommand(new ClaudeRunCommand(submit, errors));
		ScheduleCommands.all(daemon, follower, streams, selection, host, clock, jsonOutput, errors)
			.forEach(registry::registerCommand);
		registry.registerCommand(new DiffCommand(daemon, host, streams, jsonOutput, errors));
		registry.registerCommand(new RetryCommand(daemon, follower, streams, errors));
		registry.registerCommand(new ResumeCommand(daemon, follower, streams, errors));
		registry.registerCommand(new WebCommand(daemon, jsonOutput, errors));
		sandboxes.commands().forEach(registry::registerCommand);
		CompletionCommand.register(registry, daemon, errors);
		registry.registerCommand(new HelpCommand(registry, errors));
		return registry;
	}

}
