package dev.dilxc.daemon.testing;

import java.util.Locale;

/**
 * The back end the real-LXD tests run against: LXD, or Incus when the build runs them
 * with {@code -Ddilxc.lxd.backend=incus} (the failsafe execution {@code incus} does).
 * Spring reads the same system property, so every in-process daemon drives that back end
 * too; test fixtures reach it through {@link Lxc}.
 */
public enum TestBackend {

	LXD("LXD", "lxc", "provisioning/host/setup-lxd.sh"), INCUS("Incus", "incus", "provisioning/host/setup-incus.sh");

	/** The system property (and Spring setting) that chooses the back end. */
	public static final String PROPERTY = "dilxc.lxd.backend";

	private final String displayName;

	private final String client;

	private final String setupScript;

	TestBackend(String displayName, String client, String setupScript) {
		this.displayName = displayName;
		this.client = client;
		this.setupScript = setupScript;
	}

	/** The back end of this test run: {@code -Ddilxc.lxd.backend}, LXD without it. */
	public static TestBackend current() {
		String chosen = System.getProperty(PROPERTY, "lxd").strip().toUpperCase(Locale.ROOT);
		try {
			return valueOf(chosen);
		}
		catch (IllegalArgumentException ex) {
			throw new AssertionError(
					"-D" + PROPERTY + "=" + System.getProperty(PROPERTY) + " names no back end: use lxd or incus", ex);
		}
	}

	/** As the daemon names it: {@code LXD} or {@code Incus}. */
	public String displayName() {
		return this.displayName;
	}

	/** The client program: {@code lxc} or {@code incus}. */
	public String client() {
		return this.client;
	}

	/** The setting's value: {@code lxd} or {@code incus}. */
	public String setting() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The script (from the repository root) that installs and starts it. */
	public String setupScript() {
		return this.setupScript;
	}

	/**
	 * How the back end names a snapshot verb: {@code snapshot} or
	 * {@code snapshot create}.
	 */
	public String[] snapshotVerb(String lxdVerb) {
		if (this == LXD) {
			return new String[] { lxdVerb };
		}
		// LXD deletes NAME/SNAPSHOT with its "delete"; Incus has snapshot subcommands.
		return switch (lxdVerb) {
			case "snapshot" -> new String[] { "snapshot", "create" };
			case "restore" -> new String[] { "snapshot", "restore" };
			case "delete" -> new String[] { "snapshot", "delete" };
			default -> throw new IllegalArgumentException(lxdVerb);
		};
	}

}
