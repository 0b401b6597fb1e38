package dev.dilxc.daemon.lxd;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Which client drives the instances: LXD's {@code lxc} or Incus's {@code incus}. They
 * share every verb the daemon uses except the snapshot ones ({@code lxc snapshot NAME S}
 * is {@code incus snapshot create NAME S}, and so on), measured side by side in
 * docs/incus-notes.md.
 */
enum ClientDialect {

	LXC, INCUS;

	/** The dialect of {@code executable}, told by its file name. */
	static ClientDialect of(String executable) {
		Path name = Path.of(executable).getFileName();
		return (name != null && name.toString().toLowerCase(Locale.ROOT).startsWith("incus")) ? INCUS : LXC;
	}

}
