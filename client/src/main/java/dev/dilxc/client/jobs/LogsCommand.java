package dev.dilxc.client.jobs;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * {@code logs ID [--follow] [--raw]}: a job's output, rendered (or raw), optionally
 * followed to its end.
 */
public final class LogsCommand extends ClientCommand {

	private final LogFollower follower;

	private final ProjectLogs projectLogs;

	public LogsCommand(LogFollower follower, ProjectLogs projectLogs, ExitStatusExceptionMapper errors) {
		super("logs", "Print a job's output; without ID, follow the project's Docker logs.",
				"[--follow] [--raw] ID\n       dilxc-client logs",
				List.of(OptionSpec.flag("follow", "keep printing new output until the job ends; exit with its outcome"),
						OptionSpec.flag("raw", "print the stored lines exactly as stored (stream-json)")),
				errors);
		setNotes("""
				'logs ID' prints the stored output of job ID (see 'dilxc-client jobs').
				'logs' alone follows the Docker logs of the project in the selected sandbox
				('docker compose logs -f' in /home/ubuntu/project, else every running container's) until
				Ctrl-C; it exits with their exit code.""");
		this.follower = follower;
		this.projectLogs = projectLogs;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) throws InterruptedException {
		if (input.arguments().isEmpty() && !input.flag("follow") && !input.flag("raw")) {
			return this.projectLogs.follow(input);
		}
		long id = input.jobId();
		return this.follower.print(id, input.flag("follow"), input.flag("raw"), out);
	}

	/**
	 * {@code logs} without a job id: the project's Docker logs, run as an interactive
	 * command.
	 */
	@FunctionalInterface
	public interface ProjectLogs {

		ExitStatus follow(CommandInput input) throws InterruptedException;

	}

}
