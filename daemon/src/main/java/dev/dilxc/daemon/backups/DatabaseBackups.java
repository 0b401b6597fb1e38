package dev.dilxc.daemon.backups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.dilxc.daemon.cluster.DatabaseStore;

/**
 * Backs up the job history database with H2's {@code BACKUP TO} (online and consistent:
 * jobs keep running) into {@link BackupProperties#dir()}: before a migration changes it,
 * and every {@link BackupProperties#interval()}. Each zip is written under a temporary
 * name and renamed, so a listed backup is always whole; only the newest
 * {@link BackupProperties#keep()} are kept.
 */
@Component
public class DatabaseBackups implements SmartLifecycle {

	/** The H2 file {@code spring.datasource.url} opens in the data directory. */
	static final String DATABASE_FILE = "dilxc.mv.db";

	/**
	 * How often the daemon looks whether a scheduled backup is due (a directory listing):
	 * at most this late.
	 */
	private static final Duration CHECK = Duration.ofMinutes(5);

	private static final Logger logger = LoggerFactory.getLogger(DatabaseBackups.class);

	private final DataSource dataSource;

	private final BackupProperties properties;

	private final Clock clock;

	private final Path dataDirectory;

	private final Path directory;

	private @Nullable ScheduledExecutorService scheduler;

	/**
	 * Whether the history is in the H2 file these backups copy: on PostgreSQL the
	 * server's own tools back it up (pg_dump, continuous archiving), never the daemon.
	 */
	private final boolean h2;

	DatabaseBackups(DataSource dataSource, BackupProperties properties, Clock clock,
			@Value("${dilxc.data-dir}") Path dataDirectory, DatabaseStore store) {
		this.h2 = store == DatabaseStore.H2;
		this.dataSource = dataSource;
		this.properties = properties;
		this.clock = clock;
		this.dataDirectory = dataDirectory;
		this.directory = properties.directory(dataDirectory);
	}

	/** Takes one backup now and drops the oldest beyond {@code keep}. */
	public synchronized DatabaseBackup backUp(String reason) {
		if (!this.h2) {
			throw new IllegalStateException("the history is in PostgreSQL, which the daemon does not back up: use "
					+ "PostgreSQL's own tools (pg_dump, or continuous archiving)");
		}
		Instant now = this.clock.instant();
		Path target = this.directory.resolve(DatabaseBackup.fileName(now, reason));
		for (int n = 2; Files.exists(target); n++) {
			target = this.directory.resolve(DatabaseBackup.fileName(now, reason + "-" + n));
		}
		Path partial = target.resolveSibling(target.getFileName() + ".partial");
		try {
			PrivateFiles.directory(this.directory);
			deletePartials();
			try (Connection connection = this.dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("BACKUP TO '" + partial.toString().replace("'", "''") + "'");
			}
			Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
			Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot back up the database to " + target + ": " + ex.getMessage(), ex);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("cannot back up the database to " + target + ": " + ex.getMessage(), ex);
		}
		DatabaseBackup backup = DatabaseBackup.of(target).orElseThrow();
		logger.info("Backed up the database to {}", target);
		rotate();
		return backup;
	}

	/**
	 * The scheduled backup, when the newest one is {@code interval} old or there is none.
	 */
	public Optional<DatabaseBackup> backUpIfDue() {
		if (this.properties.interval().isZero() || !this.h2) {
			return Optional.empty();
		}
		Optional<DatabaseBackup> newest = newest();
		if (newest.isPresent()
				&& newest.get().takenAt().plus(this.properties.interval()).isAfter(this.clock.instant())) {
			return Optional.empty();
		}
		return Optional.of(backUp("scheduled"));
	}

	/** The newest backup in this daemon's backup directory. */
	public Optional<DatabaseBackup> newest() {
		return this.h2 ? newest(this.directory) : Optional.empty();
	}

	/** Every backup the daemon named in {@code directory}, oldest first. */
	static List<DatabaseBackup> list(Path directory) {
		if (!Files.isDirectory(directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(directory)) {
			return files.map(DatabaseBackup::of)
				.flatMap(Optional::stream)
				.sorted(Comparator.comparing(DatabaseBackup::takenAt)
					.thenComparing((backup) -> backup.file().getFileName()))
				.toList();
		}
		catch (IOException | UncheckedIOException ex) {
			return List.of();
		}
	}

	static Optional<DatabaseBackup> newest(Path directory) {
		List<DatabaseBackup> backups = list(directory);
		return backups.isEmpty() ? Optional.empty() : Optional.of(backups.getLast());
	}

	/**
	 * Before Flyway changes a database that already holds history, a copy of it as it
	 * was; a new (empty) database needs none. An empty file is refused first: H2 would
	 * take it for a new database and the history would be silently gone.
	 */
	void beforeMigrating(Flyway flyway) {
		if (!this.h2) {
			if (flyway.info().pending().length > 0 && flyway.info().applied().length > 0) {
				logger.info("Migrating the PostgreSQL schema; the daemon takes no backup of PostgreSQL (pg_dump does)");
			}
			return;
		}
		Path file = this.dataDirectory.resolve(DATABASE_FILE);
		try {
			if (Files.isRegularFile(file) && Files.size(file) == 0) {
				throw new DamagedDatabaseException(file, "the file is empty (0 bytes)");
			}
		}
		catch (IOException ex) {
			throw new DamagedDatabaseException(file, "cannot read its size: " + ex.getMessage());
		}
		MigrationInfoService info = flyway.info();
		MigrationInfo[] pending = info.pending();
		if (pending.length > 0 && info.applied().length > 0) {
			backUp("before-V" + pending[0].getVersion());
		}
	}

	private void rotate() {
		List<DatabaseBackup> backups = list(this.directory);
		for (DatabaseBackup old : backups.subList(0, Math.max(0, backups.size() - this.properties.keep()))) {
			try {
				Files.deleteIfExists(old.file());
			}
			catch (IOException ex) {
				logger.warn("Cannot delete the old backup {}: {}", old.file(), ex.getMessage());
			}
		}
	}

	/**
	 * What a backup cut short (a kill, a full disk) left; no other backup runs meanwhile
	 * (synchronized).
	 */
	private void deletePartials() throws IOException {
		try (Stream<Path> files = Files.list(this.directory)) {
			for (Path file : files.filter((path) -> path.getFileName().toString().matches("dilxc-.*\\.zip\\.partial"))
				.toList()) {
				Files.deleteIfExists(file);
			}
		}
	}

	private void scheduled() {
		try {
			backUpIfDue();
		}
		catch (RuntimeException ex) {
			// Tried again at the next check; the jobs go on meanwhile.
			logger.warn("Scheduled database backup failed: {}", ex.getMessage());
		}
	}

	@Override
	public synchronized void start() {
		if (this.properties.interval().isZero() || !this.h2) {
			return;
		}
		this.scheduler = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("dilxc-backups").factory());
		long check = Math.min(CHECK.toSeconds(), Math.max(1, this.properties.interval().toSeconds()));
		this.scheduler.scheduleWithFixedDelay(this::scheduled, check, check, TimeUnit.SECONDS);
	}

	@Override
	public synchronized void stop() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.scheduler != null;
	}

}
