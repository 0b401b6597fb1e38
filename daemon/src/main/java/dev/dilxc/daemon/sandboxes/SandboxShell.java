package dev.dilxc.daemon.sandboxes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.dilxc.daemon.lxd.ExecRequest;

/**
 * How the daemon runs a command as the sandbox user:
 * {@code lxc exec --cwd DIR --env HOME... -- setpriv
 * --reuid=1000 --regid=1000 --init-groups -- sh -c ENV_WRAPPER dilxc CMD ARGS...}.
 * {@code setpriv
 * --init-groups} rather than {@code lxc exec --user --group}, because LXD's
 * {@code --group} drops the supplementary groups, so the user would lose {@code docker}
 * and could not reach the Docker engine. The wrapper loads {@code /etc/dilxc/env.sh}
 * (PATH, the forwarded ssh-agent socket, agent.env) when provisioning wrote it and then
 * execs the argv as given: nothing the user typed is ever re-quoted or evaluated by a
 * shell.
 */
final class SandboxShell {

	/** The wrapper script: data only ever arrives as its positional parameters. */
	static final String ENV_WRAPPER = "[ -r /etc/dilxc/env.sh ] && . /etc/dilxc/env.sh; exec \"$@\"";

	/** The read-only project mount (device {@code project}). */
	static final String PROJECT_SOURCE = "/home/ubuntu/project-src";

	static final String USER = "ubuntu";

	private SandboxShell() {
	}

	/**
	 * A command the daemon runs as the sandbox user in {@code cwd}, through the env
	 * wrapper.
	 */
	static ExecRequest asUser(SandboxesProperties properties, String cwd, Duration timeout, List<String> command) {
		return asUser(properties, cwd, timeout, Map.of(), command);
	}

	/**
	 * As {@link #asUser(SandboxesProperties, String, Duration, List)}, with extra (never
	 * secret) variables.
	 */
	static ExecRequest asUser(SandboxesProperties properties, String cwd, Duration timeout, Map<String, String> extra,
			List<String> command) {
		Map<String, String> environment = new LinkedHashMap<>(userEnvironment(properties));
		environment.putAll(extra);
		List<String> argv = new ArrayList<>(dropToUser(properties));
		argv.addAll(List.of("sh", "-c", ENV_WRAPPER, "dilxc"));
		argv.addAll(command);
		return new ExecRequest(argv, null, null, cwd, environment, timeout);
	}

	/**
	 * {@code HOME}, {@code USER}, {@code LOGNAME} of the sandbox user: all LXD's exec
	 * would otherwise leave at root's.
	 */
	static Map<String, String> userEnvironment(SandboxesProperties properties) {
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("HOME", properties.home());
		environment.put("USER", USER);
		environment.put("LOGNAME", USER);
		return environment;
	}

	/**
	 * {@code setpriv ... -- sh -c ENV_WRAPPER dilxc CMD ARGS...}, for the argv the client
	 * runs.
	 */
	static List<String> wrapped(SandboxesProperties properties, List<String> command) {
		List<String> argv = new ArrayList<>(dropToUser(properties));
		argv.addAll(List.of("sh", "-c", ENV_WRAPPER, "dilxc"));
		argv.addAll(command);
		return argv;
	}

	/**
	 * Becomes the sandbox user with all its groups ({@code docker} among them), from
	 * root.
	 */
	static List<String> dropToUser(SandboxesProperties properties) {
		return List.of("setpriv", "--reuid=" + properties.uid(), "--regid=" + properties.gid(), "--init-groups", "--");
	}

	/**
	 * The {@code lxc exec} options that go with {@link #wrapped}: the directory and the
	 * user's variables.
	 */
	static List<String> userExecOptions(SandboxesProperties properties, String cwd) {
		List<String> options = new ArrayList<>(List.of("--cwd", cwd));
		userEnvironment(properties).forEach((key, value) -> options.addAll(List.of("--env", key + "=" + value)));
		return options;
	}

	/**
	 * The path inside the sandbox: absolute as given, relative ones from the working
	 * copy; normalised.
	 */
	static String resolve(SandboxesProperties properties, String path) {
		String absolute = path.startsWith("/") ? path : properties.projectDirectory() + "/" + path;
		String normalised = java.nio.file.Path.of(absolute).normalize().toString();
		return (path.endsWith("/") && !normalised.equals("/")) ? normalised + "/" : normalised;
	}

	/** The last line of a command's error output, for one-line messages. */
	static String lastLine(@Nullable String text) {
		return (text == null) ? "" : text.strip().lines().reduce((first, second) -> second).orElse("").strip();
	}

}
