package dev.dilxc.daemon.lxd;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A command to run inside an instance. {@code environment} is visible in LXD's operation
 * metadata, so it must never carry secrets; secrets stay in files inside the instance.
 *
 * @param command the argv, never a shell string
 * @param uid the user to run as, or null for root
 * @param gid the group to run as, or null for root
 * @param workingDirectory the working directory, or null for LXD's default
 * @param environment extra environment variables (no secrets)
 * @param timeout how long {@link Lxd#exec} may take; ignored by {@link Lxd#startExec}
 */
public record ExecRequest(List<String> command, @Nullable Integer uid, @Nullable Integer gid,
		@Nullable String workingDirectory, Map<String, String> environment, Duration timeout) {

	public ExecRequest {
		if (command == null || command.isEmpty()) {
			throw new IllegalArgumentException("an exec request needs a command");
		}
		command = List.copyOf(command);
		environment = (environment != null) ? Map.copyOf(environment) : Map.of();
	}

	/** A command run as root with no extras. */
	public static ExecRequest asRoot(Duration timeout, String... command) {
		return new ExecRequest(List.of(command), null, null, null, Map.of(), timeout);
	}
}
