package dev.dilxc.client.sandboxes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import dev.dilxc.client.shell.UsageException;
import org.jspecify.annotations.Nullable;

/**
 * Which sandbox a command works on, first match wins: {@code @NAME} as the first word of
 * the command line, then {@value #ENV}, then the nearest {@value #POINTER_FILE} file
 * walking up from the current directory (to {@code /} included; its first line, trimmed;
 * a blank line falls through), then {@value #DEFAULT}. The name is checked against LXD's
 * rules, and a bad one is reported with where it came from.
 */
public final class SandboxSelection {

	/** The sandbox used when nothing else names one. */
	public static final String DEFAULT = "docker-lxc";

	/** The environment variable that names the sandbox. */
	public static final String ENV = "DILXC_CONTAINER";

	/** The per-project pointer file: its first line is the sandbox's name. */
	public static final String POINTER_FILE = ".dilxc";

	private static final Pattern NAME = Pattern.compile("[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

	private final HostEnvironment host;

	public SandboxSelection(HostEnvironment host) {
		this.host = host;
	}

	/**
	 * The sandbox for a command line that had {@code @atSandbox} first (or null), from
	 * the current directory.
	 */
	public Selected resolve(@Nullable String atSandbox) {
		return resolve(atSandbox, this.host.workingDirectory());
	}

	/**
	 * As {@link #resolve(String)}, searching for {@value #POINTER_FILE} from
	 * {@code start} up.
	 */
	public Selected resolve(@Nullable String atSandbox, Path start) {
		if (atSandbox != null) {
			return checked(atSandbox, "the @NAME argument", Tier.AT);
		}
		String env = this.host.env().get(ENV);
		if (env != null && !env.isEmpty()) {
			return checked(env.strip(), ENV, Tier.ENV);
		}
		for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path pointer = dir.resolve(POINTER_FILE);
			if (Files.isRegularFile(pointer)) {
				String name = firstLine(pointer);
				if (!name.isEmpty()) {
					return checked(name, POINTER_FILE + " at " + pointer, Tier.POINTER_FILE);
				}
				// a blank first line falls through to the default, as it always has
				break;
			}
		}
		return new Selected(DEFAULT, "the default", Tier.DEFAULT);
	}

	/** The first line of a pointer file, without surrounding blanks or a CR. */
	static String firstLine(Path pointer) {
		try {
			String text = Files.readString(pointer, StandardCharsets.UTF_8);
			int newline = text.indexOf('\n');
			return ((newline >= 0) ? text.substring(0, newline) : text).replace("\r", "").strip();
		}
		catch (IOException ex) {
			throw new UsageException("cannot read " + pointer + " (" + ex.getMessage()
					+ "); fix its permissions, or name the sandbox with @NAME or " + ENV);
		}
	}

	private static Selected checked(String name, String source, Tier tier) {
		checkName(name, source);
		return new Selected(name, source, tier);
	}

	/**
	 * Checks {@code name} against LXD's instance-name rules.
	 * @param source where the name came from, for the message
	 * ({@code .dilxc at /x/.dilxc})
	 * @throws UsageException naming the rule it breaks and where it came from
	 */
	public static void checkName(String name, String source) {
		if (NAME.matcher(name).matches()) {
			return;
		}
		String why;
		if (name.isEmpty()) {
			why = "it is empty";
		}
		else if (name.length() > 63) {
			why = "it is longer than 63 characters";
		}
		else if (!Character.isLetter(name.charAt(0)) || name.charAt(0) > 'z') {
			why = "it must start with a letter";
		}
		else if (name.endsWith("-")) {
			why = "it must not end with a hyphen";
		}
		else {
			why = "only letters, digits and hyphens are allowed";
		}
		throw new UsageException("bad sandbox name '" + name + "' from " + source + ": " + why
				+ " (LXD names: 1-63 letters, digits and hyphens, starting with a letter)");
	}

	/** Where a selection came from, first match wins. */
	public enum Tier {

		AT, ENV, POINTER_FILE, DEFAULT

	}

	/**
	 * The chosen sandbox.
	 *
	 * @param name its name
	 * @param source where the name came from, in words
	 * @param tier which rule chose it
	 */
	public record Selected(String name, String source, Tier tier) {

		/**
		 * Whether the user named it somehow, rather than falling back to
		 * {@value SandboxSelection#DEFAULT}.
		 */
		public boolean isExplicit() {
			return this.tier != Tier.DEFAULT;
		}
	}

}
