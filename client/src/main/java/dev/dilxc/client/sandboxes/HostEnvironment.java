package dev.dilxc.client.sandboxes;

import java.io.Console;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;

import dev.dilxc.api.HostAuth;
import org.jspecify.annotations.Nullable;

/**
 * What the client reads of the host it runs on: the environment, the current directory, the home
 * directory and whether stdin and stdout are a terminal. Injected, so tests choose all four.
 *
 * @param env the environment variables
 * @param workingDirectory where relative paths start and the {@code .dilxc} search begins
 * @param home the user's home directory
 * @param terminal whether stdin and stdout are both a terminal
 */
public record HostEnvironment(Map<String, String> env, Path workingDirectory, Path home, BooleanSupplier terminal) {

	/** This process's environment, directory, home and terminal. */
	public static HostEnvironment system() {
		Map<String, String> env = System.getenv();
		String home = env.getOrDefault("HOME", System.getProperty("user.home"));
		return new HostEnvironment(env, Path.of("").toAbsolutePath(), Path.of(home), HostEnvironment::isTerminal);
	}

	/** The variable's value, or null when it is unset or blank. */
	public @Nullable String get(String name) {
		String value = this.env.get(name);
		return (value != null && !value.isBlank()) ? value : null;
	}

	/** {@code $XDG_CONFIG_HOME}, else {@code ~/.config}. */
	public Path configHome() {
		String xdg = get("XDG_CONFIG_HOME");
		return (xdg != null && Path.of(xdg).isAbsolute()) ? Path.of(xdg) : this.home.resolve(".config");
	}

	/** {@code path} made absolute against the working directory, normalized. */
	public Path absolute(String path) {
		String expanded = (path.equals("~") || path.startsWith("~/")) ? this.home + path.substring(1) : path;
		return this.workingDirectory.resolve(expanded).toAbsolutePath().normalize();
	}

	/** The ssh-agent socket and GitHub CLI config directory the sandbox may use, as paths. */
	public HostAuth hostAuth() {
		String ghDir = get("GH_CONFIG_DIR");
		Path gh = (ghDir != null) ? Path.of(ghDir) : configHome().resolve("gh");
		return new HostAuth(get("SSH_AUTH_SOCK"), Files.isDirectory(gh) ? gh.toAbsolutePath().toString() : null);
	}

	public boolean isTerminalSession() {
		return this.terminal.getAsBoolean();
	}

	/**
	 * Whether stdin and stdout are a terminal. JDK 21 has a console only then; JDK 22+ always has
	 * one and says so with {@code Console.isTerminal()}, called reflectively as we compile for 21.
	 */
	static boolean isTerminal() {
		Console console = System.console();
		if (console == null) {
			return false;
		}
		try {
			Method isTerminal = Console.class.getMethod("isTerminal");
			return (Boolean) isTerminal.invoke(console);
		}
		catch (ReflectiveOperationException ex) {
			return true;
		}
	}
}
