package dev.dilxc.client.sandboxes;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.dilxc.api.CommandResult;
import dev.dilxc.api.FileTransferRequest;
import dev.dilxc.api.SyncRequest;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.render.TerminalText;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.UsageException;
import org.springframework.shell.core.command.ExitStatus;

/**
 * {@code sync}, {@code pull}, {@code push}: files between the project, the working copy
 * and the host.
 */
final class FileCommands {

	/** Where {@code push} puts files when no destination is given. */
	static final String PROJECT_DIR = "/home/ubuntu/project/";

	private FileCommands() {
	}

	static List<SandboxCommand> all(SandboxCommand.SandboxContext context) {
		return List.of(new Sync(context), new Transfer("pull", context), new Transfer("push", context));
	}

	/**
	 * Prints what the command printed, then its one-line summary; a failure exits
	 * {@link ExitCodes#FAILED}.
	 */
	static ExitStatus report(CommandResult result, String what, PrintWriter out) {
		if (result.output() != null && !result.output().isBlank()) {
			TerminalText.sanitize(result.output()).stripTrailing().lines().forEach(out::println);
		}
		String summary = (result.summary() != null && !result.summary().isBlank())
				? TerminalText.oneLine(result.summary()) : null;
		if (result.exitCode() == 0) {
			if (summary != null) {
				out.println(summary);
			}
			return ExitStatus.OK;
		}
		return new ExitStatus(ExitCodes.FAILED,
				(summary != null) ? summary : what + " failed (exit code " + result.exitCode() + ")");
	}

	/** {@code sync [--force] [--dry-run]}. */
	static final class Sync extends SandboxCommand {

		Sync(SandboxContext context) {
			super("sync", FILES, "Copy the project (read-only mount) into the sandbox's working copy.",
					"[--force] [--dry-run]",
					List.of(OptionSpec.flag("force", "sync even while a job runs in the sandbox"),
							OptionSpec.flag("dry-run", "list what would change, change nothing")),
					context);
			setNotes("""
					rsync --delete from /home/ubuntu/project-src to /home/ubuntu/project, without node_modules,
					.git, dist and build; the working copy's own .git is kept. Files that exist only in the
					working copy are deleted: try --dry-run first.""");
		}

		@Override
		protected ExitStatus run(CommandInput input, PrintWriter out) {
			input.noArguments();
			CommandResult result = daemon().sync(sandbox(input),
					new SyncRequest(input.flag("force"), input.flag("dry-run")));
			return report(result, "sync", out);
		}

	}

	/** {@code pull PATH [DEST]} and {@code push PATH [DEST]}. */
	static final class Transfer extends SandboxCommand {

		Transfer(String direction, SandboxContext context) {
			super(direction, FILES,
					direction.equals("pull") ? "Copy a file or directory out of the sandbox (DEST defaults to .)."
							: "Copy a file or directory into the sandbox (DEST defaults to " + PROJECT_DIR + ").",
					"PATH [DEST]", List.of(), context);
			setNotes(direction.equals("pull")
					? "A relative PATH is taken from /home/ubuntu/project; DEST is a host path.\n"
							+ "Links come along only when they point inside what is pulled, and pull never\n"
							+ "writes through a link on the host: otherwise it refuses, naming the link, and\n"
							+ "writes nothing."
					: "PATH is a host path; a relative DEST is taken from /home/ubuntu/project.\n"
							+ "Pushed files belong to ubuntu; existing files are overwritten. Links inside\n"
							+ "PATH are pushed as links, never as the host files they point to.");
		}

		@Override
		protected ExitStatus run(CommandInput input, PrintWriter out) {
			List<String> arguments = input.arguments();
			boolean pull = getName().equals("pull");
			if (arguments.isEmpty()) {
				throw new UsageException(
						pull ? "missing path: dilxc-client pull PATH [DEST], e.g. dilxc-client pull dist ./dist"
								: "missing path: dilxc-client push PATH [DEST], e.g. dilxc-client push ./data.json");
			}
			if (arguments.size() > 2) {
				throw new UsageException("'" + getName() + "' takes PATH and an optional DEST, got " + arguments.size()
						+ " arguments: " + String.join(" ", arguments));
			}
			FileTransferRequest request;
			if (pull) {
				Path dest = host().absolute((arguments.size() > 1) ? arguments.get(1) : ".");
				request = new FileTransferRequest(arguments.getFirst(), dest.toString());
			}
			else {
				Path source = host().absolute(arguments.getFirst());
				if (!Files.exists(source)) {
					throw new UsageException("cannot push " + source + ": no such file or directory");
				}
				request = new FileTransferRequest((arguments.size() > 1) ? arguments.get(1) : PROJECT_DIR,
						source.toString());
			}
			CommandResult result = daemon().transfer(sandbox(input), getName(), request);
			return report(result, getName(), out);
		}

	}

}
