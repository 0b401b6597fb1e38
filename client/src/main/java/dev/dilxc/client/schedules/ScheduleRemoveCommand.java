package dev.dilxc.client.schedules;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.api.ScheduleView;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.render.TerminalText;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * {@code schedule remove ID}: no confirmation (a schedule is one command to make again);
 * it says exactly what was removed, so a wrong id is noticed and the schedule can be
 * added again.
 */
final class ScheduleRemoveCommand extends ClientCommand {

	private final DaemonClient daemon;

	ScheduleRemoveCommand(DaemonClient daemon, ExitStatusExceptionMapper errors) {
		super("schedule remove", REVIEW, "Remove a schedule; print what was removed.", "ID", List.of(), errors);
		this.daemon = daemon;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		long id = input.scheduleId();
		ScheduleView schedule = this.daemon.schedule(id).schedule();
		this.daemon.removeSchedule(id);
		out.println("removed schedule " + id + ": " + ScheduleViews.cron(schedule) + " in sandbox '"
				+ schedule.sandbox() + "': " + TerminalText.firstLine(schedule.prompt(), 60));
		return ok();
	}

}
