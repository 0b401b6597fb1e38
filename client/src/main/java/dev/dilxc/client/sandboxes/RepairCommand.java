package dev.dilxc.client.sandboxes;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.api.RepairResult;
import dev.dilxc.client.render.JsonOutput;
import dev.dilxc.client.render.TerminalText;
import dev.dilxc.client.shell.CommandInput;
import org.springframework.shell.core.command.ExitStatus;

/**
 * {@code repair [--force] [--json]}: a quarantined sandbox takes no job until it is
 * repaired. The daemon retries the failed step with backoff; this retries it now (ends
 * the job's leftover processes, restores its pre-job snapshot when its policy wanted a
 * restore that did not happen), or with {@code --force} releases the sandbox as it is,
 * for a user who has looked. A repair that fails again exits 4 (conflict) with the error,
 * and the sandbox stays quarantined.
 */
public final class RepairCommand extends SandboxCommand {

	private final JsonOutput json;

	RepairCommand(SandboxContext context, JsonOutput json) {
		super("repair", CHECKS, "Retry what failed in a quarantined sandbox now, or release it (--force).",
				"[--force] [--json]",
				List.of(OptionSpec.flag("force",
						"release it from quarantine as it is, without retrying (after looking)"),
						OptionSpec.flag("json", "print the result as JSON")),
				context);
		setNotes("""
				A sandbox is quarantined when a step that should leave it sound failed (the restore after a
				job, ending the agent's processes, crash recovery, LXD staying away): no job starts in it until
				it is repaired. 'status', 'jobs', 'report' and the review pages show which and why. The daemon
				retries by itself with backoff; 'repair' retries now. Exit 4 if the repair fails again (the
				sandbox stays quarantined) or the sandbox is not quarantined.
				--force does not touch the sandbox: look first ('dilxc-client @NAME shell', 'snapshots').""");
		this.json = json;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		input.noArguments();
		String sandbox = sandbox(input);
		boolean force = input.flag("force");
		boolean json = input.flag("json");
		if (!force && !json) {
			PrintWriter err = streams().err();
			err.println("Repairing sandbox '" + sandbox + "'...");
			err.flush();
		}
		RepairResult result = daemon().repair(sandbox, force);
		if (json) {
			this.json.print(result, out);
		}
		else if (force) {
			out.println("Sandbox '" + result.sandbox() + "' released from quarantine as it was");
		}
		else {
			List<String> steps = (result.steps() != null) ? result.steps() : List.of();
			out.println("Sandbox '" + result.sandbox() + "' repaired"
					+ (steps.isEmpty() ? "" : ": " + TerminalText.oneLine(String.join("; ", steps))));
		}
		return ok();
	}

}
