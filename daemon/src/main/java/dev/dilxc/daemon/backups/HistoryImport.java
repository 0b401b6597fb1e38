package dev.dilxc.daemon.backups;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.ValidateResult;
import org.jspecify.annotations.Nullable;

import dev.dilxc.daemon.cluster.DatabaseStore;

/**
 * {@code dilxc-daemon --import-h2-history [FILE]}, run before Spring starts and with no
 * daemon running: copies a single-host install's H2 history (FILE, a {@code dilxc.mv.db}
 * or a backup zip; by default the data directory's database) into the PostgreSQL database
 * the daemon's own settings name, which must hold no history yet, in one transaction: all
 * of it or nothing. The H2 file is only read; one older than this version's schema is
 * migrated in a copy, which is deleted afterwards.
 */
public final class HistoryImport {

	public static final String OPTION = "--import-h2-history";

	static final String H2_MIGRATIONS = "classpath:db/migration/h2";

	static final String POSTGRESQL_MIGRATIONS = "classpath:db/migration/postgresql";

	/** Where a backup zip's database or an older file's migrated copy is read from. */
	static final String WORKING_COPY = "dilxc-importing.mv.db";

	private HistoryImport() {
	}

	/**
	 * The database the daemon's settings name ({@code spring.datasource.*}), the file
	 * where the user sets it, and how old a daemon's heartbeat may be before it counts as
	 * dead ({@code dilxc.cluster.dead-after}). Never prints the password.
	 */
	public record Target(String url, @Nullable String username, @Nullable String password, Path settingsFile,
			Duration deadAfter) {

		/** The URL without credentials or parameters, as {@code status} shows it. */
		String shownUrl() {
			return DatabaseStore.withoutSecrets(this.url);
		}

		boolean isPostgresql() {
			try {
				return DatabaseStore.of(this.url) == DatabaseStore.POSTGRESQL;
			}
			catch (IllegalArgumentException ex) {
				return false;
			}
		}

		@Override
		public String toString() {
			return shownUrl() + ((this.username != null) ? " as " + this.username : "");
		}

	}

	/** Whether the arguments ask for an import. */
	public static boolean requested(String[] args) {
		return args.length > 0 && (args[0].equals(OPTION) || args[0].startsWith(OPTION + "="));
	}

