package dev.dilxc.client.sandboxes;

import java.util.List;

import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.StandardStreams;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/** A command that works on the selected sandbox ({@link SandboxSelection}). */
public abstract class SandboxCommand extends ClientCommand {

	/** The groups of {@code help}, in order. */
	public static final String SETUP = "Sandbox setup";

	public static final String LIFECYCLE = "Lifecycle";

	public static final String INTERACTIVE = "Interactive";

	public static final String FILES = "Files";

	public static final String SNAPSHOTS = "Snapshots";

	public static final String DOCKER = "Docker & ports";

	public static final String CHECKS = "Checks & maintenance";

	protected final SandboxContext context;

	protected SandboxCommand(String name, String group, String description, String synopsis, List<OptionSpec> specs,
			SandboxContext context) {
		super(name, group, description, synopsis, specs, context.errors());
		this.context = context;
	}

	/** The selected sandbox's name. */
	protected final String sandbox(CommandInput input) {
		return this.context.selection().resolve(input.atSandbox()).name();
	}

	protected final DaemonClient daemon() {
		return this.context.daemon();
	}

	protected final StandardStreams streams() {
		return this.context.streams();
	}

	protected final HostEnvironment host() {
		return this.context.host();
	}

	/**
	 * What the sandbox commands share.
	 *
	 * @param daemon the daemon's API
	 * @param selection picks the sandbox
	 * @param host the environment, directories and terminal
	 * @param streams stdout, stderr, stdin
	 * @param errors maps exceptions to exit codes
	 */
	public record SandboxContext(DaemonClient daemon, SandboxSelection selection, HostEnvironment host,
			StandardStreams streams, ExitStatusExceptionMapper errors) {
	}

}
