package dev.dilxc.client.sandboxes;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import dev.dilxc.api.AgentCredentials;
import dev.dilxc.api.InitSandboxRequest;
import dev.dilxc.api.OperationView;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.UsageException;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.ExitStatus;

/**
 * {@code init -p PATH [-n NAME] [-d PATH] [--image IMAGE] [--fish] [--cpu N] [--memory SIZE]
 * [--target MEMBER]}: creates the sandbox, or brings an existing one in line (re-running
 * is safe), following the daemon's progress. Then writes the {@code .dilxc} pointer into
 * the project. Credentials come from the environment into the request body, never onto a
 * command line or the screen.
 */
public final class InitCommand extends SandboxCommand {

	static final String API_KEY_ENV = "ANTHROPIC_API_KEY";

	static final String OAUTH_TOKEN_ENV = "CLAUDE_CODE_OAUTH_TOKEN";

	private static final Pattern MEMORY = Pattern.compile("\\d+(\\.\\d+)?(B|[kKMGTPE]B|[KMGTPE]iB|%)?");

	/**
	 * A cluster member's name or {@code @group}: what {@code lxc launch --target} takes.
	 */
	private static final Pattern TARGET = Pattern.compile("@?[A-Za-z0-9][A-Za-z0-9._-]*");

	private final OperationFollower follower;

	InitCommand(SandboxContext context, OperationFollower follower) {
		super("init", SETUP, "Create the sandbox for a project, or bring an existing one up to date.",
				"-p PATH [-n NAME] [-d DEPLOY_PATH] [--image IMAGE] [--fish] [--cpu N] [--memory SIZE] [--target MEMBER]",
				List.of(OptionSpec.value("project", 'p', "PATH", "the project, mounted read-only (required)"),
						OptionSpec.value("name", 'n', "NAME", "the sandbox's name (default: the selected sandbox)"),
						OptionSpec.value("deploy", 'd', "PATH", "a host directory mounted read-write at /mnt/deploy"),
						OptionSpec.value("image", "IMAGE", "the LXD image to create it from (default: the daemon's)"),
						OptionSpec.flag("fish", "install fish and make it ubuntu's shell"),
						OptionSpec.value("cpu", "N", "limit the sandbox to N CPUs"),
						OptionSpec.value("memory", "SIZE", "limit its memory, e.g. 8GiB"),
						OptionSpec.value("target", "MEMBER",
								"in an LXD or Incus cluster, create it on this member (or @GROUP);"
										+ " default: the cluster places it")),
				context);
		setNotes("""
				ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN, if set, go into the sandbox's agent.env (never
				on a command line); without them, log in once with 'dilxc-client login'.
				~/.config/dilxc/custom-provision.sh (see 'dilxc-client customize') runs after provisioning.
				Writes PATH/.dilxc so commands run in the project pick this sandbox.
				--target places a new sandbox only: for an existing one it is ignored (it stays where it is).""");
		this.follower = follower;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) throws InterruptedException {
		input.noArguments();
		String projectOption = input.option("project");
		if (projectOption == null || projectOption.isBlank()) {
			throw new UsageException("missing project: dilxc-client init -p /path/to/project");
		}
		Path project = directory(projectOption, "project");
		String deployOption = input.option("deploy");
		Path deploy = (deployOption != null) ? directory(deployOption, "deploy") : null;
		String name = name(input, project);
		String image = input.option("image");
		if (image != null && image.isBlank()) {
			throw new UsageException("--image needs an image alias or fingerprint, e.g. --image dilxc-golden");
		}
		Integer cpu = input.positiveInt("cpu");
		String memory = input.option("memory");
		if (memory != null && !MEMORY.matcher(memory.strip()).matches()) {
			throw new UsageException("invalid --memory '" + memory + "': use a size like 8GiB, 512MiB or 50%");
		}
		String target = input.option("target");
		if (target != null && !TARGET.matcher(target.strip()).matches()) {
			throw new UsageException("invalid --target '" + target
					+ "': give a cluster member's name (see 'lxc cluster list'), or @GROUP for a cluster group");
		}
		AgentCredentials credentials = credentials();
		InitSandboxRequest request = new InitSandboxRequest(name, project.toString(),
				(deploy != null) ? deploy.toString() : null, image, input.flag("fish"), cpu,
				(memory != null) ? memory.strip() : null, credentials, customProvisionScript(), host().hostAuth(),
				(target != null) ? target.strip() : null);
		OperationView operation = daemon().init(request);
		ExitStatus status = this.follower.follow(operation, out, streams().err());
		if (status.code() != ok().code()) {
			return status;
		}
		writePointer(project, name, out);
		quickReference(name, credentials, out);
		return ok();
	}

