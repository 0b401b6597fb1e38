package dev.dilxc.client.jobs;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.client.sandboxes.SandboxCommand;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.UsageException;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * {@code claude-run PROMPT...}: runs a prompt now, in the foreground with live output,
 * recorded as a job of the selected sandbox: exactly {@code submit --wait}, with the same
 * exit codes. All the words make the prompt, joined with single spaces (the original
 * silently used only the first).
 */
public final class ClaudeRunCommand extends ClientCommand {

	private final SubmitCommand submit;

	public ClaudeRunCommand(SubmitCommand submit, ExitStatusExceptionMapper errors) {
		super("claude-run", SandboxCommand.INTERACTIVE, "Run a prompt now with live output, recorded as a job.",
				"[--restore never|on-failure|always] [--timeout 30m] [--max-turns N] [--max-budget-usd X]\n"
						+ "       [--sync] [--] PROMPT...",
				List.of(JobOptions.RESTORE, JobOptions.TIMEOUT, JobOptions.MAX_TURNS, JobOptions.MAX_BUDGET,
						JobOptions.SYNC),
				errors);
		setNotes("""
				The same as 'dilxc-client submit --wait PROMPT' on the selected sandbox: snapshot first,
				output followed live (Ctrl-C stops following, not the job), exit code from the outcome.
				Unquoted words are joined with single spaces; put '--' before a prompt that starts with '-'.""");
		this.submit = submit;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) throws InterruptedException {
		String prompt = String.join(" ", input.arguments());
		if (prompt.isBlank()) {
			throw new UsageException("missing prompt: dilxc-client claude-run \"fix the failing tests\"");
		}
		return this.submit.submitAndFollow(this.submit.request(prompt, input), out);
	}

}
