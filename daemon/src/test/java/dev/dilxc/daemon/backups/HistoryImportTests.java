package dev.dilxc.daemon.backups;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dilxc-daemon --import-h2-history}: what it refuses before it reaches PostgreSQL
 * (no server needed), each with its exit status and the fix in its message, and that it
 * knows every table of the schema. The import itself is pinned against a real PostgreSQL
 * in HistoryImportIntegrationTests.
 */
class HistoryImportTests {

	/** Nothing answers here: a refusal that reaches PostgreSQL fails on connecting. */
	private static final String NOWHERE = "jdbc:postgresql://127.0.0.1:1/dilxc";

	@TempDir
	Path directory;

	private static final Duration THIRTY_SECONDS = Duration.ofSeconds(30);

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	private Path data() {
		return this.directory.resolve("data");
	}

	private Path file() {
		return data().resolve("dilxc.mv.db");
	}

	@Test
	void settingsOnTheCommandLineAreAUsageErrorThatSaysWhereTheyBelong() {
		Supplier<HistoryImport.Target> never = () -> {
			throw new AssertionError("settings read");
		};
		assertThat(importHistory(never, "--import-h2-history", "--spring.datasource.password=secret"))
			.isEqualTo(Sysexits.EX_USAGE);
		assertThat(err()).startsWith("dilxc-daemon: usage: dilxc-daemon --import-h2-history [FILE]")
			.contains("never from the command line")
			.doesNotContain("secret");
		this.err.reset();
		assertThat(importHistory(never, "--import-h2-history", "a.mv.db", "b.mv.db")).isEqualTo(Sysexits.EX_USAGE);
	}

	@Test
	void noHistoryInTheDataDirectorySaysSoAndHowToNameAFile() {
		assertThat(importHistory(target(NOWHERE), "--import-h2-history")).isEqualTo(Sysexits.EX_NOINPUT);
		assertThat(err()).isEqualTo("dilxc-daemon: cannot import " + file() + ": no such file. This host has no H2"
				+ " history to import (DILXC_DATA_DIR says where the daemon keeps it); name the file if it is"
				+ " elsewhere: dilxc-daemon --import-h2-history FILE.\n");
		this.err.reset();
		Path missing = this.directory.resolve("elsewhere/dilxc.mv.db");
		assertThat(importHistory(target(NOWHERE), "--import-h2-history=" + missing)).isEqualTo(Sysexits.EX_NOINPUT);
		assertThat(err()).isEqualTo("dilxc-daemon: cannot import " + missing + ": no such file.\n");
	}

	@Test
	void aFileThatIsNeitherAnH2DatabaseNorAZipIsRefused() throws Exception {
		Path text = Files.writeString(this.directory.resolve("history.txt"), "jobs");
		assertThat(importHistory(target(NOWHERE), "--import-h2-history", text.toString())).isEqualTo(Sysexits.EX_USAGE);
		assertThat(err()).contains("cannot import " + text + ": give the H2 database file (" + file());
	}

	@Test
	void refusesWhileADaemonHoldsTheDataDirectoryBeforeReadingAnySettings() throws Exception {
		TestDatabase.migrate(data(), "latest");
		Supplier<HistoryImport.Target> never = () -> {
			throw new AssertionError("settings read");
		};
		try (Connection open = TestDatabase.dataSource(data()).getConnection()) {
			assertThat(importHistory(never, "--import-h2-history")).isEqualTo(Sysexits.EX_TEMPFAIL);
		}
		assertThat(err()).isEqualTo("dilxc-daemon: not importing while this process has " + file()
				+ " open. Stop it first (systemctl --user stop dilxc, or kill the pid in ~/.local/state/dilxc/daemon.pid"
				+ " where systemd does not run it), then run this again.\n");
		this.err.reset();
		Path socket = socket();
		Files.createDirectories(socket.getParent());
		try (ServerSocketChannel daemon = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			daemon.bind(UnixDomainSocketAddress.of(socket));
			assertThat(importHistory(never, "--import-h2-history")).isEqualTo(Sysexits.EX_TEMPFAIL);
		}
		assertThat(err()).startsWith("dilxc-daemon: not importing while a dilxc daemon answers on " + socket + ".");
	}

