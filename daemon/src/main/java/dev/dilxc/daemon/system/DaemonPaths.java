package dev.dilxc.daemon.system;

import java.nio.file.Path;
import java.util.Map;

import dev.dilxc.api.DaemonSocket;

/**
 * Where the daemon keeps its database and its socket. Data: {@code $DILXC_DATA_DIR}, else
 * {@code $XDG_DATA_HOME/dilxc}, else {@code ~/.local/share/dilxc}. Socket: see
 * {@link DaemonSocket}. The user's settings: {@link #configFile(Map, String)}.
 */
public record DaemonPaths(Path dataDirectory, Path socket) {

	public static DaemonPaths fromEnvironment() {
		return of(System.getenv(), DaemonSocket.home(System.getenv()));
	}

	static DaemonPaths of(Map<String, String> env, String home) {
		Path data;
		String dataDir = env.get("DILXC_DATA_DIR");
		String dataHome = env.get("XDG_DATA_HOME");
		if (dataDir != null && !dataDir.isBlank()) {
			data = Path.of(dataDir).toAbsolutePath();
		}
		else if (dataHome != null && !dataHome.isBlank()) {
			data = Path.of(dataHome, "dilxc");
		}
		else {
			data = Path.of(home, ".local", "share", "dilxc");
		}
		return new DaemonPaths(data, DaemonSocket.resolve(env, home));
	}

	/**
	 * The user's settings file, read when it exists:
	 * {@code $XDG_CONFIG_HOME/dilxc/application.yml}, else
	 * {@code ~/.config/dilxc/application.yml} (what {@code deploy/install.sh} writes).
	 */
	public static Path configFile() {
		return configFile(System.getenv(), DaemonSocket.home(System.getenv()));
	}

	static Path configFile(Map<String, String> env, String home) {
		String configHome = env.get("XDG_CONFIG_HOME");
		// The XDG spec ignores a relative XDG_CONFIG_HOME.
		Path base = (configHome != null && !configHome.isBlank() && Path.of(configHome).isAbsolute())
				? Path.of(configHome) : Path.of(home, ".config");
		return base.resolve("dilxc").resolve("application.yml");
	}

	/** Creates the data directory (0700) so H2 can open its file there. */
	public void prepareDataDirectory() {
		PrivateDirectories.ensure(this.dataDirectory);
	}
}
