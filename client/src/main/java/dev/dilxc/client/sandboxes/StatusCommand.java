package dev.dilxc.client.sandboxes;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.api.DaemonStatus;
import dev.dilxc.api.SandboxView;
import dev.dilxc.client.daemon.NotFoundException;
import dev.dilxc.client.render.Ansi;
import dev.dilxc.client.render.JsonOutput;
import dev.dilxc.client.shell.CommandInput;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.ExitStatus;

/**
 * {@code status [--json]}: the daemon's health first (version, uptime, LXD, queue,
 * running jobs, next firing, data size, newest database backup), then the selected
 * sandbox: state, IPv4, limits and usage, mounts and snapshots. A default sandbox that
 * does not exist yet is a note here, not an error, since the daemon's half is still worth
 * seeing; a sandbox the user named that does not exist is an error (exit 3), as for every
 * other command.
 */
public final class StatusCommand extends SandboxCommand {

	private static final String PROBLEM_SANDBOX_NOT_FOUND = "sandbox-not-found";

	private final SandboxViews views;

	private final JsonOutput json;

	StatusCommand(SandboxContext context, SandboxViews views, JsonOutput json) {
		super("status", LIFECYCLE,
				"Show the daemon's health, then the sandbox: state, IPv4, resources, mounts, snapshots.", "[--json]",
				List.of(OptionSpec.flag("json", "print the daemon and the sandbox as JSON")), context);
		this.views = views;
		this.json = json;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		input.noArguments();
		SandboxSelection.Selected selected = this.context.selection().resolve(input.atSandbox());
		DaemonStatus daemon = daemon().daemonStatus();
		SandboxView view = null;
		String note = null;
		try {
			view = daemon().sandbox(selected.name());
		}
		catch (NotFoundException ex) {
			if (selected.isExplicit() || !PROBLEM_SANDBOX_NOT_FOUND.equals(ex.problem())) {
				throw ex;
			}
			note = "there is no sandbox '" + selected.name()
					+ "' (the default) yet: create it with 'dilxc-client init',"
					+ " or pick another with @NAME, DILXC_CONTAINER or a .dilxc file";
		}
		if (input.flag("json")) {
			this.json.print(new StatusReport(daemon, view, note), out);
			return ok();
		}
		this.views.daemon(daemon, new Ansi(host().colour())).forEach(out::println);
		out.println();
		if (view != null) {
			this.views.status(view).forEach(out::println);
		}
		else {
			out.println("Sandbox:   " + selected.name() + " (none yet)");
			out.println("Note:      " + note);
		}
		return ok();
	}

	/**
	 * What {@code status --json} prints.
	 *
	 * @param daemon the daemon's health
	 * @param sandbox the selected sandbox, or null when the default one does not exist
	 * @param note why {@code sandbox} is null, else null
	 */
	public record StatusReport(DaemonStatus daemon, @Nullable SandboxView sandbox, @Nullable String note) {
	}

}
