package dev.dilxc.daemon.backups;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * {@code dilxc-daemon --restore-backup FILE}, run before Spring starts: puts a backup
 * zip's database in place of the data directory's, keeping the old file beside it
 * ({@code dilxc.mv.db.corrupt-<time>}), never deleting it. Refuses while a daemon uses
 * the data directory, and checks the backup opens before touching anything.
 */
public final class BackupRestore {

	public static final String OPTION = "--restore-backup";

	private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:@%+=,-]+");

	private BackupRestore() {
	}

	/** Whether the arguments ask for a restore (and nothing else). */
	public static boolean requested(String[] args) {
		return args.length > 0 && (args[0].equals(OPTION) || args[0].startsWith(OPTION + "="));
	}

	/**
	 * Restores, prints what it did or what is wrong; the exit status (0 when restored).
	 */
	public static int run(String[] args, Path dataDirectory, Path socket, Clock clock, PrintStream out,
			PrintStream err) {
		String name = (args.length == 2 && args[0].equals(OPTION)) ? args[1]
				: (args.length == 1 && args[0].startsWith(OPTION + "=")) ? args[0].substring(OPTION.length() + 1)
						: null;
		if (name == null || name.isBlank()) {
			err.println("dilxc-daemon: usage: dilxc-daemon " + OPTION + " FILE (a backup zip, e.g. from "
					+ dataDirectory.resolve("backups") + ")");
			return Sysexits.EX_USAGE;
		}
		Path zip = Path.of(name).toAbsolutePath();
		if (!Files.isRegularFile(zip) || !Files.isReadable(zip)) {
			err.println("dilxc-daemon: cannot restore " + zip + ": "
					+ (Files.exists(zip) ? "not a readable file" : "no such file") + ". The backups are in "
					+ dataDirectory.resolve("backups") + " unless dilxc.backup.dir says otherwise.");
			return Sysexits.EX_NOINPUT;
		}
		Path data = dataDirectory;
		Path database = data.resolve(DatabaseBackups.DATABASE_FILE);
		String running = RunningDaemon.holding(socket, database);
		if (running != null) {
			err.println("dilxc-daemon: not restoring while " + running + ". " + RunningDaemon.STOP_IT);
			return Sysexits.EX_TEMPFAIL;
		}
		Path restoring = data.resolve("dilxc-restoring.mv.db");
		String contents;
		try {
			PrivateFiles.directory(data);
			Files.deleteIfExists(restoring);
			try (ZipFile file = new ZipFile(zip.toFile())) {
				ZipEntry entry = file.getEntry(DatabaseBackups.DATABASE_FILE);
				if (entry == null) {
					err.println("dilxc-daemon: " + zip + " holds no " + DatabaseBackups.DATABASE_FILE
							+ ": it is not a backup of the dilxc database.");
					return Sysexits.EX_DATAERR;
				}
				try (InputStream in = file.getInputStream(entry)) {
					Files.copy(in, restoring);
				}
			}
			Files.setPosixFilePermissions(restoring, PosixFilePermissions.fromString("rw-------"));
			contents = contents(restoring);
		}
		catch (java.util.zip.ZipException ex) {
			deleteQuietly(restoring);
			err.println("dilxc-daemon: " + zip + " is not a zip file (" + ex.getMessage() + "): not a dilxc backup.");
			return Sysexits.EX_DATAERR;
		}
		catch (SQLException ex) {
			deleteQuietly(restoring);
			err.println("dilxc-daemon: the database in " + zip + " does not open, so nothing was changed: "
					+ String.valueOf(ex.getMessage()).lines().findFirst().orElse("") + " Try an older backup.");
			return Sysexits.EX_DATAERR;
		}
		catch (IOException ex) {
			deleteQuietly(restoring);
			err.println("dilxc-daemon: cannot restore " + zip + ": " + ex);
			return Sysexits.EX_IOERR;
		}
		Path aside = null;
		try {
			if (Files.exists(database)) {
				aside = data.resolve(
						DatabaseBackups.DATABASE_FILE + ".corrupt-" + DatabaseBackup.STAMP.format(clock.instant()));
				Files.move(database, aside, StandardCopyOption.ATOMIC_MOVE);
			}
			Files.move(restoring, database, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			err.println("dilxc-daemon: cannot put the restored database in place: " + ex
					+ ((aside != null) ? ". The database that was there is now " + aside : ""));
			return Sysexits.EX_IOERR;
		}
		out.println("Restored " + zip + " to " + database + " (" + contents + ").");
		if (aside != null) {
			out.println("The database that was there is kept as " + aside + "; delete it when you no longer need it.");
		}
		out.println("Start the daemon: systemctl --user start dilxc (systemctl start dilxc for a system install),"
				+ " or deploy/install.sh, or dilxc-daemon.");
		return 0;
	}

	/**
	 * The command that restores {@code zip} for the daemon of this environment (its data
	 * directory included).
	 */
	static String command(Path zip) {
		String dataDirectory = System.getenv("DILXC_DATA_DIR");
		String prefix = (dataDirectory != null && !dataDirectory.isBlank())
				? "DILXC_DATA_DIR=" + quoted(dataDirectory) + " " : "";
		return prefix + "dilxc-daemon " + OPTION + " " + quoted(zip.toString());
	}

	private static String quoted(String word) {
		return SHELL_SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
	}

	/**
	 * Opens the restored file read-only: "12 jobs, the newest #57", or the SQL error when
	 * it is no dilxc database.
	 */
	private static String contents(Path file) throws SQLException {
		try (Connection connection = JdbcDrivers.h2(file, ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r").getConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT COUNT(*), MAX(id) FROM jobs")) {
			rows.next();
			long count = rows.getLong(1);
			return (count == 0) ? "no jobs"
					: count + ((count == 1) ? " job" : " jobs") + ", the newest #" + rows.getLong(2);
		}
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			// Only a leftover; the next restore deletes it.
		}
	}

}
