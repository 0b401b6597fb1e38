package dev.dilxc.client.sandboxes;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.dilxc.api.SandboxView;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.UsageException;
import org.springframework.shell.core.command.ExitStatus;

/**
 * {@code destroy [NAME] [--confirm NAME]}: deletes a sandbox and its snapshots once the
 * user has typed its name. Anything else (a different name, no input) aborts with exit 1:
 * nothing was deleted, and a script must know. The project's {@code .dilxc} is removed
 * when it points at the destroyed sandbox.
 */
public final class DestroyCommand extends SandboxCommand {

	DestroyCommand(SandboxContext context) {
		super("destroy", LIFECYCLE, "Delete a sandbox and all its snapshots, after typing its name.",
				"[NAME] [--confirm NAME]",
				List.of(OptionSpec.value("confirm", "NAME", "confirm without the prompt (scripts): must be the name")),
				context);
		setNotes("""
				NAME defaults to the selected sandbox. The name must be typed to confirm; there is no --yes.
				Exit 1 if the confirmation does not match (nothing is deleted).""");
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		List<String> arguments = input.arguments();
		if (arguments.size() > 1) {
			throw new UsageException("'destroy' takes at most one sandbox name, got: " + String.join(" ", arguments));
		}
		String name;
		if (arguments.isEmpty()) {
			name = sandbox(input);
		}
		else {
			name = arguments.getFirst();
			SandboxSelection.checkName(name, "the NAME argument");
		}
		SandboxView view = daemon().sandbox(name);
		String confirm = input.option("confirm");
		if (confirm != null) {
			if (!confirm.equals(name)) {
				throw new UsageException(
						"--confirm '" + confirm + "' does not match the sandbox '" + name + "'; nothing was deleted");
			}
		}
		else {
			PrintWriter err = streams().err();
			err.println("Warning: this permanently deletes sandbox '" + name + "' and all its snapshots.");
			err.flush();
			String typed = input.readLine("Type the sandbox name to confirm: ");
			if (typed == null || !typed.strip().equals(name)) {
				return new ExitStatus(ExitCodes.FAILED,
						"Aborted. Nothing was deleted" + ((typed == null) ? " (no confirmation: end of input)." : "."));
			}
		}
		daemon().destroy(name);
		out.println("Sandbox '" + name + "' destroyed");
		removePointer(view, name, out);
		return ok();
	}

	/** Removes the project's {@code .dilxc} if it names the sandbox that is gone. */
	private void removePointer(SandboxView view, String name, PrintWriter out) {
		if (view.projectSource() == null) {
			return;
		}
		Path pointer = Path.of(view.projectSource()).resolve(SandboxSelection.POINTER_FILE);
		try {
			if (Files.isRegularFile(pointer) && SandboxSelection.firstLine(pointer).equals(name)) {
				Files.delete(pointer);
				out.println("Removed " + pointer);
			}
		}
		catch (IOException | UsageException ex) {
			streams().err()
				.println("Warning: could not remove " + pointer + " (" + ex.getMessage()
						+ "); it still names the deleted sandbox");
		}
	}

}
