package dev.dilxc.client.jobs;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.api.JobView;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.StandardStreams;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * {@code retry [--wait] ID}: the job again, with the same prompt and options, as a new
 * job.
 */
public final class RetryCommand extends ClientCommand {

	private final DaemonClient daemon;

	private final LogFollower follower;

	private final StandardStreams streams;

	public RetryCommand(DaemonClient daemon, LogFollower follower, StandardStreams streams,
			ExitStatusExceptionMapper errors) {
		super("retry", REVIEW, "Run a job again with the same prompt and options; print the new job's id.",
				"[--wait] ID", List.of(WAIT), errors);
		this.daemon = daemon;
		this.follower = follower;
		this.streams = streams;
	}

	static final OptionSpec WAIT = OptionSpec.flag("wait",
			"print the id to stderr, follow the output, exit with the outcome (as submit --wait)");

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) throws InterruptedException {
		long id = input.jobId();
		JobView job = this.daemon.retry(id);
		return this.follower.idOrFollow(job, "retries job " + id + " in sandbox '" + job.sandbox() + "'",
				input.flag("wait"), out, this.streams.err());
	}

}
