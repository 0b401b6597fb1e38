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
 * {@code cancel ID}: asks the daemon to cancel a job and prints the state it is in now.
 */
public final class CancelCommand extends ClientCommand {

	private final DaemonClient daemon;

	private final StandardStreams streams;

	public CancelCommand(DaemonClient daemon, StandardStreams streams, ExitStatusExceptionMapper errors) {
		super("cancel", "Cancel a queued or running job and print its state.", "ID", List.of(), errors);
		this.daemon = daemon;
		this.streams = streams;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		long id = input.jobId();
		JobView job = this.daemon.cancel(id);
		out.println(job.state());
		if (!job.state().isTerminal()) {
			this.streams.err()
				.println("job " + id + " is stopping; 'dilxc-client job " + id + "' shows when it has ended");
		}
		return ok();
	}

}