	@Test
	void settingsThatNameNoPostgresqlDatabaseAreRefusedWithTheLinesToAdd() throws Exception {
		TestDatabase.migrate(data(), "latest");
		Path settings = this.directory.resolve("config/dilxc/application.yml");

		int status = importHistory(
				() -> new HistoryImport.Target("jdbc:h2:file:" + data().resolve("dilxc") + ";WRITE_DELAY=0", "dilxc",
						"hunter2", settings, THIRTY_SECONDS),
				"--import-h2-history");

		assertThat(status).isEqualTo(Sysexits.EX_USAGE);
		assertThat(err()).isEqualTo("dilxc-daemon: the daemon's settings name no PostgreSQL database to import into"
				+ " (spring.datasource.url is jdbc:h2:file:" + data().resolve("dilxc")
				+ ";WRITE_DELAY=0). Set it first," + " in " + settings + " (or the file DILXC_CONFIG names), e.g.\n\n"
				+ "    spring.datasource.url: jdbc:postgresql://db.example.org:5432/dilxc\n"
				+ "    spring.datasource.username: dilxc\n\n"
				+ "with the password in SPRING_DATASOURCE_PASSWORD (the daemon's environment) or as"
				+ " spring.datasource.password in that file (mode 0600), then run this again.\n");
		assertThat(out()).isEmpty();
	}

	@Test
	void unreadableSettingsAreAConfigurationError() throws Exception {
		TestDatabase.migrate(data(), "latest");
		assertThat(importHistory(() -> {
			throw new IllegalStateException("mapping values are not allowed here\n in 'reader', line 3");
		}, "--import-h2-history")).isEqualTo(Sysexits.EX_CONFIG);
		assertThat(err()).isEqualTo("dilxc-daemon: cannot read the daemon's settings, so no database to import into:"
				+ " mapping values are not allowed here\n");
	}

	@Test
	void aServerThatDoesNotAnswerIsUnavailableAndItsPasswordNeverShown() throws Exception {
		TestDatabase.migrate(data(), "latest");
		assertThat(importHistory(target(NOWHERE + "?password=hunter2&ssl=false"), "--import-h2-history"))
			.isEqualTo(Sysexits.EX_UNAVAILABLE);
		assertThat(err()).startsWith("dilxc-daemon: cannot connect to PostgreSQL at " + NOWHERE + " as dilxc: ")
			.contains("Check that the server runs")
			.contains("Nothing was imported.")
			.doesNotContain("hunter2");
	}

	@Test
	void aDatabaseOfANewerDilxcIsRefusedNamingBothVersions() throws Exception {
		TestDatabase.migrate(data(), "latest");
		try (Connection connection = TestDatabase.dataSource(data()).getConnection();
				Statement statement = connection.createStatement()) {
			statement.executeUpdate("""
					INSERT INTO "flyway_schema_history" ("installed_rank", "version", "description", "type", "script",
					  "checksum", "installed_by", "execution_time", "success")
					VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 1, 'dilxc', 1, TRUE)""");
		}
		byte[] before = Files.readAllBytes(file());

		assertThat(importHistory(target(NOWHERE), "--import-h2-history")).isEqualTo(Sysexits.EX_DATAERR);
		assertThat(err()).isEqualTo("dilxc-daemon: " + file() + " was written by a newer dilxc (schema version 99;"
				+ " this one knows up to 11): import it with the dilxc-daemon of that version.\n");
		assertThat(Files.readAllBytes(file())).isEqualTo(before);
	}

