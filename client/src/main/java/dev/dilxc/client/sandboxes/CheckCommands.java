package dev.dilxc.client.sandboxes;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.api.CheckReport;
import dev.dilxc.api.OperationView;
import dev.dilxc.client.render.JsonOutput;
import dev.dilxc.client.sandboxes.SandboxSelection.Selected;
import dev.dilxc.client.shell.CommandInput;
import org.springframework.shell.core.command.ExitStatus;

/**
 * {@code health-check}, {@code git-auth}, {@code doctor} (check reports) and
 * {@code update}.
 */
final class CheckCommands {

	private CheckCommands() {
	}

	static List<SandboxCommand> all(SandboxCommand.SandboxContext context, JsonOutput json,
			OperationFollower follower) {
		return List.of(
				new Check("health-check", "Check the sandbox: network, Docker, Claude Code, mounts (alias: health).",
						context, json),
				new Check("git-auth", "Check git and forge auth in the sandbox: ssh-agent, gh.", context, json),
				new Check("doctor", "Check the host (LXD, storage, nesting, firewall) and the selected sandbox.",
						context, json),
				new Update(context, follower));
	}

	/** Prints a report (or {@code --json}) and exits 1 unless every check passed. */
	static final class Check extends SandboxCommand {

		private final JsonOutput json;

		Check(String name, String description, SandboxContext context, JsonOutput json) {
			super(name, CHECKS, description, "[--json]",
					List.of(OptionSpec.flag("json", "print the report as JSON (the exit code still tells)")), context);
			this.json = json;
			if (name.equals("health-check")) {
				setAliases(List.of("health"));
			}
			if (name.equals("doctor")) {
				setNotes("The sandbox is checked too when one is selected (@NAME, DILXC_CONTAINER or .dilxc).");
			}
			if (name.equals("git-auth")) {
				setNotes("Refreshes the ssh-agent forwarding and the gh config mount from this host first.");
			}
		}

		@Override
		protected ExitStatus run(CommandInput input, PrintWriter out) {
			input.noArguments();
			CheckReport report = switch (getName()) {
				case "health-check" -> daemon().health(sandbox(input));
				case "git-auth" -> daemon().gitAuth(sandbox(input), host().hostAuth());
				default -> {
					Selected selected = this.context.selection().resolve(input.atSandbox());
					yield daemon().doctor(selected.isExplicit() ? selected.name() : null);
				}
			};
			if (input.flag("json")) {
				this.json.print(report, out);
			}
			else {
				CheckReports.lines(report).forEach(out::println);
			}
			return CheckReports.status(report);
		}

	}

	/**
	 * {@code update}: refreshes Claude Code and the auth forwarding inside, as an
	 * operation.
	 */
	static final class Update extends SandboxCommand {

		private final OperationFollower follower;

		Update(SandboxContext context, OperationFollower follower) {
			super("update", CHECKS, "Update Claude Code in the sandbox and refresh its auth forwarding.", "", List.of(),
					context);
			this.follower = follower;
		}

		@Override
		protected ExitStatus run(CommandInput input, PrintWriter out) throws InterruptedException {
			input.noArguments();
			String sandbox = sandbox(input);
			OperationView operation = daemon().update(sandbox, host().hostAuth());
			ExitStatus status = this.follower.follow(operation, out, streams().err());
			if (status.code() == ok().code()) {
				out.println("Sandbox '" + sandbox + "' updated");
			}
			return status;
		}

	}

}
