package dev.dilxc.daemon.backups;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jspecify.annotations.Nullable;

/**
 * Whether a daemon holds a data directory, for the commands that must run without one
 * ({@code --restore-backup}, {@code --import-h2-history}).
 */
final class RunningDaemon {

	/** What the user does about it, after "not … while a daemon …". */
	static final String STOP_IT = "Stop it first (systemctl --user stop dilxc, or kill the pid in"
			+ " ~/.local/state/dilxc/daemon.pid where systemd does not run it), then run this again.";

	private RunningDaemon() {
	}

	/**
	 * What holds the data directory: a daemon answering on the socket, or H2's lock on
	 * the database file; null when nothing does.
	 */
	static @Nullable String holding(Path socket, Path database) {
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
			// An unreadable file is for the caller to report (or, for a restore, to
			// replace).
			return null;
		}
	}

}