	@Test
	void filesThatAreNoDilxcDatabaseAreRefused() throws Exception {
		Path empty = this.directory.resolve("other/dilxc.mv.db");
		Files.createDirectories(empty.getParent());
		try (Connection connection = JdbcDrivers.h2(empty, "").getConnection()) {
			connection.createStatement().execute("CREATE TABLE notes (id INT)");
		}
		assertThat(importHistory(target(NOWHERE), "--import-h2-history", empty.toString()))
			.isEqualTo(Sysexits.EX_DATAERR);
		assertThat(err()).isEqualTo("dilxc-daemon: " + empty + " holds no dilxc schema: it is not a dilxc database.\n");

		this.err.reset();
		TestDatabase.migrate(data(), "latest");
		TestDatabase.overwriteWithGarbage(file());
		assertThat(importHistory(target(NOWHERE), "--import-h2-history")).isEqualTo(Sysexits.EX_DATAERR);
		assertThat(err())
			.startsWith("dilxc-daemon: " + file() + " does not open as an H2 database, so nothing was" + " imported: ")
			.endsWith(" If it is damaged, import a backup zip of it instead (dilxc-daemon --import-h2-history ZIP).\n")
			.hasLineCount(1);

		this.err.reset();
		Path zip = this.directory.resolve("notes.zip");
		try (ZipOutputStream stream = new ZipOutputStream(Files.newOutputStream(zip))) {
			stream.putNextEntry(new ZipEntry("readme.txt"));
			stream.write("hello".getBytes(StandardCharsets.UTF_8));
		}
		assertThat(importHistory(target(NOWHERE), "--import-h2-history", zip.toString()))
			.isEqualTo(Sysexits.EX_DATAERR);
		assertThat(err()).contains("holds no dilxc.mv.db: it is not a backup of the dilxc database");
		assertThat(data().resolve(HistoryImport.WORKING_COPY)).doesNotExist();
	}

	/**
	 * A table added by a migration and missing from the import would be lost on the move
	 * without a word.
	 */
	@Test
	void everyTableOfTheSchemaIsCopiedOrLeftBehindOnPurposeAndParentsComeFirst() throws Exception {
		TestDatabase.migrate(data(), "latest");
		List<String> copied = HistoryCopy.COPIED.stream().map(HistoryCopy.Table::name).toList();
		try (Connection connection = TestDatabase.dataSource(data()).getConnection()) {
			DatabaseMetaData metadata = connection.getMetaData();
			List<String> tables = new ArrayList<>();
			try (ResultSet rows = metadata.getTables(null, "PUBLIC", "%", new String[] { "TABLE" })) {
				while (rows.next()) {
					tables.add(rows.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
				}
			}
			assertThat(tables).as("every table is copied or left behind on purpose")
				.allMatch((table) -> copied.contains(table) || HistoryCopy.leftBehind(table));
			assertThat(tables).containsAll(copied).contains("sandbox_leases", "qrtz_triggers");
			for (String table : copied) {
				try (ResultSet keys = metadata.getImportedKeys(null, "PUBLIC", table.toUpperCase(Locale.ROOT))) {
					while (keys.next()) {
						String parent = keys.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT);
						assertThat(copied.indexOf(parent)).as(table + " references " + parent)
							.isBetween(0, copied.indexOf(table) - 1);
					}
				}
			}
		}
	}

	/** Through the daemon's main, as the user runs it: its own settings, nothing set. */
	@Test
	void daemonCommandWithTheDefaultSettingsSaysToSetAPostgresqlUrl() throws Exception {
		TestDatabase.migrate(data(), "latest");
		DaemonRun run = daemonMain("--import-h2-history");
		String output = run.output();

		assertThat(run.exit()).as(output).isEqualTo(Sysexits.EX_USAGE);
		assertThat(output).isEqualTo("dilxc-daemon: the daemon's settings name no PostgreSQL database to import into"
				+ " (spring.datasource.url is jdbc:h2:file:" + data() + "/dilxc;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE)."
				+ " Set it first, in " + this.directory.resolve("config/dilxc/application.yml")
				+ " (or the file DILXC_CONFIG names), e.g.\n\n"
				+ "    spring.datasource.url: jdbc:postgresql://db.example.org:5432/dilxc\n"
				+ "    spring.datasource.username: dilxc\n\n"
				+ "with the password in SPRING_DATASOURCE_PASSWORD (the daemon's environment) or as"
				+ " spring.datasource.password in that file (mode 0600), then run this again.\n");
	}

