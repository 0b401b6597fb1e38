package dev.dilxc.daemon.lxd;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The system-container manager behind {@link Lxd}: LXD, driven by its {@code lxc} client,
 * or Incus (LXD's community fork), driven by {@code incus}. The two clients share every
 * verb the daemon uses except the snapshot ones ({@code lxc snapshot NAME S} is
 * {@code incus snapshot create NAME S}, and so on), measured side by side in
 * docs/incus-notes.md; that difference stays inside this package.
 */
public enum LxdBackend {

	/** LXD, through {@code lxc}. */
	LXD("LXD", "lxc"),

	/** Incus, through {@code incus}. */
	INCUS("Incus", "incus");

	private final String displayName;

	private final String client;

	LxdBackend(String displayName, String client) {
		this.displayName = displayName;
		this.client = client;
	}

	/** How users name it: {@code LXD} or {@code Incus}. */
	public String displayName() {
		return this.displayName;
	}

	/** Its client's command name, looked up on the PATH when no executable is set. */
	public String client() {
		return this.client;
	}

	/** The back end whose client {@code executable} is, told by its file name. */
	static LxdBackend ofExecutable(String executable) {
		Path name = Path.of(executable).getFileName();
		return (name != null && name.toString().toLowerCase(Locale.ROOT).startsWith("incus")) ? INCUS : LXD;
	}

}
