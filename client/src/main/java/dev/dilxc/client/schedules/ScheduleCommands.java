package dev.dilxc.client.schedules;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.jobs.LogFollower;
import dev.dilxc.client.render.Formats;
import dev.dilxc.client.render.JsonOutput;
import dev.dilxc.client.sandboxes.HostEnvironment;
import dev.dilxc.client.sandboxes.SandboxSelection;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.StandardStreams;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/** The schedule commands and the morning report, wired. */
public final class ScheduleCommands {

	private ScheduleCommands() {
	}

	/** {@code schedule ...}, {@code schedules} and {@code report}. */
	public static List<ClientCommand> all(DaemonClient daemon, LogFollower follower, StandardStreams streams,
			SandboxSelection selection, HostEnvironment host, Clock clock, JsonOutput json,
			ExitStatusExceptionMapper errors) {
		ScheduleViews views = new ScheduleViews(new Formats(clock));
		List<ClientCommand> commands = new ArrayList<>();
		commands.add(new ScheduleGroupCommand(errors));
		commands.add(new ScheduleAddCommand(daemon, streams, selection, views, errors));
		commands.add(new SchedulesCommand(daemon, views, json, host, errors));
		commands.add(new ScheduleShowCommand(daemon, views, json, errors));
		commands.addAll(ScheduleStateCommand.all(daemon, views, errors));
		commands.add(new ScheduleRemoveCommand(daemon, errors));
		commands.add(new ScheduleRunNowCommand(daemon, follower, streams, errors));
		commands.add(new ReportCommand(daemon, clock, json, host, errors));
		return commands;
	}

}
