package dev.dilxc.client.jobs;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/** {@code logs ID [--follow] [--raw]}: a job's output, rendered (or raw), optionally followed to its end. */
public final class LogsCommand extends ClientCommand {

	private final LogFollower follower;

	public LogsCommand(LogFollower follower, ExitStatusExceptionMapper errors) {
		super("logs", "Print a job's output; --follow keeps printing until it ends.", "[--follow] [--raw] ID",
				List.of(OptionSpec.flag("follow", "keep printing new output until the job ends; exit with its outcome"),
						OptionSpec.flag("raw", "print the stored lines exactly as stored (stream-json)")),
				errors);
		this.follower = follower;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) throws InterruptedException {
		long id = input.jobId();
		return this.follower.print(id, input.flag("follow"), input.flag("raw"), out);
	}
}
