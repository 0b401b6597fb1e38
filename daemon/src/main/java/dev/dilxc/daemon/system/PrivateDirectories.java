package dev.dilxc.daemon.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Creates directories only the daemon's user may open (0700), tightening existing ones.
 */
final class PrivateDirectories {

	private PrivateDirectories() {
	}

	static void ensure(Path directory) {
		try {
			Files.createDirectories(directory);
			Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
		}
		catch (IOException ex) {
			throw new DaemonStartupException(
					"Cannot create the private directory " + directory + ": " + ex.getMessage(),
					"Check the permissions of its parent, or point DILXC_DATA_DIR / DILXC_SOCKET elsewhere.");
		}
	}

}
