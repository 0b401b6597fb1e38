package dev.dilxc.daemon.backups;

import java.io.EOFException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Tells a damaged database file (truncated, overwritten) from every other start-up
 * failure. The daemon then exits with {@link #EXIT_STATUS}, which the systemd units do
 * not restart on: starting again cannot help, a restore can.
 */
public final class DamagedDatabase {

	/**
	 * EX_CONFIG of sysexits.h; deploy/install-lib.sh names it in
	 * RestartPreventExitStatus.
	 */
	public static final int EXIT_STATUS = 78;

	// org.h2.api.ErrorCode (H2 is a runtime dependency only): FILE_CORRUPTED_1,
	// FILE_VERSION_ERROR_1, IO_EXCEPTION_1.
	private static final int FILE_CORRUPTED = 90030;

	private static final int FILE_VERSION_ERROR = 90048;

	private static final int IO_EXCEPTION = 90028;

	private DamagedDatabase() {
	}

	/** Whether {@code failure} was caused by a damaged database file. */
	public static boolean isCause(Throwable failure) {
		return find(failure).isPresent();
	}

	/** H2's (or our own) words for the damage, with the file when known. */
	record Damage(@Nullable Path file, @Nullable String reason) {
	}

	static Optional<Damage> find(Throwable failure) {
		for (Throwable current = failure; current != null; current = (current.getCause() != current)
				? current.getCause() : null) {
			if (current instanceof DamagedDatabaseException damaged) {
				return Optional.of(new Damage(damaged.file(), damaged.getMessage()));
			}
			if (current instanceof SQLException sql && damaged(sql)) {
				return Optional.of(new Damage(null, String.valueOf(sql.getMessage()).lines().findFirst().orElse("")));
			}
		}
		return Optional.empty();
	}

	/**
	 * H2's "File corrupted" and "invalid file header", and its I/O error when the file
	 * ends too early (a file truncated to a few bytes, or text written over it). Other
	 * I/O errors (a full disk) are no damage.
	 */
	private static boolean damaged(SQLException sql) {
		return switch (sql.getErrorCode()) {
			case FILE_CORRUPTED, FILE_VERSION_ERROR -> true;
			case IO_EXCEPTION -> endsEarly(sql);
			default -> false;
		};
	}

	private static boolean endsEarly(Throwable failure) {
		for (Throwable current = failure; current != null; current = (current.getCause() != current)
				? current.getCause() : null) {
			if (current instanceof EOFException) {
				return true;
			}
		}
		return false;
	}

}
