package dev.dilxc.daemon.sandboxes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

import dev.dilxc.api.TerminalCommand;
import dev.dilxc.api.TerminalKind;
import dev.dilxc.api.TerminalRequest;
import dev.dilxc.daemon.lxd.ExecRequest;
import dev.dilxc.daemon.lxd.InstanceDetails;
import dev.dilxc.daemon.lxd.Lxd;

/**
 * Says how the client runs an interactive command itself ({@code lxc exec NAME -t|-T ...}
 * with its own stdio; {@code incus exec} when the daemon drives Incus), after checking
 * the sandbox and refreshing its auth forwarding. Everything the user typed travels as
 * argv elements behind the env wrapper, never through a shell string, and no secret is
 * ever part of the argv: Claude Code finds its credentials through
 * {@code /etc/dilxc/env.sh}.
 */
@Service
class TerminalCommands {

	/**
	 * {@code logs}: the project's compose logs if it has a compose file, else every
	 * running container's (the original handled exactly one). Ending it (Ctrl-C, hang-up)
	 * ends every follower.
	 */
	static final String DOCKER_LOGS_SCRIPT = """
			command -v docker >/dev/null 2>&1 || { echo "dilxc: Docker is not installed in this sandbox (sandboxes made from the dilxc-golden image have it)" >&2; exit 127; }
			for f in compose.yaml compose.yml docker-compose.yaml docker-compose.yml; do
			  [ -f "$f" ] && exec docker compose logs -f
			done
			ids=$(docker ps -q) || exit $?
			set -- $ids
			if [ $# -eq 0 ]; then
			  echo "dilxc: no Docker container is running in this sandbox, and $PWD has no compose file" >&2
			  exit 1
			fi
			[ $# -eq 1 ] && exec docker logs --tail 100 -f "$1"
			trap 'trap - INT TERM HUP; kill 0 2>/dev/null' INT TERM HUP
			for id in "$@"; do
			  n=$(docker inspect --format '{{.Name}}' "$id"); n=${n#/}
			  docker logs --tail 100 -f "$id" 2>&1 | sed -u "s|^|$n  |" &
			done
			wait
			""";

	static final String LOGIN_NOTICE = "Opening Claude Code to log in: complete the OAuth flow in your browser, "
			+ "then leave Claude Code with /exit.";

	private static final Duration QUICK = Duration.ofSeconds(30);

	private final Lxd lxd;

	private final SandboxCatalog catalog;

	private final AuthForwarding authForwarding;

	private final SandboxesProperties properties;

	/** The client program the user's terminal runs: LXD's or Incus's, as the daemon's. */
	private final Supplier<String> client;

	@Autowired
	TerminalCommands(Lxd lxd, SandboxCatalog catalog, AuthForwarding authForwarding, SandboxesProperties properties) {
		this(lxd, catalog, authForwarding, properties, () -> lxd.client().executable());
	}

	TerminalCommands(Lxd lxd, SandboxCatalog catalog, AuthForwarding authForwarding, SandboxesProperties properties,
			Supplier<String> client) {
		this.lxd = lxd;
		this.catalog = catalog;
		this.authForwarding = authForwarding;
		this.properties = properties;
		this.client = client;
	}