	/**
	 * {@code -n}, else the selection searched from the project (its {@code .dilxc} on a
	 * re-run).
	 */
	private String name(CommandInput input, Path project) {
		String option = input.option("name");
		String at = input.atSandbox();
		if (option != null) {
			SandboxSelection.checkName(option, "--name");
			if (at != null && !at.equals(option)) {
				throw new UsageException("two names: @" + at + " and --name " + option + "; give one");
			}
			return option;
		}
		return this.context.selection().resolve(at, project).name();
	}

	private Path directory(String value, String what) {
		Path path = host().absolute(value);
		if (!Files.exists(path)) {
			throw new UsageException(what + " path " + path + " does not exist; create it or fix the path");
		}
		if (!Files.isDirectory(path)) {
			throw new UsageException(what + " path " + path + " is not a directory");
		}
		return path;
	}

	private @Nullable AgentCredentials credentials() {
		AgentCredentials credentials = new AgentCredentials(host().get(API_KEY_ENV), host().get(OAUTH_TOKEN_ENV));
		return credentials.isEmpty() ? null : credentials;
	}

	private @Nullable String customProvisionScript() {
		Path script = CustomizeCommand.scriptPath(host());
		if (!Files.exists(script)) {
			return null;
		}
		try {
			return Files.readString(script, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UsageException(
					"cannot read " + script + " (" + ex.getMessage() + "); fix it or move it away to init without it",
					ex);
		}
	}

	private void writePointer(Path project, String name, PrintWriter out) {
		Path pointer = project.resolve(SandboxSelection.POINTER_FILE);
		try {
			if (Files.isRegularFile(pointer) && SandboxSelection.firstLine(pointer).equals(name)) {
				return;
			}
			Files.writeString(pointer, name + "\n", StandardCharsets.UTF_8);
			out.println("Created " + pointer);
		}
		catch (IOException | UsageException ex) {
			streams().err()
				.println("Warning: could not write " + pointer + " (" + ex.getMessage()
						+ "); the sandbox is ready, but in that project use @" + name + " or " + SandboxSelection.ENV
						+ "=" + name);
		}
	}

	private static void quickReference(String name, @Nullable AgentCredentials credentials, PrintWriter out) {
		out.println();
		out.println("Sandbox '" + name + "' is ready.");
		if (credentials == null) {
			out.println("No " + API_KEY_ENV + " or " + OAUTH_TOKEN_ENV + " was set: run 'dilxc-client login' once,");
			out.println("or set one and run init again.");
		}
		out.println();
		out.println("Quick reference (in the project, or with @" + name + " first):");
		out.println("  dilxc-client shell                # a shell in the sandbox");
		out.println("  dilxc-client sync                 # copy the project into the working copy");
		out.println("  dilxc-client claude               # Claude Code in the working copy");
		out.println("  dilxc-client claude-run \"prompt\"  # run a prompt now, recorded as a job");
		out.println("  dilxc-client submit \"prompt\"      # queue a prompt as a job");
		out.println("  dilxc-client claude-resume        # resume the most recent session");
		out.println("  dilxc-client snapshot NAME        # snapshot the sandbox");
		out.println("  dilxc-client restore NAME         # go back to a snapshot");
		out.println("  dilxc-client pull PATH [DEST]     # copy files out of the sandbox");
		out.println("  dilxc-client health-check         # check Docker, Claude Code and the mounts");
	}

}