	/**
	 * Imports, prints what it did or what is wrong; the exit status (0 when imported).
	 * {@code settings} reads the daemon's settings, asked only once the cheap checks
	 * passed.
	 */
	public static int run(String[] args, Path dataDirectory, Path socket, Supplier<Target> settings, PrintStream out,
			PrintStream err) {
		Path defaultFile = dataDirectory.resolve(DatabaseBackups.DATABASE_FILE);
		String name;
		if (args.length == 1 && args[0].startsWith(OPTION + "=")) {
			name = args[0].substring(OPTION.length() + 1);
		}
		else if (args.length == 2 && args[0].equals(OPTION) && !args[1].startsWith("--")) {
			name = args[1];
		}
		else if (args.length == 1) {
			name = defaultFile.toString();
		}
		else {
			err.println("dilxc-daemon: usage: dilxc-daemon " + OPTION + " [FILE] (FILE: the H2 database, by default "
					+ defaultFile + ", or a backup zip). The PostgreSQL database and its credentials come from the"
					+ " daemon's settings (spring.datasource.url, .username, .password), never from the command line,"
					+ " where a password would be in the process list and the shell's history.");
			return Sysexits.EX_USAGE;
		}
		Path file = Path.of(name).toAbsolutePath();
		boolean zip = file.getFileName() != null && file.getFileName().toString().endsWith(".zip");
		if (!zip && !file.toString().endsWith(JdbcDrivers.H2_SUFFIX)) {
			err.println("dilxc-daemon: cannot import " + file + ": give the H2 database file (" + defaultFile
					+ " on this host) or a backup zip (from " + dataDirectory.resolve("backups") + ").");
			return Sysexits.EX_USAGE;
		}
		if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
			err.println("dilxc-daemon: cannot import " + file + ": "
					+ (Files.exists(file) ? "not a readable file" : "no such file")
					+ (file.equals(defaultFile) ? ". This host has no H2 history to import (DILXC_DATA_DIR says where"
							+ " the daemon keeps it); name the file if it is elsewhere: dilxc-daemon " + OPTION
							+ " FILE." : "."));
			return Sysexits.EX_NOINPUT;
		}
		String running = RunningDaemon.holding(socket, defaultFile);
		if (running == null && !zip && !file.equals(defaultFile)) {
			running = RunningDaemon.holding(socket, file);
		}
		if (running != null) {
			err.println("dilxc-daemon: not importing while " + running + ". " + RunningDaemon.STOP_IT);
			return Sysexits.EX_TEMPFAIL;
		}
		Target target;
		try {
			target = settings.get();
		}
		catch (RuntimeException ex) {
			err.println("dilxc-daemon: cannot read the daemon's settings, so no database to import into: "
					+ firstLine(ex.getMessage()));
			return Sysexits.EX_CONFIG;
		}
		if (!target.isPostgresql()) {
			err.println("dilxc-daemon: the daemon's settings name no PostgreSQL database to import into"
					+ " (spring.datasource.url is " + target.shownUrl() + "). Set it first, in " + target.settingsFile()
					+ " (or the file DILXC_CONFIG names), e.g.\n\n"
					+ "    spring.datasource.url: jdbc:postgresql://db.example.org:5432/dilxc\n"
					+ "    spring.datasource.username: dilxc\n\n"
					+ "with the password in SPRING_DATASOURCE_PASSWORD (the daemon's environment) or as"
					+ " spring.datasource.password in that file (mode 0600), then run this again.");
			return Sysexits.EX_USAGE;
		}
		Path workingCopy = dataDirectory.resolve(WORKING_COPY);
		try {
			return new Run(file, zip, dataDirectory, workingCopy, target, out, err).importHistory();
		}
		finally {
			deleteQuietly(workingCopy);
			deleteQuietly(dataDirectory.resolve(WORKING_COPY.replace(JdbcDrivers.H2_SUFFIX, ".trace.db")));
		}
	}

	/** One import: the source made readable at this version's schema, then the copy. */
	private record Run(Path file, boolean zip, Path dataDirectory, Path workingCopy, Target target, PrintStream out,
			PrintStream err) {

		int importHistory() {
			Path source;
			try {
				source = readableSource();
			}
			catch (Refusal refusal) {
				this.err.println("dilxc-daemon: " + refusal.getMessage());
				return refusal.status;
			}
			DataSource postgresql;
			try {
				postgresql = postgresql();
				postgresql.getConnection().close();
			}
			catch (SQLException ex) {
				this.err.println("dilxc-daemon: cannot connect to PostgreSQL at " + this.target + ": "
						+ firstLine(ex.getMessage()) + ". " + connectionHint(ex) + " Nothing was imported.");
				return Sysexits.EX_UNAVAILABLE;
			}
			try {
				Flyway.configure()
					.dataSource(postgresql)
					.locations(POSTGRESQL_MIGRATIONS)
					.failOnMissingLocations(true)
					.load()
					.migrate();
			}
			catch (FlywayException ex) {
				this.err.println("dilxc-daemon: cannot create dilxc's tables in " + this.target + ": "
						+ firstLine(ex.getMessage()) + " Nothing was imported.");
				return Sysexits.EX_DATAERR;
			}
			try {
				HistoryCopy.Result result = new HistoryCopy(JdbcDrivers.h2(source, READ_ONLY), postgresql,
						this.target.toString(), this.target.deadAfter())
					.copy();
				report(result);
				return 0;
			}
			catch (Refusal refusal) {
				this.err.println("dilxc-daemon: " + refusal.getMessage());
				return refusal.status;
			}
			catch (SQLException ex) {
				this.err.println("dilxc-daemon: the import failed and PostgreSQL rolled it back, so " + this.target
						+ " holds none of it and " + this.file + " is unchanged: " + firstLine(ex.getMessage()) + ".");
				return ex.getSQLState() != null
						&& (ex.getSQLState().startsWith("08") || ex.getSQLState().startsWith("57P"))
								? Sysexits.EX_UNAVAILABLE : Sysexits.EX_DATAERR;
			}
		}

		/**
		 * The H2 file to read, at this version's schema: FILE itself, or the working copy
		 * (a zip's database, or FILE migrated).
		 */
		private Path readableSource() throws Refusal {
			Path source = this.file;
			if (this.zip) {
				source = unzip();
			}
			MigrationInfoService info;
			try {
				info = h2Flyway(source, READ_ONLY).info();
			}
			catch (FlywayException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				throw new Refusal(Sysexits.EX_DATAERR,
						this.file + " does not open as an H2 database, so nothing was" + " imported: "
								+ firstLine(cause.getMessage()) + " If it is damaged, import a backup zip of it"
								+ " instead (dilxc-daemon " + OPTION + " ZIP).");
			}
			if (info.applied().length == 0) {
				throw new Refusal(Sysexits.EX_DATAERR,
						this.file + " holds no dilxc schema: it is not a dilxc database.");
			}
			MigrationInfo newest = info.applied()[info.applied().length - 1];
			if (newest.getState() == MigrationState.FUTURE_SUCCESS
					|| newest.getState() == MigrationState.FUTURE_FAILED) {
				String known = Arrays.stream(info.all())
					.filter((migration) -> migration.getState().isResolved())
					.reduce((first, second) -> second)
					.map((migration) -> String.valueOf(migration.getVersion()))
					.orElse("none");
				throw new Refusal(Sysexits.EX_DATAERR,
						this.file + " was written by a newer dilxc (schema version " + newest.getVersion()
								+ "; this one knows up to " + known
								+ "): import it with the dilxc-daemon of that version.");
			}
			if (info.pending().length > 0) {
				source = migratedCopy(source, info.current().getVersion().toString());
			}
			ValidateResult validation = h2Flyway(source, READ_ONLY).validateWithResult();
			if (!validation.validationSuccessful) {
				throw new Refusal(Sysexits.EX_DATAERR,
						this.file + " does not match dilxc's schema, so nothing was imported: " + problems(validation));
			}
			return source;
		}

		private Path unzip() throws Refusal {
			try {
				PrivateFiles.directory(this.dataDirectory);
				Files.deleteIfExists(this.workingCopy);
				try (ZipFile archive = new ZipFile(this.file.toFile())) {
					ZipEntry entry = archive.getEntry(DatabaseBackups.DATABASE_FILE);
					if (entry == null) {
						throw new Refusal(Sysexits.EX_DATAERR, this.file + " holds no " + DatabaseBackups.DATABASE_FILE
								+ ": it is not a backup of the dilxc database.");
					}
					try (InputStream in = archive.getInputStream(entry)) {
						Files.copy(in, this.workingCopy);
					}
				}
				Files.setPosixFilePermissions(this.workingCopy, PosixFilePermissions.fromString("rw-------"));
				return this.workingCopy;
			}
			catch (ZipException ex) {
				throw new Refusal(Sysexits.EX_DATAERR,
						this.file + " is not a zip file (" + ex.getMessage() + "): not a dilxc backup.");
			}
			catch (IOException ex) {
				throw new Refusal(Sysexits.EX_IOERR,
						"cannot unpack " + this.file + " into " + this.workingCopy + " (is its disk full?): " + ex);
			}
		}

		/**
		 * The file at an older schema version, migrated as the daemon would at its start,
		 * but in a copy: FILE itself stays as the old daemon left it.
		 */
		private Path migratedCopy(Path source, String version) throws Refusal {
			if (!source.equals(this.workingCopy)) {
				try {
					PrivateFiles.directory(this.dataDirectory);
					Files.copy(source, this.workingCopy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
					Files.setPosixFilePermissions(this.workingCopy, PosixFilePermissions.fromString("rw-------"));
				}
				catch (IOException ex) {
					throw new Refusal(Sysexits.EX_IOERR, "cannot copy " + source + " to " + this.workingCopy
							+ " to migrate it from schema version " + version + " (is its disk full?): " + ex);
				}
			}
			try {
				h2Flyway(this.workingCopy, "").migrate();
			}
			catch (FlywayException ex) {
				throw new Refusal(Sysexits.EX_DATAERR, this.file + " is at schema version " + version
						+ " and migrating a copy of it failed: " + firstLine(ex.getMessage()));
			}
			this.out.println("Migrated a copy of " + this.file + " from schema version " + version
					+ " to this version's (the file itself is unchanged).");
			return this.workingCopy;
		}

		private Flyway h2Flyway(Path source, String options) throws Refusal {
			try {
				return Flyway.configure()
					.dataSource(JdbcDrivers.h2(source, ";IFEXISTS=TRUE" + options))
					.locations(H2_MIGRATIONS)
					.failOnMissingLocations(true)
					.load();
			}
			catch (SQLException ex) {
				throw new Refusal(Sysexits.EX_SOFTWARE, firstLine(ex.getMessage()));
			}
		}

		private DataSource postgresql() throws SQLException {
			Properties properties = new Properties();
			if (this.target.username() != null) {
				properties.setProperty("user", this.target.username());
			}
			if (this.target.password() != null) {
				properties.setProperty("password", this.target.password());
			}
			// One multi-row INSERT per batch instead of a round trip per row.
			properties.setProperty("reWriteBatchedInserts", "true");
			properties.setProperty("ApplicationName", "dilxc-daemon " + OPTION);
			return JdbcDrivers.dataSource("org.postgresql.Driver", "PostgreSQL", this.target.url(), properties);
		}

		private void report(HistoryCopy.Result result) {
			this.out.println("Imported the dilxc history from " + this.file + " into " + this.target + " in "
					+ String.format(Locale.ROOT, "%.1f s", result.elapsed().toMillis() / 1000.0) + ":");
			for (HistoryCopy.Copied table : result.tables()) {
				this.out
					.println(String.format(Locale.ROOT, "  %-20s %,12d rows", table.name(), table.rows())
							+ ((table.nulsReplaced() > 0)
									? "  (" + table.nulsReplaced()
											+ " NUL characters, which PostgreSQL's text cannot hold, became U+FFFD)"
									: ""));
			}
			this.out.println("Not copied: sandbox_leases (a lease belongs to a daemon process that is gone; the jobs"
					+ " and quarantines stay) and Quartz's tables (every daemon re-creates each schedule's trigger"
					+ " from the schedules table when it starts).");
			if (!result.endedRuns().isEmpty()) {
				this.out.println("Daemon runs that never signed off in the H2 file (killed, or the host went down),"
						+ " now marked over: " + String.join(", ", result.endedRuns()) + ".");
			}
			if (!result.unfinished().isEmpty()) {
				this.out.println("Jobs the H2 daemon left running: " + String.join(", ", result.unfinished())
						+ ". The first daemon to start on PostgreSQL settles them as after a crash"
						+ " (INTERRUPTED, never re-run; the sandbox restored as the job's policy says).");
			}
			if (result.queued() > 0) {
				this.out.println(result.queued() + ((result.queued() == 1) ? " queued job stays" : " queued jobs stay")
						+ " queued and runs once a daemon starts.");
			}
			this.out.println("Next: start the daemon (systemctl --user start dilxc, systemctl start dilxc for a system"
					+ " install, or dilxc-daemon): it now uses PostgreSQL. Keep " + this.file
					+ " until you are happy with the move; nothing reads it any more.");
		}

	}

	/**
	 * H2's options for reading the source: never written, rows streamed, not buffered.
	 */
	static final String READ_ONLY = ";ACCESS_MODE_DATA=r;LAZY_QUERY_EXECUTION=TRUE";

	/** A reason not to import, with its exit status. */
	static final class Refusal extends Exception {

		private static final long serialVersionUID = 1L;

		final int status;

		Refusal(int status, String message) {
			super(message);
			this.status = status;
		}

	}

	private static String connectionHint(SQLException ex) {
		String state = String.valueOf(ex.getSQLState());
		if (state.equals("28P01") || state.equals("28000")) {
			return "Check spring.datasource.username and the password (SPRING_DATASOURCE_PASSWORD or"
					+ " spring.datasource.password) the daemon's settings give.";
		}
		if (state.equals("3D000")) {
			return "Create the database first (createdb -O USER NAME, as PostgreSQL's superuser).";
		}
		return "Check that the server runs and that spring.datasource.url names its host, port and database.";
	}

	private static String problems(ValidateResult validation) {
		List<String> problems = (validation.invalidMigrations == null) ? List.of()
				: validation.invalidMigrations.stream()
					.map((invalid) -> invalid.version + " " + invalid.description + ": "
							+ ((invalid.errorDetails != null) ? invalid.errorDetails.errorMessage : "invalid"))
					.toList();
		return problems.isEmpty() ? firstLine(validation.getAllErrorMessages()) : String.join("; ", problems);
	}

	static String firstLine(@Nullable String message) {
		return (message == null) ? "" : message.lines().findFirst().orElse("").strip();
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			// Only a leftover working copy; the next import replaces it.
		}
	}

}
