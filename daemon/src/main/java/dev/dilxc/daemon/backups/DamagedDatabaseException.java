package dev.dilxc.daemon.backups;

import java.nio.file.Path;

/**
 * The database file is there but cannot be the history (what H2 alone would not refuse,
 * e.g. an empty file).
 */
final class DamagedDatabaseException extends RuntimeException {

	private final Path file;

	DamagedDatabaseException(Path file, String reason) {
		super(reason);
		this.file = file;
	}

	Path file() {
		return this.file;
	}

}
