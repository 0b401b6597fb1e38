package dev.dilxc.daemon.backups;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The daemon backs its database up before Flyway changes it, so a migration gone wrong
 * loses nothing: the real application started on a database that an older daemon left
 * (migrated to an earlier version, with a job in it).
 */
class BackupBeforeMigrationTests {

	@TempDir
	Path directory;

	@Test
	void pendingMigrationIsPrecededByABackupOfTheDatabaseAsItWas() throws Exception {
		Path data = this.directory.resolve("data");
		TestDatabase.migrate(data, "6");
		TestDatabase.insertJob(data, "from the older daemon");

		try (ConfigurableApplicationContext daemon = Daemons.start(this.directory)) {
			assertThat(TestDatabase.schemaVersion(data)).as("migrated on").isNotEqualTo("6");
		}

		assertThat(DatabaseBackups.list(data.resolve("backups"))).singleElement().satisfies((backup) -> {
			assertThat(backup.reason()).isEqualTo("before-V7");
			assertThat(backup.file().getFileName().toString()).endsWith("-before-V7.zip");
		});
		Path before = TestDatabase.unpack(DatabaseBackups.list(data.resolve("backups")).getFirst().file(),
				this.directory.resolve("unpacked"));
		assertThat(TestDatabase.schemaVersion(before)).isEqualTo("6");
		assertThat(TestDatabase.prompts(before)).containsExactly("from the older daemon");
	}

	@Test
	void newDatabaseAndOneWithNothingPendingAreNotBackedUp() {
		Path data = this.directory.resolve("data");
		try (ConfigurableApplicationContext daemon = Daemons.start(this.directory)) {
			assertThat(daemon.getBean(DatabaseBackups.class).newest()).as("a new database: nothing to lose").isEmpty();
		}
		try (ConfigurableApplicationContext daemon = Daemons.start(this.directory)) {
			assertThat(daemon.getBean(DatabaseBackups.class).newest()).as("no migration pending").isEmpty();
		}
		assertThat(DatabaseBackups.list(data.resolve("backups"))).isEmpty();
	}

}
