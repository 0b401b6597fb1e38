package dev.dilxc.daemon.backups;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Copies of the job history database the daemon takes by itself (H2's online
 * {@code BACKUP TO}, a zip).
 *
 * @param interval how often to back up the database, counted from the newest backup, so
 * restarts do not postpone it; 0 turns the scheduled backups off (one is still taken
 * before every database migration)
 * @param keep how many backups to keep, newest first, whatever their reason; files the
 * daemon did not name are never deleted
 * @param dir where the backups go (a private directory, mode 0700); a relative path is
 * taken inside the data directory
 */
@ConfigurationProperties("dilxc.backup")
public record BackupProperties(@DefaultValue("1d") Duration interval, @DefaultValue("7") int keep,
		@DefaultValue("backups") Path dir) {

	public BackupProperties {
		if (interval == null || interval.isNegative()) {
			throw new IllegalArgumentException(
					"dilxc.backup.interval must be a duration such as 1d or 12h (0 for no scheduled backups), not "
							+ interval);
		}
		if (keep < 1) {
			throw new IllegalArgumentException("dilxc.backup.keep must be at least 1, not " + keep);
		}
		if (dir == null || dir.toString().isBlank()) {
			throw new IllegalArgumentException(
					"dilxc.backup.dir must name a directory, such as backups or /srv/dilxc-backups");
		}
	}

	/** The backup directory for the database in {@code dataDirectory}. */
	Path directory(Path dataDirectory) {
		return dataDirectory.resolve(this.dir);
	}
}
