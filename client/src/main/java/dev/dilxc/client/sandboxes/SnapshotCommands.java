package dev.dilxc.client.sandboxes;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.dilxc.api.RestoreResult;
import dev.dilxc.api.SnapshotView;
import dev.dilxc.client.render.Formats;
import dev.dilxc.client.render.JsonOutput;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.UsageException;
import org.springframework.shell.core.command.ExitStatus;

/**
 * {@code snapshot [NAME]}, {@code restore NAME}, {@code snapshots},
 * {@code snapshot-delete NAME}.
 */
final class SnapshotCommands {

	private SnapshotCommands() {
	}

	static List<SandboxCommand> all(SandboxCommand.SandboxContext context, SandboxViews views, JsonOutput json) {
		return List.of(new Create(context), new Restore(context), new ListAll(context, views, json),
				new Delete(context));
	}

	private static String single(CommandInput input, String command, String missing) {
		String name = optional(input, command);
		if (name == null) {
			throw new UsageException(missing);
		}
		return name;
	}

	/** The snapshot name given, or null when there is none. */
	private static @Nullable String optional(CommandInput input, String command) {
		List<String> arguments = input.arguments();
		if (arguments.size() > 1) {
			throw new UsageException("'" + command + "' takes one snapshot name, got " + arguments.size()
					+ " arguments: " + String.join(" ", arguments));
		}
		if (arguments.isEmpty() || arguments.getFirst().isBlank()) {
			return null;
		}
		return arguments.getFirst();
	}

	/** {@code snapshot [NAME]}. */
	static final class Create extends SandboxCommand {

		Create(SandboxContext context) {
			super("snapshot", SNAPSHOTS, "Snapshot the sandbox (NAME defaults to snap-YYYYMMDD-HHMMSS).", "[NAME]",
					List.of(), context);
		}

		@Override
		protected ExitStatus run(CommandInput input, PrintWriter out) {
			String name = optional(input, "snapshot");
			SnapshotView snapshot = daemon().createSnapshot(sandbox(input), name);
			out.println("Snapshot '" + snapshot.name() + "' created");
			return ok();
		}

	}

	/** {@code restore NAME}. */
	static final class Restore extends SandboxCommand {

		Restore(SandboxContext context) {
			super("restore", SNAPSHOTS, "Put the sandbox back to a snapshot (destructive; a safety snapshot is taken).",
					"NAME", List.of(), context);
			setNotes("""
					Everything changed in the sandbox since the snapshot is discarded: files, installs, the
					Claude login, proxies added since. The state just before is kept in a safety snapshot,
					so the restore can be undone. A running sandbox runs again afterwards; a stopped one stays
					stopped.""");
		}

		@Override
		protected ExitStatus run(CommandInput input, PrintWriter out) {
			List<String> arguments = input.arguments();
			String sandbox = sandbox(input);
			if (arguments.isEmpty()) {
				List<SnapshotView> snapshots = daemon().snapshots(sandbox);
				String names = snapshots.isEmpty() ? "it has none" : "its snapshots: "
						+ snapshots.stream().map(SnapshotView::name).collect(Collectors.joining(", "));
				throw new UsageException("missing snapshot name: dilxc-client restore NAME; " + names);
			}
			String name = single(input, "restore", "missing snapshot name: dilxc-client restore NAME");
			PrintWriter err = streams().err();
			err.println("Warning: restoring discards everything in sandbox '" + sandbox + "' since snapshot '" + name
					+ "' was taken.");
			err.println("Restoring '" + sandbox + "' to snapshot '" + name + "'...");
			err.flush();
			RestoreResult result = daemon().restore(sandbox, name);
			out.println("Restored '" + sandbox + "' to snapshot '" + result.snapshot() + "' ("
					+ Formats.orNone(result.status()) + ")");
			if (result.safetySnapshot() != null) {
				out.println("The state before the restore is in snapshot '" + result.safetySnapshot()
						+ "'; undo with: dilxc-client restore " + result.safetySnapshot());
			}
			return ok();
		}

	}

	/** {@code snapshots [--json]}. */
	static final class ListAll extends SandboxCommand {

		private final SandboxViews views;

		private final JsonOutput json;

		ListAll(SandboxContext context, SandboxViews views, JsonOutput json) {
			super("snapshots", SNAPSHOTS, "List the sandbox's snapshots, oldest first.", "[--json]",
					List.of(OptionSpec.flag("json", "print the snapshots as a JSON array")), context);
			this.views = views;
			this.json = json;
		}

		@Override
		protected ExitStatus run(CommandInput input, PrintWriter out) {
			input.noArguments();
			String sandbox = sandbox(input);
			List<SnapshotView> snapshots = daemon().snapshots(sandbox);
			if (input.flag("json")) {
				this.json.print(snapshots, out);
			}
			else if (snapshots.isEmpty()) {
				out.println("no snapshots of sandbox '" + sandbox + "'");
			}
			else {
				this.views.snapshots(snapshots).lines().forEach(out::println);
			}
			return ok();
		}

	}

	/** {@code snapshot-delete NAME}. */
	static final class Delete extends SandboxCommand {

		Delete(SandboxContext context) {
			super("snapshot-delete", SNAPSHOTS, "Delete one snapshot of the sandbox.", "NAME", List.of(), context);
		}

		@Override
		protected ExitStatus run(CommandInput input, PrintWriter out) {
			String name = single(input, "snapshot-delete",
					"missing snapshot name: dilxc-client snapshot-delete NAME (see 'dilxc-client snapshots')");
			daemon().deleteSnapshot(sandbox(input), name);
			out.println("Snapshot '" + name + "' deleted");
			return ok();
		}

	}

}
