package dev.dilxc.daemon.sandboxes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The host's subordinate id files: LXD maps a host uid into an unprivileged container
 * with {@code raw.idmap} only if {@code /etc/subuid} and {@code /etc/subgid} delegate
 * that id to root.
 */
final class HostIds {

	private HostIds() {
	}

	/**
	 * Whether a {@code root:start:count} line of the file covers {@code id}; a missing
	 * file covers nothing.
	 */
	static boolean delegatedToRoot(Path file, int id) {
		List<String> lines;
		try {
			lines = Files.readAllLines(file);
		}
		catch (IOException ex) {
			return false;
		}
		return delegatedToRoot(lines, id);
	}

	static boolean delegatedToRoot(List<String> lines, int id) {
		for (String line : lines) {
			String[] fields = line.strip().split(":");
			if (fields.length != 3 || !fields[0].equals("root")) {
				continue;
			}
			try {
				long start = Long.parseLong(fields[1]);
				long count = Long.parseLong(fields[2]);
				if (id >= start && id < start + count) {
					return true;
				}
			}
			catch (NumberFormatException ex) {
				// not an id line
			}
		}
		return false;
	}

}
