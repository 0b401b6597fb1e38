package dev.dilxc.client.schedules;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.api.JobView;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.jobs.LogFollower;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.StandardStreams;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * {@code schedule run-now ID [--wait]}: one run of the schedule now, outside its cron;
 * like {@code submit}.
 */
final class ScheduleRunNowCommand extends ClientCommand {

	private final DaemonClient daemon;

	private final LogFollower follower;

	private final StandardStreams streams;

	ScheduleRunNowCommand(DaemonClient daemon, LogFollower follower, StandardStreams streams,
			ExitStatusExceptionMapper errors) {
		super("schedule run-now", REVIEW, "Queue one run of a schedule now; print the job's id.", "[--wait] ID",
				List.of(OptionSpec.flag("wait",
						"print the id to stderr, follow the output, exit with the outcome (as submit --wait)")),
				errors);
		this.daemon = daemon;
		this.follower = follower;
		this.streams = streams;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) throws InterruptedException {
		long id = input.scheduleId();
		JobView job = this.daemon.runScheduleNow(id);
		return this.follower.idOrFollow(job, "queued by schedule " + id + " in sandbox '" + job.sandbox() + "'",
				input.flag("wait"), out, this.streams.err());
	}

}
