package dev.dilxc.api;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the daemon listens and the client connects: one rule for both sides.
 *
 * <ol>
 * <li>{@code $DILXC_SOCKET}, if set and not blank;</li>
 * <li>{@code $XDG_RUNTIME_DIR/dilxc/daemon.sock}, if {@code XDG_RUNTIME_DIR} is set;</li>
 * <li>{@code $HOME/.local/state/dilxc/daemon.sock} otherwise (a private directory under
 * the home directory, so no other user can squat the path the way they could under
 * {@code /tmp}).</li>
 * </ol>
 */
public final class DaemonSocket {

	/**
	 * The environment variable that overrides the socket path for both daemon and client.
	 */
	public static final String ENV = "DILXC_SOCKET";

	private DaemonSocket() {
	}

	/** The socket path for this process's environment. */
	public static Path resolve() {
		return resolve(System.getenv(), home(System.getenv()));
	}

	/**
	 * The home directory as the shell and the install scripts see it: {@code $HOME} when
	 * it is an absolute path, else the JVM's {@code user.home} (which comes from the
	 * password database and ignores a changed {@code HOME}, so the daemon and the scripts
	 * would otherwise disagree about where things are).
	 */
	public static String home(Map<String, String> env) {
		String home = env.get("HOME");
		return (home != null && home.startsWith("/")) ? home : System.getProperty("user.home");
	}

	/** The socket path for the given environment and home directory. */
	public static Path resolve(Map<String, String> env, String home) {
		String explicit = env.get(ENV);
		if (explicit != null && !explicit.isBlank()) {
			return Path.of(explicit).toAbsolutePath();
		}
		String runtimeDir = env.get("XDG_RUNTIME_DIR");
		if (runtimeDir != null && !runtimeDir.isBlank()) {
			return Path.of(runtimeDir, "dilxc", "daemon.sock");
		}
		return Path.of(home, ".local", "state", "dilxc", "daemon.sock");
	}

}
