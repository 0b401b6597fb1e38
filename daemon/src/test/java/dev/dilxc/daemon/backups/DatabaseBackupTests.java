package dev.dilxc.daemon.backups;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dilxc.daemon.cluster.DatabaseStore;
import dev.dilxc.daemon.testing.SteppableClock;

/**
 * Backups on a schedule, from the real H2 database on disk: when, what, where, how
 * private, how many kept.
 */
class DatabaseBackupTests {

	@TempDir
	Path data;

	private final SteppableClock clock = new SteppableClock();

	@Test
	void scheduledBackupIsTakenWhenNoneIsThereThenOnceTheIntervalHasPassed() throws Exception {
		TestDatabase.migrate(this.data, "latest");
		TestDatabase.insertJob(this.data, "remember me");
		DatabaseBackups backups = backups(new BackupProperties(Duration.ofDays(1), 7, Path.of("backups")));

		Optional<DatabaseBackup> first = backups.backUpIfDue();
		assertThat(first).as("no backup yet: one is due at once").isPresent();
		assertThat(backups.backUpIfDue()).as("just taken").isEmpty();
		this.clock.advance(Duration.ofHours(23));
		assertThat(backups.backUpIfDue()).as("not a day old yet").isEmpty();
		this.clock.advance(Duration.ofHours(1));
		Optional<DatabaseBackup> second = backups.backUpIfDue();
		assertThat(second).as("a day old").isPresent();

		assertThat(backups.newest()).isEqualTo(second);
		DatabaseBackup backup = second.get();
		assertThat(backup.reason()).isEqualTo("scheduled");
		assertThat(backup.file().getParent()).isEqualTo(this.data.resolve("backups"));
		assertThat(backup.file().getFileName().toString()).matches("dilxc-\\d{8}T\\d{6}Z-scheduled\\.zip")
			.isEqualTo(DatabaseBackup.fileName(backup.takenAt(), "scheduled"));
		assertThat(Files.getPosixFilePermissions(backup.file()))
			.isEqualTo(PosixFilePermissions.fromString("rw-------"));
		assertThat(Files.getPosixFilePermissions(backup.file().getParent()))
			.isEqualTo(PosixFilePermissions.fromString("rwx------"));
		try (var files = Files.list(backup.file().getParent())) {
			assertThat(files.map((file) -> file.getFileName().toString())).as("no partial file left")
				.allMatch((name) -> name.endsWith(".zip"));
		}
		Path unpacked = TestDatabase.unpack(backup.file(), this.data.resolve("check"));
		assertThat(TestDatabase.prompts(unpacked)).containsExactly("remember me");
	}

	@Test
	void rotationKeepsTheNewestAndNeverTouchesOtherFiles() throws Exception {
		TestDatabase.migrate(this.data, "latest");
		DatabaseBackups backups = backups(new BackupProperties(Duration.ofDays(1), 3, Path.of("backups")));
		Path foreign = this.data.resolve("backups/notes.zip");
		Files.createDirectories(foreign.getParent());
		Files.writeString(foreign, "mine");

		List<DatabaseBackup> taken = new java.util.ArrayList<>();
		for (int day = 0; day < 5; day++) {
			taken.add(backups.backUpIfDue().orElseThrow());
			this.clock.advance(Duration.ofDays(1));
		}

		assertThat(DatabaseBackups.list(this.data.resolve("backups"))).containsExactlyElementsOf(taken.subList(2, 5));
		assertThat(Files.exists(taken.get(0).file())).isFalse();
		assertThat(foreign).hasContent("mine");
	}

	@Test
	void backupsTakenInTheSameSecondGetTheirOwnNames() throws Exception {
		TestDatabase.migrate(this.data, "latest");
		DatabaseBackups backups = backups(new BackupProperties(Duration.ofDays(1), 7, Path.of("backups")));
		DatabaseBackup first = backups.backUp("manual");
		DatabaseBackup second = backups.backUp("manual");
		assertThat(second.file()).isNotEqualTo(first.file());
		assertThat(Files.exists(first.file())).isTrue();
	}

	@Test
	void zeroIntervalTakesNoScheduledBackups() throws Exception {
		TestDatabase.migrate(this.data, "latest");
		DatabaseBackups backups = backups(new BackupProperties(Duration.ZERO, 7, Path.of("backups")));
		assertThat(backups.backUpIfDue()).isEmpty();
		assertThat(backups.newest()).isEmpty();
	}

	@Test
	void anAbsoluteDirectoryIsUsedAsItIs(@TempDir Path elsewhere) throws Exception {
		TestDatabase.migrate(this.data, "latest");
		DatabaseBackups backups = backups(new BackupProperties(Duration.ofDays(1), 7, elsewhere.resolve("dilxc")));
		assertThat(backups.backUpIfDue().orElseThrow().file().getParent()).isEqualTo(elsewhere.resolve("dilxc"));
	}

	private DatabaseBackups backups(BackupProperties properties) {
		return new DatabaseBackups(TestDatabase.dataSource(this.data), properties, this.clock, this.data,
				DatabaseStore.H2);
	}

}
