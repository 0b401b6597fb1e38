package dev.dilxc.api;

/**
 * The commands the client runs itself, through {@code lxc exec}, so the user has a real
 * terminal and stdin; the daemon checks the sandbox and says how to run them.
 */
public enum TerminalKind {

	/** the {@code ubuntu} user's login shell. */
	SHELL,
	/** a root shell. */
	ROOT,
	/** plain {@code claude} in the home directory, to log in. */
	LOGIN,
	/** {@code claude --dangerously-skip-permissions} in the project. */
	CLAUDE,
	/** {@code claude --continue} (or {@code --resume} for the picker) in the project. */
	CLAUDE_RESUME,
	/** any command, as {@code ubuntu}, in the project. */
	EXEC,
	/** {@code docker ARGS}, as {@code ubuntu}, in the project. */
	DOCKER,
	/**
	 * the project's Docker logs ({@code docker compose logs -f}, else every running
	 * container's).
	 */
	DOCKER_LOGS

}
