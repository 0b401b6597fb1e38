package dev.dilxc.client.sandboxes;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.api.SandboxView;
import dev.dilxc.client.render.JsonOutput;
import dev.dilxc.client.shell.CommandInput;
import org.springframework.shell.core.command.ExitStatus;

/**
 * {@code containers [--json]}: every LXD instance, dilxc's marked managed, the selected
 * one (active); in a cluster, the member holding each, and a warning for each member that
 * cannot be reached.
 */
public final class ContainersCommand extends SandboxCommand {

	private final SandboxViews views;

	private final JsonOutput json;

	ContainersCommand(SandboxContext context, SandboxViews views, JsonOutput json) {
		super("containers", LIFECYCLE, "List all sandboxes (LXD instances); the selected one is marked (active).",
				"[--json]", List.of(OptionSpec.flag("json", "print the sandboxes as a JSON array")), context);
		this.views = views;
		this.json = json;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		input.noArguments();
		String active = sandbox(input);
		List<SandboxView> sandboxes = daemon().sandboxes();
		if (input.flag("json")) {
			this.json.print(sandboxes, out);
		}
		else if (sandboxes.isEmpty()) {
			out.println("no sandboxes; create one with 'dilxc-client init -p /path/to/project'");
		}
		else {
			this.views.sandboxes(sandboxes, active).lines().forEach(out::println);
			SandboxViews.membersAway(sandboxes).forEach(out::println);
		}
		return ok();
	}

}
