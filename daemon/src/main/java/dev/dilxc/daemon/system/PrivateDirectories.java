package dev.dilxc.daemon.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Creates directories only the daemon's user may open (0700), tightening existing ones. */
final class PrivateDirectories {

	private PrivateDirectories() {
	}

	static void ensure(Path directory) {
		try {
			Files.createDirectories(directory);
			Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create the private directory " + directory + ": " + ex.getMessage(), ex);
		}
	}
}
