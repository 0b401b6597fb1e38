package dev.dilxc.client.schedules;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.api.ScheduleDetails;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.render.JsonOutput;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/** {@code schedule show ID [--json]}: one schedule, its next firings and its events. */
final class ScheduleShowCommand extends ClientCommand {

	private final DaemonClient daemon;

	private final ScheduleViews views;

	private final JsonOutput json;

	ScheduleShowCommand(DaemonClient daemon, ScheduleViews views, JsonOutput json, ExitStatusExceptionMapper errors) {
		super("schedule show", REVIEW, "Show a schedule, its next firings and what happened to it.", "[--json] ID",
				List.of(OptionSpec.flag("json", "print the schedule, its next firings and events as JSON")), errors);
		this.daemon = daemon;
		this.views = views;
		this.json = json;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		ScheduleDetails details = this.daemon.schedule(input.scheduleId());
		if (input.flag("json")) {
			this.json.print(details, out);
		}
		else {
			this.views.details(details).forEach(out::println);
		}
		return ok();
	}

}
