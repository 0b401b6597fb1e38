package dev.dilxc.client.sandboxes;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.api.SandboxView;
import dev.dilxc.client.shell.CommandInput;
import org.springframework.shell.core.command.ExitStatus;

/**
 * {@code start}, {@code stop}, {@code restart}: idempotent; prints the state the sandbox
 * is in now.
 */
public final class LifecycleCommand extends SandboxCommand {

	private final String done;

	private LifecycleCommand(String action, String done, String description, SandboxContext context) {
		super(action, LIFECYCLE, description, "", List.of(), context);
		this.done = done;
	}

	public static List<LifecycleCommand> all(SandboxContext context) {
		return List.of(new LifecycleCommand("start", "started", "Start the sandbox.", context),
				new LifecycleCommand("stop", "stopped", "Stop the sandbox.", context),
				new LifecycleCommand("restart", "restarted", "Restart the sandbox.", context));
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		input.noArguments();
		String sandbox = sandbox(input);
		SandboxView view = daemon().lifecycle(sandbox, getName());
		out.println("Sandbox '" + view.name() + "' " + this.done + " (" + view.status() + ")");
		return ok();
	}

}
