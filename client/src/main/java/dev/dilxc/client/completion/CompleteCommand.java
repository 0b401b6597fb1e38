package dev.dilxc.client.completion;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.api.JobView;
import dev.dilxc.api.SandboxView;
import dev.dilxc.api.ScheduleView;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.daemon.DaemonException;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.UsageException;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * {@code __complete jobs|sandboxes|schedules} (hidden): the values the completion scripts
 * offer, one a line, newest job first. Prints nothing (and exits 0) when the daemon
 * cannot answer: a completion must never spill an error into the user's command line.
 */
final class CompleteCommand extends ClientCommand {

	static final String NAME = "__complete";

	/** How many recent jobs are offered. */
	static final int RECENT_JOBS = 50;

	private final DaemonClient daemon;

	CompleteCommand(DaemonClient daemon, ExitStatusExceptionMapper errors) {
		super(NAME, "Completion", "Print completion candidates (used by the completion scripts).",
				"jobs|sandboxes|schedules", List.of(), errors, true);
		this.daemon = daemon;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		List<String> arguments = input.arguments();
		if (arguments.size() != 1) {
			throw new UsageException("__complete needs one of: jobs, sandboxes, schedules");
		}
		List<String> values;
		try {
			values = switch (arguments.getFirst()) {
				case "jobs" ->
					this.daemon.jobs(null, null, RECENT_JOBS).stream().map(JobView::id).map(String::valueOf).toList();
				case "sandboxes" -> this.daemon.sandboxes().stream().map(SandboxView::name).toList();
				case "schedules" ->
					this.daemon.schedules().stream().map(ScheduleView::id).map(String::valueOf).toList();
				default -> throw new UsageException(
						"__complete needs one of: jobs, sandboxes, schedules, not '" + arguments.getFirst() + "'");
			};
		}
		catch (DaemonException ex) {
			values = List.of();
		}
		values.forEach(out::println);
		return ok();
	}

}
