package dev.dilxc.daemon.backups;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.jspecify.annotations.Nullable;

/**
 * {@code dilxc-daemon --restore-backup FILE}, run before Spring starts: puts a backup
 * zip's database in place of the data directory's, keeping the old file beside it
 * ({@code dilxc.mv.db.corrupt-<time>}), never deleting it. Refuses while a daemon uses
 * the data directory, and checks the backup opens before touching anything.
 */
public final class BackupRestore {

	public static final String OPTION = "--restore-backup";

	// sysexits.h
	static final int EX_USAGE = 64;

	static final int EX_DATAERR = 65;

	static final int EX_NOINPUT = 66;

	static final int EX_IOERR = 74;

	static final int EX_TEMPFAIL = 75;

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
			return EX_USAGE;
		}
		Path zip = Path.of(name).toAbsolutePath();
		if (!Files.isRegularFile(zip) || !Files.isReadable(zip)) {
			err.println("dilxc-daemon: cannot restore " + zip + ": "
					+ (Files.exists(zip) ? "not a readable file" : "no such file") + ". The backups are in "
					+ dataDirectory.resolve("backups") + " unless dilxc.backup.dir says otherwise.");
			return EX_NOINPUT;
		}
		Path data = dataDirectory;
		Path database = data.resolve(DatabaseBackups.DATABASE_FILE);
		String running = runningDaemon(socket, database);
		if (running != null) {
			err.println("dilxc-daemon: not restoring while " + running + ". Stop it first (systemctl --user stop dilxc,"
					+ " or kill the pid in ~/.local/state/dilxc/daemon.pid where systemd does not run it), then run this again.");
			return EX_TEMPFAIL;
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
					return EX_DATAERR;
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
			return EX_DATAERR;
		}
		catch (SQLException ex) {
			deleteQuietly(restoring);
			err.println("dilxc-daemon: the database in " + zip + " does not open, so nothing was changed: "
					+ String.valueOf(ex.getMessage()).lines().findFirst().orElse("") + " Try an older backup.");
			return EX_DATAERR;
		}
		catch (IOException ex) {
			deleteQuietly(restoring);
			err.println("dilxc-daemon: cannot restore " + zip + ": " + ex);
			return EX_IOERR;
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
			return EX_IOERR;
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
	 * What holds the data directory: a daemon answering on the socket, or H2's lock on
	 * the database file.
	 */
	static @Nullable String runningDaemon(Path socket, Path database) {
		if (Files.exists(socket)) {
			try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
				channel.connect(UnixDomainSocketAddress.of(socket));
				return "a dilxc daemon answers on " + socket;
			}
			catch (IOException refused) {
				// A socket left by a daemon that died.
			}
		}
		if (!Files.exists(database)) {
			return null;
		}
		try (FileChannel channel = FileChannel.open(database, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			FileLock lock = channel.tryLock();
			if (lock == null) {
				return "another process (a dilxc daemon?) has " + database + " open";
			}
			lock.release();
			return null;
		}
		catch (OverlappingFileLockException ex) {
			return "this process has " + database + " open";
		}
		catch (IOException ex) {
			// An unreadable file is for the restore to replace.
			return null;
		}
	}

	/**
	 * Opens the restored file read-only: "12 jobs, the newest #57", or the SQL error when
	 * it is no dilxc database.
	 */
	private static String contents(Path file) throws SQLException {
		String base = file.toString().substring(0, file.toString().length() - ".mv.db".length());
		Properties credentials = new Properties();
		credentials.setProperty("user", "dilxc");
		credentials.setProperty("password", "");
		try (Connection connection = h2().connect("jdbc:h2:file:" + base + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r",
				credentials);
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT COUNT(*), MAX(id) FROM jobs")) {
			rows.next();
			long count = rows.getLong(1);
			return (count == 0) ? "no jobs"
					: count + ((count == 1) ? " job" : " jobs") + ", the newest #" + rows.getLong(2);
		}
	}

	/**
	 * H2's driver, straight (H2 is a runtime dependency only, and DriverManager may not
	 * see the jar's classes).
	 */
	private static Driver h2() throws SQLException {
		try {
			return (Driver) Class.forName("org.h2.Driver", true, BackupRestore.class.getClassLoader())
				.getDeclaredConstructor()
				.newInstance();
		}
		catch (ReflectiveOperationException ex) {
			throw new SQLException("the H2 driver is missing from the daemon's jar", ex);
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