	/**
	 * --restore-backup puts an H2 file in place: with the history in PostgreSQL it would
	 * restore nothing the daemon reads, so it refuses and touches nothing.
	 */
	@Test
	void restoreBackupRefusesWhenTheSettingsKeepTheHistoryInPostgresql() throws Exception {
		TestDatabase.migrate(data(), "latest");
		Path settings = this.directory.resolve("config/dilxc/application.yml");
		Files.createDirectories(settings.getParent());
		Files.writeString(settings,
				"spring.datasource.url: jdbc:postgresql://db.example.org:5432/dilxc?password=hunter2\n");
		byte[] before = Files.readAllBytes(data().resolve("dilxc.mv.db"));
		DaemonRun run = daemonMain("--restore-backup", "/nonexistent/backup.zip");
		String output = run.output();

		assertThat(run.exit()).as(output).isEqualTo(Sysexits.EX_USAGE);
		assertThat(output)
			.startsWith("dilxc-daemon: the settings keep the history in PostgreSQL "
					+ "(jdbc:postgresql://db.example.org:5432/dilxc), which --restore-backup does not touch")
			.contains("pg_restore")
			.doesNotContain("hunter2");
		assertThat(Files.readAllBytes(data().resolve("dilxc.mv.db"))).as("nothing touched").isEqualTo(before);
	}

	@Test
	void daemonCommandWithABrokenSettingsFileSaysWhereInOneLine() throws Exception {
		TestDatabase.migrate(data(), "latest");
		Path settings = this.directory.resolve("config/dilxc/application.yml");
		Files.createDirectories(settings.getParent());
		Files.writeString(settings, "spring.datasource.url: jdbc:postgresql://db/dilxc\n  password: : x\n");
		DaemonRun run = daemonMain("--import-h2-history");
		String output = run.output();

		assertThat(run.exit()).as(output).isEqualTo(Sysexits.EX_CONFIG);
		assertThat(output)
			.startsWith("dilxc-daemon: cannot read the daemon's settings, so no database to import"
					+ " into: mapping values are not allowed here in 'reader', line 2, column 11:")
			.endsWith(" (the settings: " + settings + ", the environment)\n")
			.hasLineCount(1);
	}

	static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private Path socket() {
		return this.directory.resolve("run/daemon.sock");
	}

	private Supplier<HistoryImport.Target> target(String url) {
		return () -> new HistoryImport.Target(url, "dilxc", "hunter2", this.directory.resolve("config.yml"),
				THIRTY_SECONDS);
	}

	private int importHistory(Supplier<HistoryImport.Target> settings, String... args) {
		return HistoryImport.run(args, data(), socket(), settings,
				new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private String out() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	private String err() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

	/** What the daemon's main printed (stdout and stderr) and its exit status. */
	private record DaemonRun(int exit, String output) {
	}

	/**
	 * The daemon's main in a JVM of its own, as the user runs it: this test's data
	 * directory, socket and settings home, none of the caller's settings.
	 */
	private DaemonRun daemonMain(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(
				List.of(java(), "-cp", System.getProperty("java.class.path"), "dev.dilxc.daemon.DaemonApplication"));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().remove("DILXC_CONFIG");
		builder.environment().keySet().removeIf((name) -> name.startsWith("SPRING_"));
		builder.environment().put("DILXC_DATA_DIR", data().toString());
		builder.environment().put("DILXC_SOCKET", socket().toString());
		builder.environment().put("XDG_CONFIG_HOME", this.directory.resolve("config").toString());
		Process process = builder.start();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
		return new DaemonRun(process.exitValue(),
				new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
	}

}