	TerminalCommand terminal(String name, @Nullable TerminalRequest request) {
		if (request == null || request.kind() == null) {
			throw new SandboxException.BadRequest(
					"say which command to run: kind is one of SHELL, ROOT, LOGIN, CLAUDE, "
							+ "CLAUDE_RESUME, EXEC, DOCKER, DOCKER_LOGS");
		}
		List<String> args = (request.args() != null) ? request.args() : List.of();
		if (args.stream().anyMatch((arg) -> arg == null || arg.indexOf('\0') >= 0)) {
			throw new SandboxException.BadRequest(
					"an argument is null or contains a NUL byte, which no command can receive");
		}
		if (request.kind() == TerminalKind.EXEC && (args.isEmpty() || args.get(0).isBlank())) {
			throw new SandboxException.BadRequest("provide a command to run, e.g. 'dilxc-client exec npm test' "
					+ "(wrap pipes and redirects in sh -c '...')");
		}
		InstanceDetails sandbox = this.catalog.requireRunning(name);
		String cwd = workingDirectory(request.kind());
		if (cwd.equals(this.properties.projectDirectory()) && !directoryExists(sandbox, cwd)) {
			throw new SandboxException.Conflict("sandbox '" + sandbox.name() + "' has no working copy at " + cwd
					+ ": run 'dilxc-client sync' to make it from the project");
		}
		this.authForwarding.ensure(sandbox, request.hostAuth());
		return command(sandbox.name().value(), request.kind(), args, request.pick(), request.tty());
	}

	/** The argv for one kind of terminal; the sandbox has been checked. */
	TerminalCommand command(String name, TerminalKind kind, List<String> args, boolean pick, boolean tty) {
		String claude = this.properties.claudeExecutable();
		return switch (kind) {
			case SHELL -> new TerminalCommand(lxcExec(name, "-t", List.of("su", "-", SandboxShell.USER)), null);
			case ROOT -> new TerminalCommand(lxcExec(name, "-t", List.of("--cwd", "/root", "--", "bash", "-l")), null);
			case LOGIN -> new TerminalCommand(asUser(name, "-t", kind, List.of(claude)), LOGIN_NOTICE);
			case CLAUDE ->
				new TerminalCommand(asUser(name, "-t", kind, List.of(claude, "--dangerously-skip-permissions")), null);
			case CLAUDE_RESUME -> new TerminalCommand(asUser(name, "-t", kind,
					List.of(claude, "--dangerously-skip-permissions", pick ? "--resume" : "--continue")), null);
			case EXEC -> new TerminalCommand(asUser(name, tty ? "-t" : "-T", kind, args), null);
			case DOCKER -> new TerminalCommand(asUser(name, tty ? "-t" : "-T", kind, prepend("docker", args)), null);
			case DOCKER_LOGS -> new TerminalCommand(
					asUser(name, tty ? "-t" : "-T", kind, List.of("sh", "-c", DOCKER_LOGS_SCRIPT, "dilxc-logs")), null);
		};
	}

	private String workingDirectory(TerminalKind kind) {
		return switch (kind) {
			case SHELL, LOGIN -> this.properties.home();
			case ROOT -> "/root";
			case CLAUDE, CLAUDE_RESUME, EXEC, DOCKER, DOCKER_LOGS -> this.properties.projectDirectory();
		};
	}

	private List<String> asUser(String name, String ttyFlag, TerminalKind kind, List<String> command) {
		List<String> rest = new ArrayList<>(SandboxShell.userExecOptions(this.properties, workingDirectory(kind)));
		rest.add("--");
		rest.addAll(SandboxShell.wrapped(this.properties, command));
		return lxcExec(name, ttyFlag, rest);
	}

	/**
	 * {@code lxc exec NAME FLAG REST...}; REST starts with more options or with
	 * {@code --}.
	 */
	private List<String> lxcExec(String name, String ttyFlag, List<String> rest) {
		List<String> argv = new ArrayList<>(List.of(this.client.get(), "exec", name, ttyFlag));
		if (!rest.isEmpty() && !rest.get(0).startsWith("-")) {
			argv.add("--");
		}
		argv.addAll(rest);
		return List.copyOf(argv);
	}

	private boolean directoryExists(InstanceDetails sandbox, String path) {
		return this.lxd.exec(sandbox.name(), ExecRequest.asRoot(QUICK, "test", "-d", path)).exitCode() == 0;
	}

	private static List<String> prepend(String first, List<String> rest) {
		List<String> all = new ArrayList<>();
		all.add(first);
		all.addAll(rest);
		return all;
	}

}
