package dev.dilxc.daemon.backups;

import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * A damaged database stops the daemon with one report: the file, H2's words, and the
 * command that restores the newest backup (or, with none, how to start empty without
 * deleting the damaged file).
 */
final class DamagedDatabaseFailureAnalyzer implements FailureAnalyzer, Ordered {

	private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final Environment environment;

	DamagedDatabaseFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		Optional<DamagedDatabase.Damage> damage = DamagedDatabase.find(failure);
		if (damage.isEmpty()) {
			return null;
		}
		Path data = Path.of(this.environment.getProperty("dilxc.data-dir", "."));
		Path file = (damage.get().file() != null) ? damage.get().file() : data.resolve(DatabaseBackups.DATABASE_FILE);
		Path backups = data.resolve(this.environment.getProperty("dilxc.backup.dir", "backups"));
		return new FailureAnalysis(description(file, damage.get().reason()),
				action(file, backups, DatabaseBackups.newest(backups), Clock.systemUTC()), failure);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	static String description(Path file, @Nullable String reason) {
		return "The dilxc database " + file + " is damaged or unreadable: " + reason
				+ "\nThe daemon does not start on it" + " (exit status " + DamagedDatabase.EXIT_STATUS
				+ ", so systemd does not restart it either).";
	}

	static String action(Path file, Path backups, Optional<DatabaseBackup> newest, Clock clock) {
		if (newest.isPresent()) {
			DatabaseBackup backup = newest.get();
			return "Restore the newest backup, taken " + SHOWN.format(backup.takenAt()) + " (" + backup.reason() + ")."
					+ " The damaged file is kept beside it, renamed, not deleted. As user "
					+ System.getProperty("user.name") + ", run:\n\n    " + BackupRestore.command(backup.file())
					+ "\n\nthen start the daemon again. " + "Older backups are in " + backups + ".";
		}
		String aside = file + ".corrupt-" + DatabaseBackup.STAMP.format(clock.instant());
		return "There is no backup in " + backups
				+ " to restore. To start with an empty database (the job history in the "
				+ "damaged file is then not used), move the file aside, then start the daemon again:\n\n    mv " + file
				+ " " + aside + "\n\nH2's recovery tool (org.h2.tools.Recover) may still read part of the moved file.";
	}

}
