package dev.dilxc.client.jobs;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.api.JobView;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.sandboxes.SandboxSelection;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.StandardStreams;
import dev.dilxc.client.shell.UsageException;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * {@code submit [options] PROMPT}: queues a claude-run job and prints its id, or with
 * {@code --wait} follows its output and exits with its outcome. The prompt is sent
 * exactly as given.
 */
public final class SubmitCommand extends ClientCommand {

	private final DaemonClient daemon;

	private final LogFollower follower;

	private final StandardStreams streams;

	private final SandboxSelection selection;

	public SubmitCommand(DaemonClient daemon, LogFollower follower, StandardStreams streams, SandboxSelection selection,
			ExitStatusExceptionMapper errors) {
		super("submit", "Queue a claude-run job and print its id.",
				"[--sandbox NAME] [--restore never|on-failure|always] [--timeout 30m] [--max-turns N]\n"
						+ "       [--max-budget-usd X] [--sync] [--wait] [--] PROMPT\n"
						+ "       dilxc-client submit [OPTIONS] --prompt-file PATH|-",
				List.of(JobOptions.SANDBOX, JobOptions.RESTORE, JobOptions.TIMEOUT, JobOptions.MAX_TURNS,
						JobOptions.MAX_BUDGET, JobOptions.SYNC, JobOptions.PROMPT_FILE,
						OptionSpec.flag("wait", "print the id to stderr, follow the output, exit with the outcome")),
				errors);
		this.daemon = daemon;
		this.follower = follower;
		this.streams = streams;
		this.selection = selection;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) throws InterruptedException {
		String prompt = prompt(input);
		SubmitJobRequest request = request(prompt, input);
		if (!input.flag("wait")) {
			out.println(this.daemon.submit(request).id());
			return ok();
		}
		return submitAndFollow(request, out);
	}

	/**
	 * The job for {@code prompt} with the command line's {@code --sandbox} (else the
	 * sandbox the user selected with {@code @NAME}, {@code DILXC_CONTAINER} or
	 * {@code .dilxc}; else none, so the daemon's configured default), {@code --restore},
	 * {@code --timeout}, the budget guards and {@code --sync}.
	 */
	public SubmitJobRequest request(String prompt, CommandInput input) {
		return new SubmitJobRequest(prompt, JobOptions.sandbox(input, this.selection), JobOptions.restorePolicy(input),
				JobOptions.timeoutSeconds(input), JobOptions.maxTurns(input), JobOptions.maxBudgetUsd(input),
				JobOptions.sync(input));
	}

	/**
	 * Queues the job, prints its id to stderr and follows its output; the exit status is
	 * its outcome.
	 */
	public ExitStatus submitAndFollow(SubmitJobRequest request, PrintWriter out) throws InterruptedException {
		JobView job = this.daemon.submit(request);
		return this.follower.idOrFollow(job, "submitted to sandbox '" + job.sandbox() + "'", true, out,
				this.streams.err());
	}

	private String prompt(CommandInput input) {
		List<String> arguments = input.arguments();
		String file = input.option("prompt-file");
		String prompt;
		if (file != null) {
			if (!arguments.isEmpty()) {
				throw new UsageException("give the prompt as an argument or with --prompt-file, not both");
			}
			prompt = Prompts.read(file, this.streams.in());
		}
		else if (arguments.isEmpty()) {
			throw new UsageException(
					"missing prompt: dilxc-client submit \"what the agent should do\" (or --prompt-file PATH)");
		}
		else if (arguments.size() > 1) {
			throw new UsageException("submit takes the prompt as ONE argument, got " + arguments.size()
					+ "; quote it: dilxc-client submit \"fix the failing tests\"");
		}
		else {
			prompt = arguments.getFirst();
		}
		if (prompt.isBlank()) {
			throw new UsageException("the prompt is empty; say what the agent should do, e.g. "
					+ "dilxc-client submit \"fix the failing tests\"");
		}
		return prompt;
	}

}
