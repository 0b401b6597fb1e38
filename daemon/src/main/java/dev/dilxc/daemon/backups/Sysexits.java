package dev.dilxc.daemon.backups;

/**
 * The exit statuses of sysexits.h that the commands run before Spring
 * ({@code --restore-backup}, {@code --import-h2-history}) end with, so scripts can tell a
 * usage error from a daemon that must be stopped first.
 */
final class Sysexits {

	static final int EX_USAGE = 64;

	static final int EX_DATAERR = 65;

	static final int EX_NOINPUT = 66;

	static final int EX_UNAVAILABLE = 69;

	static final int EX_SOFTWARE = 70;

	static final int EX_IOERR = 74;

	static final int EX_TEMPFAIL = 75;

	static final int EX_CONFIG = 78;

	private Sysexits() {
	}

}
