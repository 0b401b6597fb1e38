package dev.dilxc.client.sandboxes;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.api.SandboxView;
import dev.dilxc.client.render.JsonOutput;
import dev.dilxc.client.shell.CommandInput;
import org.springframework.shell.core.command.ExitStatus;

/** {@code status [--json]}: state, IPv4, limits and usage, mounts and snapshots of the sandbox. */
public final class StatusCommand extends SandboxCommand {

	private final SandboxViews views;

	private final JsonOutput json;

	StatusCommand(SandboxContext context, SandboxViews views, JsonOutput json) {
		super("status", LIFECYCLE, "Show the sandbox: state, IPv4, resources, mounts, snapshots.", "[--json]",
				List.of(OptionSpec.flag("json", "print the sandbox as JSON")), context);
		this.views = views;
		this.json = json;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		input.noArguments();
		SandboxView view = daemon().sandbox(sandbox(input));
		if (input.flag("json")) {
			this.json.print(view, out);
		}
		else {
			this.views.status(view).forEach(out::println);
		}
		return ok();
	}
}
