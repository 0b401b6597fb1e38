package dev.dilxc.daemon.backups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Backups hold every prompt and result: only the daemon's user may read them. */
final class PrivateFiles {

	private PrivateFiles() {
	}

	/** Creates {@code directory} (0700), tightening an existing one. */
	static void directory(Path directory) throws IOException {
		Files.createDirectories(directory);
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
	}

}
