package dev.dilxc.client.schedules;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.api.ScheduleView;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.render.Ansi;
import dev.dilxc.client.render.JsonOutput;
import dev.dilxc.client.sandboxes.HostEnvironment;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * {@code schedules [--json]}: every schedule with its next firing and its last run's
 * outcome.
 */
final class SchedulesCommand extends ClientCommand {

	private final DaemonClient daemon;

	private final ScheduleViews views;

	private final JsonOutput json;

	private final HostEnvironment host;

	SchedulesCommand(DaemonClient daemon, ScheduleViews views, JsonOutput json, HostEnvironment host,
			ExitStatusExceptionMapper errors) {
		super("schedules", REVIEW, "List the schedules: next firing, last run and its outcome.", "[--json]",
				List.of(OptionSpec.flag("json", "print the schedules as a JSON array")), errors);
		this.daemon = daemon;
		this.views = views;
		this.json = json;
		this.host = host;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		input.noArguments();
		List<ScheduleView> schedules = this.daemon.schedules();
		if (input.flag("json")) {
			this.json.print(schedules, out);
		}
		else if (schedules.isEmpty()) {
			out.println("no schedules (add one with 'dilxc-client schedule add --cron EXPR PROMPT')");
		}
		else {
			this.views.table(schedules, this.host.columns(), new Ansi(this.host.colour())).forEach(out::println);
		}
		return ok();
	}

}
