package dev.dilxc.daemon.backups;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dilxc.daemon.cluster.DatabaseStore;
import dev.dilxc.daemon.testing.SteppableClock;

/**
 * {@code dilxc-daemon --restore-backup FILE}: the history comes back from the zip, the
 * damaged file stays beside it, and nothing changes for a file that is no backup or while
 * a daemon holds the data directory.
 */
class BackupRestoreTests {

	@TempDir
	Path directory;

	private final SteppableClock clock = new SteppableClock();

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	private Path data() {
		return this.directory.resolve("data");
	}

	private Path file() {
		return data().resolve("dilxc.mv.db");
	}

	@Test
	void restoreBringsTheHistoryBackAndKeepsTheDamagedFile() throws Exception {
		DatabaseBackup backup = historyWithBackup();
		TestDatabase.overwriteWithGarbage(file());
		byte[] damaged = Files.readAllBytes(file());

		int status = restore("--restore-backup", backup.file().toString());

		assertThat(status).as(err()).isZero();
		assertThat(TestDatabase.prompts(data())).containsExactly("keep me");
		Path aside;
		try (var files = Files.list(data())) {
			aside = files.filter((path) -> path.getFileName().toString().startsWith("dilxc.mv.db.corrupt-"))
				.findFirst()
				.orElseThrow();
		}
		assertThat(aside.getFileName().toString()).matches("dilxc\\.mv\\.db\\.corrupt-\\d{8}T\\d{6}Z");
		assertThat(Files.readAllBytes(aside)).isEqualTo(damaged);
		assertThat(Files.getPosixFilePermissions(file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
		assertThat(out()).contains("Restored " + backup.file() + " to " + file() + " (1 job, the newest #1).")
			.contains("kept as " + aside)
			.contains("Start the daemon");
		assertThat(err()).isEmpty();
	}

	@Test
	void restoreIntoAnEmptyDataDirectoryNeedsNoFileToMoveAside() throws Exception {
		DatabaseBackup backup = historyWithBackup();
		Path zip = Files.move(backup.file(), this.directory.resolve("copy.zip"));
		TestDatabase.dataSource(data()).getConnection().close();
		deleteDataDirectory();

		assertThat(restore("--restore-backup=" + zip)).as(err()).isZero();
		assertThat(TestDatabase.prompts(data())).containsExactly("keep me");
		assertThat(out()).doesNotContain("kept as");
	}

	@Test
	void missingArgumentOrFileIsAUsageError() {
		assertThat(restore("--restore-backup")).isEqualTo(Sysexits.EX_USAGE);
		assertThat(err()).contains("usage: dilxc-daemon --restore-backup FILE");
		this.err.reset();
		Path missing = this.directory.resolve("nope.zip");
		assertThat(restore("--restore-backup", missing.toString())).isEqualTo(Sysexits.EX_NOINPUT);
		assertThat(err()).isEqualTo("dilxc-daemon: cannot restore " + missing + ": no such file. The backups are in "
				+ data().resolve("backups") + " unless dilxc.backup.dir says otherwise.\n");
	}

	@Test
	void fileThatIsNoBackupChangesNothing() throws Exception {
		historyWithBackup();
		byte[] before = Files.readAllBytes(file());

		Path text = Files.writeString(this.directory.resolve("notes.zip"), "not a zip");
		assertThat(restore("--restore-backup", text.toString())).isEqualTo(Sysexits.EX_DATAERR);
		assertThat(err()).contains(text + " is not a zip file");

		this.err.reset();
		Path other = zip("other.zip", "readme.txt", "hello".getBytes(StandardCharsets.UTF_8));
		assertThat(restore("--restore-backup", other.toString())).isEqualTo(Sysexits.EX_DATAERR);
		assertThat(err()).contains("holds no dilxc.mv.db: it is not a backup of the dilxc database");

		this.err.reset();
		byte[] garbage = new byte[8192];
		new java.util.Random(3).nextBytes(garbage);
		Path broken = zip("broken.zip", "dilxc.mv.db", garbage);
		assertThat(restore("--restore-backup", broken.toString())).isEqualTo(Sysexits.EX_DATAERR);
		assertThat(err()).contains("does not open, so nothing was changed");

		assertThat(Files.readAllBytes(file())).isEqualTo(before);
		try (var files = Files.list(data())) {
			// H2's own log (dilxc.trace.db) aside: no file moved aside, no half-restored
			// file left.
			assertThat(files.map((path) -> path.getFileName().toString()).filter((name) -> !name.endsWith(".trace.db")))
				.containsExactlyInAnyOrder("dilxc.mv.db", "backups");
		}
	}

	@Test
	void refusesWhileTheDatabaseIsOpen() throws Exception {
		DatabaseBackup backup = historyWithBackup();
		try (Connection open = TestDatabase.dataSource(data()).getConnection()) {
			assertThat(restore("--restore-backup", backup.file().toString())).isEqualTo(Sysexits.EX_TEMPFAIL);
		}
		assertThat(err()).contains("not restoring while").contains(file().toString()).contains("Stop it first");
		assertThat(TestDatabase.prompts(data())).containsExactly("keep me");
	}

	@Test
	void refusesWhileADaemonAnswersOnTheSocket() throws Exception {
		DatabaseBackup backup = historyWithBackup();
		Path socket = this.directory.resolve("run/daemon.sock");
		Files.createDirectories(socket.getParent());
		try (ServerSocketChannel daemon = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			daemon.bind(UnixDomainSocketAddress.of(socket));
			assertThat(restore("--restore-backup", backup.file().toString())).isEqualTo(Sysexits.EX_TEMPFAIL);
		}
		assertThat(err()).contains("a dilxc daemon answers on " + socket);
	}

	/** Through the daemon's main, before Spring starts: its exit status and message. */
	@Test
	void daemonCommandRestoresAndExitsNonZeroOnAMissingFile() throws Exception {
		DatabaseBackup backup = historyWithBackup();
		TestDatabase.overwriteWithGarbage(file());
		Path missing = this.directory.resolve("nope.zip");

		Process refused = daemonCommand("--restore-backup", missing.toString());
		assertThat(refused.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		assertThat(refused.exitValue()).isEqualTo(Sysexits.EX_NOINPUT);
		assertThat(new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
			.startsWith("dilxc-daemon: cannot restore " + missing + ": no such file.");

		Process restored = daemonCommand("--restore-backup", backup.file().toString());
		assertThat(restored.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		String output = new String(restored.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(restored.exitValue()).as(output).isZero();
		assertThat(output).startsWith("Restored " + backup.file() + " to " + file() + " (1 job, the newest #1).");
		assertThat(TestDatabase.prompts(data())).containsExactly("keep me");
	}

	private Process daemonCommand(String... args) throws Exception {
		java.util.List<String> command = new java.util.ArrayList<>(
				java.util.List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						System.getProperty("java.class.path"), "dev.dilxc.daemon.DaemonApplication"));
		command.addAll(java.util.List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("DILXC_DATA_DIR", data().toString());
		builder.environment().put("DILXC_SOCKET", this.directory.resolve("run/daemon.sock").toString());
		return builder.start();
	}

	private int restore(String... args) {
		return BackupRestore.run(args, data(), this.directory.resolve("run/daemon.sock"), this.clock,
				new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private String out() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	private String err() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

	private DatabaseBackup historyWithBackup() throws Exception {
		TestDatabase.migrate(data(), "latest");
		TestDatabase.insertJob(data(), "keep me");
		return new DatabaseBackups(TestDatabase.dataSource(data()),
				new BackupProperties(Duration.ofDays(1), 7, Path.of("backups")), this.clock, data(), DatabaseStore.H2)
			.backUp("manual");
	}

	private Path zip(String name, String entry, byte[] content) throws Exception {
		Path zip = this.directory.resolve(name);
		try (ZipOutputStream stream = new ZipOutputStream(Files.newOutputStream(zip))) {
			stream.putNextEntry(new ZipEntry(entry));
			stream.write(content);
			stream.closeEntry();
		}
		return zip;
	}

	private void deleteDataDirectory() throws Exception {
		try (var files = Files.walk(data())) {
			for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

}
