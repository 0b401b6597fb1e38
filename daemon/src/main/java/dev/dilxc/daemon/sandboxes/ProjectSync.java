package dev.dilxc.daemon.sandboxes;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.stereotype.Service;

import dev.dilxc.api.CommandResult;
import dev.dilxc.api.SyncRequest;
import dev.dilxc.daemon.leases.SandboxLeases;
import dev.dilxc.daemon.leases.UnfinishedJobs;
import dev.dilxc.daemon.lxd.ExecResult;
import dev.dilxc.daemon.lxd.InstanceDetails;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.lxd.Lxd;

/**
 * {@code sync}: mirrors the read-only project mount into the working copy with the
 * original tool's rsync, as the sandbox user. The excludes have no leading slash, so they
 * match at any depth and rsync leaves the receiver's copies alone: the working copy's own
 * {@code .git}, {@code node_modules}, {@code dist} and {@code build} survive every sync.
 */
@Service
class ProjectSync {

	/** The original's exclude list, unchanged (its constitution pinned it). */
	static final List<String> EXCLUDES = List.of("node_modules", ".git", "dist", "build");

	/**
	 * Checks the source before rsync so a missing or unreadable mount gets its own exit
	 * code and message; $1 is the source, the rest is rsync's argv.
	 */
	static final String SYNC_SCRIPT = """
			src="$1"; shift
			[ -d "$src" ] || exit 200
			{ [ -r "$src" ] && [ -x "$src" ]; } || exit 201
			command -v rsync >/dev/null 2>&1 || exit 202
			exec "$@"
			""";

	private static final Pattern ITEMIZED = Pattern.compile("^(?:[<>ch.*][fdLDS][^ ]* |\\*deleting ).*");

	private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

	private final Lxd lxd;

	private final SandboxCatalog catalog;

	private final UnfinishedJobs jobs;

	private final SandboxLeases leases;

	private final SandboxesProperties properties;

	ProjectSync(Lxd lxd, SandboxCatalog catalog, UnfinishedJobs jobs, SandboxLeases leases,
			SandboxesProperties properties) {
		this.lxd = lxd;
		this.catalog = catalog;
		this.jobs = jobs;
		this.leases = leases;
		this.properties = properties;
	}

	CommandResult sync(String name, SyncRequest request) {
		boolean force = request != null && request.force();
		boolean dryRun = request != null && request.dryRun();
		InstanceDetails sandbox = this.catalog.requireRunning(name);
		if (dryRun) {
			return run(this.lxd, this.properties, sandbox.name(), true); // changes
																			// nothing: no
																			// lease
																			// needed
		}
		// Under the lease no job can start; a queued one would start on files synced from
		// under it, so it is
		// refused too unless forced. A running job's lease is never forced.
		return this.leases.holding(name, "sync", () -> {
			if (!force) {
				refuseWhileAJobWaits(sandbox.name().value());
			}
			return run(this.lxd, this.properties, sandbox.name(), false);
		});
	}

	/**
	 * Runs the sync in a sandbox known to run, with no busy check: the caller owns the
	 * sandbox (a job, after its pre-job snapshot). Failures to start it at all throw
	 * {@link SandboxException}.
	 */
	static CommandResult run(Lxd lxd, SandboxesProperties properties, InstanceName name, boolean dryRun) {
		ExecResult result = lxd.exec(name, SandboxShell.asUser(properties, properties.home(), properties.syncTimeout(),
				syncCommand(properties, dryRun)));
		return outcome(name.value(), result, dryRun);
	}

	/**
	 * {@code sh -c SYNC_SCRIPT dilxc-sync SRC rsync ...}, run through the env wrapper.
	 */
	static List<String> syncCommand(SandboxesProperties properties, boolean dryRun) {
		List<String> command = new ArrayList<>(
				List.of("sh", "-c", SYNC_SCRIPT, "dilxc-sync", SandboxShell.PROJECT_SOURCE));
		command.addAll(rsyncArgv(properties, dryRun));
		return command;
	}

	List<String> rsyncArgv(boolean dryRun) {
		return rsyncArgv(this.properties, dryRun);
	}

