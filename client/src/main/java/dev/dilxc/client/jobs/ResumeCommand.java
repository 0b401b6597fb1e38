package dev.dilxc.client.jobs;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.api.JobView;
import dev.dilxc.api.ResumeJobRequest;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.StandardStreams;
import dev.dilxc.client.shell.UsageException;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * {@code resume [--wait] ID PROMPT...}: a new job that continues job ID's Claude Code
 * session with a new prompt, in the same sandbox and directory (Claude Code's
 * {@code --resume} only finds a session there).
 */
public final class ResumeCommand extends ClientCommand {

	private static final String USAGE = "dilxc-client resume ID \"what to do next\"";

	private final DaemonClient daemon;

	private final LogFollower follower;

	private final StandardStreams streams;

	public ResumeCommand(DaemonClient daemon, LogFollower follower, StandardStreams streams,
			ExitStatusExceptionMapper errors) {
		super("resume", REVIEW, "Continue a job's Claude session with a new prompt, as a new job.",
				"[--wait] ID PROMPT...\n       dilxc-client resume [--wait] ID --prompt-file PATH|-",
				List.of(JobOptions.PROMPT_FILE, RetryCommand.WAIT), errors);
		setNotes("""
				The words after ID are the prompt, joined with single spaces; put '--' before a prompt that
				starts with '-'. The new job runs in the same sandbox and working directory as job ID.""");
		this.daemon = daemon;
		this.follower = follower;
		this.streams = streams;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) throws InterruptedException {
		List<String> arguments = input.arguments();
		if (arguments.isEmpty()) {
			throw new UsageException("missing job id and prompt: " + USAGE + " (see 'dilxc-client jobs')");
		}
		long id = CommandInput.id(arguments.getFirst(), "job");
		String prompt = Prompts.fromWordsOrFile(input, arguments.subList(1, arguments.size()), this.streams.in(),
				USAGE);
		JobView job = this.daemon.resume(id, new ResumeJobRequest(prompt));
		return this.follower.idOrFollow(job, "resumes job " + id + "'s session in sandbox '" + job.sandbox() + "'",
				input.flag("wait"), out, this.streams.err());
	}

}
