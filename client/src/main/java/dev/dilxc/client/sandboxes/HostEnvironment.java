package dev.dilxc.client.sandboxes;

import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

import dev.dilxc.api.HostAuth;
import org.jspecify.annotations.Nullable;

/**
 * What the client reads of the host it runs on: the environment, the current directory,
 * the home directory, whether stdin and stdout are a terminal and how wide it is.
 * Injected, so tests choose all.
 *
 * @param env the environment variables
 * @param workingDirectory where relative paths start and the {@code .dilxc} search begins
 * @param home the user's home directory
 * @param terminal whether stdin and stdout are both a terminal
 * @param terminalColumns the terminal's width in columns, asked only on a terminal; 0
 * when unknown
 */
public record HostEnvironment(Map<String, String> env, Path workingDirectory, Path home, BooleanSupplier terminal,
		IntSupplier terminalColumns) {

	/** The width assumed when neither {@code COLUMNS} nor the terminal says. */
	public static final int DEFAULT_COLUMNS = 120;

	/** A host whose terminal width is unknown. */
	public HostEnvironment(Map<String, String> env, Path workingDirectory, Path home, BooleanSupplier terminal) {
		this(env, workingDirectory, home, terminal, () -> 0);
	}

	/** This process's environment, directory, home and terminal. */
	public static HostEnvironment system() {
		Map<String, String> env = System.getenv();
		String home = env.getOrDefault("HOME", System.getProperty("user.home"));
		return new HostEnvironment(env, Path.of("").toAbsolutePath(), Path.of(home), HostEnvironment::isTerminal,
				HostEnvironment::sttyColumns);
	}

	/**
	 * How wide output may be: {@code COLUMNS} when set, else the terminal's width, else
	 * {@value #DEFAULT_COLUMNS}.
	 */
	public int columns() {
		String columns = get("COLUMNS");
		if (columns != null && columns.strip().matches("[1-9][0-9]{0,4}")) {
			return Integer.parseInt(columns.strip());
		}
		if (isTerminalSession()) {
			int width = this.terminalColumns.getAsInt();
			if (width > 0) {
				return width;
			}
		}
		return DEFAULT_COLUMNS;
	}

	/**
	 * Whether output may be coloured: only on a terminal, unless {@code NO_COLOR} is set
	 * (to anything but empty, see no-color.org) or {@code TERM} is {@code dumb}.
	 */
	public boolean colour() {
		return isTerminalSession() && get("NO_COLOR") == null && !"dumb".equals(get("TERM"));
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

	/**
	 * The ssh-agent socket and GitHub CLI config directory the sandbox may use, as paths.
	 */
	public HostAuth hostAuth() {
		String ghDir = get("GH_CONFIG_DIR");
		Path gh = (ghDir != null) ? Path.of(ghDir) : configHome().resolve("gh");
		return new HostAuth(get("SSH_AUTH_SOCK"), Files.isDirectory(gh) ? gh.toAbsolutePath().toString() : null);
	}

	public boolean isTerminalSession() {
		return this.terminal.getAsBoolean();
	}

	/** The terminal's width from {@code stty size} (Java has no call for it), or 0. */
	static int sttyColumns() {
		try {
			Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!stty.waitFor(1, TimeUnit.SECONDS)) {
				stty.destroyForcibly();
				return 0;
			}
			String[] size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip()
				.split(" ");
			return (stty.exitValue() == 0 && size.length == 2) ? Integer.parseInt(size[1]) : 0;
		}
		catch (IOException | NumberFormatException ex) {
			return 0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 0;
		}
	}

	/**
	 * Whether stdin and stdout are a terminal. JDK 21 has a console only then; JDK 22+
	 * always has one and says so with {@code Console.isTerminal()}, called reflectively
	 * as we compile for 21.
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
