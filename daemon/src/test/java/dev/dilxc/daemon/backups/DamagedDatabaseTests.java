package dev.dilxc.daemon.backups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

import dev.dilxc.daemon.cluster.DatabaseStore;
import dev.dilxc.daemon.testing.SteppableClock;

/**
 * A database file that was truncated, emptied or written over stops the daemon with one
 * report naming the file, the newest backup and the command that restores it, and with
 * exit status 78, which systemd does not restart on.
 */
class DamagedDatabaseTests {

	@TempDir
	Path directory;

	private Path data() {
		return this.directory.resolve("data");
	}

	private Path file() {
		return data().resolve("dilxc.mv.db");
	}

	@Test
	void fileWrittenOverStopsTheStartNamingFileNewestBackupAndRestoreCommand() throws Exception {
		DatabaseBackup backup = historyWithBackup();
		TestDatabase.overwriteWithGarbage(file());

		FailureAnalysis analysis = analyze(startFailure());

		assertThat(analysis.getDescription()).startsWith("The dilxc database " + file() + " is damaged or unreadable: ")
			.contains("File corrupted")
			.contains("exit status 78");
		assertThat(analysis.getAction()).startsWith("Restore the newest backup, taken ")
			.contains("(manual)")
			.contains("\n\n    dilxc-daemon --restore-backup " + backup.file() + "\n\n")
			.contains("The damaged file is kept beside it")
			.endsWith("Older backups are in " + data().resolve("backups") + ".");
	}

	@Test
	void fileTruncatedToAFewBytesIsDamageToo() throws Exception {
		historyWithBackup();
		try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.WRITE)) {
			channel.truncate(100);
		}
		Throwable failure = startFailure();
		assertThat(DamagedDatabase.isCause(failure)).isTrue();
		assertThat(analyze(failure).getDescription()).contains(file().toString());
	}

	@Test
	void emptyFileIsRefusedRatherThanTakenForANewDatabase() throws Exception {
		historyWithBackup();
		Files.write(file(), new byte[0]);

		FailureAnalysis analysis = analyze(startFailure());

		assertThat(analysis.getDescription()).isEqualTo("The dilxc database " + file()
				+ " is damaged or unreadable: the file"
				+ " is empty (0 bytes)\nThe daemon does not start on it (exit status 78, so systemd does not restart it either).");
		assertThat(file()).isEmptyFile();
	}

	@Test
	void withoutABackupTheReportSaysSoAndHowToStartEmptyKeepingTheFile() throws Exception {
		Files.createDirectories(data());
		TestDatabase.migrate(data(), "latest");
		TestDatabase.overwriteWithGarbage(file());

		FailureAnalysis analysis = analyze(startFailure());

		assertThat(analysis.getAction())
			.startsWith("There is no backup in " + data().resolve("backups") + " to restore.")
			.containsPattern("\n\n    mv " + java.util.regex.Pattern.quote(file().toString()) + " "
					+ java.util.regex.Pattern.quote(file().toString()) + "\\.corrupt-\\d{8}T\\d{6}Z\n\n");
	}

	@Test
	void otherDatabaseFailuresAreNoDamage() {
		assertThat(DamagedDatabase.isCause(new IllegalStateException(
				new SQLException("Database may be already in use: \"/x/dilxc.mv.db\"", "90020", 90020))))
			.isFalse();
		assertThat(DamagedDatabase.isCause(new SQLException("IO Exception: \"No space left on device\"", "90028", 90028,
				new IOException("No space left on device"))))
			.isFalse();
		assertThat(DamagedDatabase.isCause(new IllegalStateException("boom"))).isFalse();
		assertThat(new DamagedDatabaseFailureAnalyzer(new MockEnvironment()).analyze(new IllegalStateException("boom")))
			.isNull();
	}

	/**
	 * The real daemon process, as systemd starts it: the report on its output, and exit
	 * status 78. No LXD needed: it stops at the database.
	 */
	@Test
	void daemonProcessOnADamagedDatabaseExitsWith78AndTheRestoreCommand() throws Exception {
		DatabaseBackup backup = historyWithBackup();
		TestDatabase.overwriteWithGarbage(file());
		Path output = this.directory.resolve("daemon.out");
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), "dev.dilxc.daemon.DaemonApplication",
				"--dilxc.lxd.executable=/nonexistent/lxc", "--dilxc.jobs.worker-enabled=false",
				"--spring.quartz.auto-startup=false")
			.redirectErrorStream(true)
			.redirectOutput(output.toFile());
		builder.environment().put("DILXC_DATA_DIR", data().toString());
		builder.environment().put("DILXC_SOCKET", this.directory.resolve("run/daemon.sock").toString());
		builder.environment().put("HOME", this.directory.toString());
		builder.environment().remove("XDG_CONFIG_HOME");
		builder.environment().remove("DILXC_CONFIG");
		Process daemon = builder.start();
		try {
			assertThat(daemon.waitFor(120, TimeUnit.SECONDS)).as("the daemon stopped").isTrue();
		}
		finally {
			daemon.destroyForcibly();
		}
		String out = Files.readString(output);
		assertThat(daemon.exitValue()).as(out).isEqualTo(78);
		assertThat(out).contains("APPLICATION FAILED TO START")
			.contains("The dilxc database " + file() + " is damaged or unreadable")
			.contains("    DILXC_DATA_DIR=" + data() + " dilxc-daemon --restore-backup " + backup.file());
		assertThat(out.split("APPLICATION FAILED TO START", -1)).as("one report").hasSize(2);
	}

	/** A migrated database with one job, backed up. */
	private DatabaseBackup historyWithBackup() throws SQLException {
		TestDatabase.migrate(data(), "latest");
		TestDatabase.insertJob(data(), "keep me");
		return new DatabaseBackups(TestDatabase.dataSource(data()),
				new BackupProperties(Duration.ofDays(1), 7, Path.of("backups")), new SteppableClock(), data(),
				DatabaseStore.H2)
			.backUp("manual");
	}

	private Throwable startFailure() {
		Throwable failure = catchThrowable(() -> Daemons.start(this.directory).close());
		assertThat(failure).as("the daemon did not start").isNotNull();
		assertThat(DamagedDatabase.isCause(failure)).as("damage: %s", failure).isTrue();
		return failure;
	}

	private FailureAnalysis analyze(Throwable failure) {
		MockEnvironment environment = new MockEnvironment().withProperty("dilxc.data-dir", data().toString());
		FailureAnalysis analysis = new DamagedDatabaseFailureAnalyzer(environment).analyze(failure);
		assertThat(analysis).isNotNull();
		return analysis;
	}

}
