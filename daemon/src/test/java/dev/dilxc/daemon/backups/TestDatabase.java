package dev.dilxc.daemon.backups;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The daemon's H2 database in a test's directory, opened as the daemon opens it, with
 * Flyway's real migrations.
 */
final class TestDatabase {

	private TestDatabase() {
	}

	static JdbcDataSource dataSource(Path dataDirectory) {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:file:" + dataDirectory.resolve("dilxc") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
		dataSource.setUser("dilxc");
		dataSource.setPassword("");
		return dataSource;
	}

	/** Migrates to {@code target} ("latest" for all). */
	static void migrate(Path dataDirectory, String target) {
		Flyway.configure()
			.dataSource(dataSource(dataDirectory))
			.locations("classpath:db/migration/h2")
			.target(target)
			.load()
			.migrate();
	}

	static void insertJob(Path dataDirectory, String prompt) throws SQLException {
		try (Connection connection = dataSource(dataDirectory).getConnection();
				Statement statement = connection.createStatement()) {
			statement.executeUpdate(
					"INSERT INTO jobs (sandbox, state, prompt, restore_policy, timeout_seconds, submitted_at)"
							+ " VALUES ('web', 'SUCCEEDED', '" + prompt + "', 'NEVER', 60, CURRENT_TIMESTAMP)");
		}
	}

	static List<String> prompts(Path dataDirectory) throws SQLException {
		try (Connection connection = dataSource(dataDirectory).getConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT prompt FROM jobs ORDER BY id")) {
			List<String> prompts = new ArrayList<>();
			while (rows.next()) {
				prompts.add(rows.getString(1));
			}
			return prompts;
		}
	}

	static String schemaVersion(Path dataDirectory) throws SQLException {
		try (Connection connection = dataSource(dataDirectory).getConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(
						"SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" ORDER BY \"installed_rank\" DESC LIMIT 1")) {
			rows.next();
			return rows.getString(1);
		}
	}

	/**
	 * The database inside a backup zip, unpacked into {@code directory} to be opened
	 * there.
	 */
	static Path unpack(Path zip, Path directory) throws IOException {
		Files.createDirectories(directory);
		try (ZipFile file = new ZipFile(zip.toFile());
				InputStream in = file.getInputStream(file.getEntry("dilxc.mv.db"))) {
			Files.copy(in, directory.resolve("dilxc.mv.db"));
		}
		return directory;
	}

	/** Random bytes over the whole file, as a disk or a stray write might leave it. */
	static void overwriteWithGarbage(Path file) throws IOException {
		byte[] garbage = new byte[(int) Math.max(4096, Files.size(file))];
		new java.util.Random(7).nextBytes(garbage);
		Files.write(file, garbage);
	}

	static Duration days(int days) {
		return Duration.ofDays(days);
	}

}