	static List<String> rsyncArgv(SandboxesProperties properties, boolean dryRun) {
		List<String> argv = new ArrayList<>(List.of("rsync", "-a", "--delete", "--itemize-changes"));
		EXCLUDES.forEach((exclude) -> argv.add("--exclude=" + exclude));
		if (dryRun) {
			argv.add("--dry-run");
		}
		argv.add(SandboxShell.PROJECT_SOURCE + "/");
		argv.add(properties.projectDirectory() + "/");
		return argv;
	}

	private void refuseWhileAJobWaits(String name) {
		List<UnfinishedJobs.Pending> unfinished = this.jobs.of(name);
		if (!unfinished.isEmpty()) {
			UnfinishedJobs.Pending job = unfinished.get(0);
			throw new SandboxException.Busy("job " + job.id() + " is " + job.state() + " in sandbox '" + name
					+ "', and sync would change or delete files under it: wait for it " + "('dilxc-client job "
					+ job.id() + "'), cancel it ('dilxc-client cancel " + job.id() + "'), or sync anyway with --force");
		}
	}

	private static CommandResult outcome(String name, ExecResult result, boolean dryRun) {
		String output = result.stdout() + result.stderr();
		int changes = (int) result.stdout().lines().filter((line) -> ITEMIZED.matcher(line).matches()).count();
		return switch (result.exitCode()) {
			case 0 -> new CommandResult(0, output,
					dryRun ? "Dry run: " + changes + " change" + (changes == 1 ? "" : "s")
							+ " would be made; nothing was changed"
							: "Project synced (" + changes + " change" + (changes == 1 ? "" : "s") + ")");
			case 200 -> throw new SandboxException.Conflict("sandbox '" + name + "' has no project source at "
					+ SandboxShell.PROJECT_SOURCE + " (the read-only 'project' mount): re-run 'dilxc-client init -p "
					+ "/path/to/project -n " + name + "' to mount it");
			case 201 -> throw new SandboxException.Conflict(SandboxShell.PROJECT_SOURCE + " in sandbox '" + name
					+ "' is not readable by the sandbox user: the host owner of the project directory is not mapped to "
					+ "uid 1000 (raw.idmap); re-run 'dilxc-client init' for it, or 'dilxc-client doctor --sandbox "
					+ name + "'");
			case 202, 127 -> new CommandResult(result.exitCode(), output,
					"Sync failed: rsync is not installed in the sandbox; install it ('dilxc-client root', then apt-get install rsync) or update the sandbox");
			case 23 -> new CommandResult(23, output,
					"Sync incomplete (rsync exit 23): everything else was copied, but "
							+ describeUnreadable(result.stderr())
							+ "; make them readable by the sandbox user on the host and sync again");
			case 24 -> new CommandResult(24, output, "Sync incomplete (rsync exit 24): source files vanished while "
					+ "copying (changed on the host during the sync); sync again");
			default -> new CommandResult(result.exitCode(), output,
					"Sync failed (rsync exit " + result.exitCode() + "): " + SandboxShell.lastLine(result.stderr()));
		};
	}

	/**
	 * The source files rsync could not read, relative to the project, from its error
	 * lines.
	 */
	static List<String> unreadable(String stderr) {
		Set<String> files = new LinkedHashSet<>();
		for (String line : stderr.split("\n")) {
			if (!line.startsWith("rsync:") || !line.contains("(13)")) {
				continue;
			}
			Matcher quoted = QUOTED.matcher(line);
			if (quoted.find()) {
				String path = quoted.group(1);
				String prefix = SandboxShell.PROJECT_SOURCE + "/";
				files.add(path.startsWith(prefix) ? path.substring(prefix.length()) : path);
			}
		}
		return List.copyOf(files);
	}

	private static String describeUnreadable(String stderr) {
		List<String> files = unreadable(stderr);
		if (files.isEmpty()) {
			return "some files could not be transferred (" + SandboxShell.lastLine(stderr) + ")";
		}
		return files.size() + ((files.size() == 1) ? " file" : " files") + " could not be read: "
				+ String.join(", ", files);
	}

}
