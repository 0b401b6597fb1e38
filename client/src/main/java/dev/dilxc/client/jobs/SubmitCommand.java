package dev.dilxc.client.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import dev.dilxc.api.JobView;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.sandboxes.SandboxSelection;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.StandardStreams;
import dev.dilxc.client.shell.UsageException;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * {@code submit [options] PROMPT}: queues a claude-run job and prints its id, or with {@code --wait}
 * follows its output and exits with its outcome. The prompt is sent exactly as given.
 */
public final class SubmitCommand extends ClientCommand {

	private final DaemonClient daemon;

	private final LogFollower follower;

	private final StandardStreams streams;

	private final SandboxSelection selection;

	public SubmitCommand(DaemonClient daemon, LogFollower follower, StandardStreams streams, SandboxSelection selection,
			ExitStatusExceptionMapper errors) {
		super("submit", "Queue a claude-run job and print its id.",
				"[--sandbox NAME] [--restore never|on-failure|always] [--timeout 30m] [--wait] [--] PROMPT\n"
						+ "       dilxc-client submit [OPTIONS] --prompt-file PATH|-",
				List.of(OptionSpec.value("sandbox", "NAME", "LXD container to run in (default: the selected sandbox, else the daemon's)"),
						OptionSpec.value("restore", "POLICY",
								"restore the pre-job snapshot: never, on-failure (default), always"),
						OptionSpec.value("timeout", "DURATION", "wall-clock limit, e.g. 90s, 30m, 2h, 1h30m"),
						OptionSpec.value("prompt-file", "PATH", "read the prompt from a UTF-8 file ('-' = stdin)"),
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
	 * The job for {@code prompt} with the command line's {@code --sandbox} (else the sandbox the user
	 * selected with {@code @NAME}, {@code DILXC_CONTAINER} or {@code .dilxc}; else none, so the
	 * daemon's configured default), {@code --restore} and {@code --timeout}.
	 */
	public SubmitJobRequest request(String prompt, CommandInput input) {
		String sandbox = input.option("sandbox");
		if (sandbox != null && sandbox.isBlank()) {
			throw new UsageException("--sandbox needs a container name");
		}
		if (sandbox == null) {
			SandboxSelection.Selected selected = this.selection.resolve(input.atSandbox());
			sandbox = selected.isExplicit() ? selected.name() : null;
		}
		RestorePolicy restore = restorePolicy(input.option("restore"));
		String timeout = input.option("timeout");
		Long timeoutSeconds = (timeout != null) ? Timeouts.parse(timeout).toSeconds() : null;
		return new SubmitJobRequest(prompt, sandbox, restore, timeoutSeconds);
	}

	/** Queues the job, prints its id to stderr and follows its output; the exit status is its outcome. */
	public ExitStatus submitAndFollow(SubmitJobRequest request, PrintWriter out) throws InterruptedException {
		JobView job = this.daemon.submit(request);
		this.streams.err()
			.println("job " + job.id() + " submitted to sandbox '" + job.sandbox()
					+ "'; following its output (Ctrl-C stops following, not the job)");
		return this.follower.print(job.id(), true, false, out);
	}

	private String prompt(CommandInput input) {
		List<String> arguments = input.arguments();
		String file = input.option("prompt-file");
		String prompt;
		if (file != null) {
			if (!arguments.isEmpty()) {
				throw new UsageException("give the prompt as an argument or with --prompt-file, not both");
			}
			prompt = readPromptFile(file);
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

	private String readPromptFile(String file) {
		byte[] bytes;
		String name = file.equals("-") ? "stdin" : "'" + file + "'";
		try {
			bytes = file.equals("-") ? this.streams.in().readAllBytes() : Files.readAllBytes(Path.of(file));
		}
		catch (NoSuchFileException ex) {
			throw new UsageException("cannot read --prompt-file " + name + ": no such file", ex);
		}
		catch (AccessDeniedException ex) {
			throw new UsageException("cannot read --prompt-file " + name + ": permission denied", ex);
		}
		catch (IOException | InvalidPathException ex) {
			throw new UsageException("cannot read --prompt-file " + name + ": " + ex.getMessage(), ex);
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new UsageException("--prompt-file " + name + " is not UTF-8 text", ex);
		}
	}

	private static @Nullable RestorePolicy restorePolicy(@Nullable String value) {
		if (value == null) {
			return null;
		}
		try {
			return RestorePolicy.parse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException("invalid --restore: " + ex.getMessage(), ex);
		}
	}
}
