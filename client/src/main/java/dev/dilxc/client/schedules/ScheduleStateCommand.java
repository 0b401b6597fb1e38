package dev.dilxc.client.schedules;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.api.ScheduleView;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/** {@code schedule pause ID} and {@code schedule resume ID}. */
final class ScheduleStateCommand extends ClientCommand {

	private final DaemonClient daemon;

	private final ScheduleViews views;

	private final String action;

	private ScheduleStateCommand(String action, String description, DaemonClient daemon, ScheduleViews views,
			ExitStatusExceptionMapper errors) {
		super("schedule " + action, REVIEW, description, "ID", List.of(), errors);
		this.daemon = daemon;
		this.views = views;
		this.action = action;
	}

	static List<ClientCommand> all(DaemonClient daemon, ScheduleViews views, ExitStatusExceptionMapper errors) {
		return List.of(
				new ScheduleStateCommand("pause", "Stop a schedule's firings until it is resumed.", daemon, views,
						errors),
				new ScheduleStateCommand("resume", "Let a paused schedule fire again.", daemon, views, errors));
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		long id = input.scheduleId();
		ScheduleView schedule = this.daemon.scheduleAction(id, this.action);
		if (schedule.paused()) {
			out.println("schedule " + id + " is paused; 'dilxc-client schedule resume " + id + "' lets it fire again");
		}
		else {
			out.println("schedule " + id + " is active; next: " + ((schedule.nextFireAt() != null)
					? this.views.firings(List.of(schedule.nextFireAt()), schedule.timeZone()) : "none"));
		}
		return ok();
	}

}
