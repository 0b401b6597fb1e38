package dev.dilxc.daemon.system;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns the start-up failures a user can fix into Boot's short "what went wrong / what to
 * do" report.
 */
final class DaemonFailureAnalyzers {

	private DaemonFailureAnalyzers() {
	}

	/**
	 * Our own start-up checks (the socket is taken, a directory cannot be made
	 * private...).
	 */
	static final class StartupFailureAnalyzer extends AbstractFailureAnalyzer<DaemonStartupException> {

		@Override
		protected FailureAnalysis analyze(Throwable rootFailure, DaemonStartupException cause) {
			return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
		}

	}

	/**
	 * H2 refuses a database file that another process has open: a second daemon on the
	 * same data.
	 */
	static final class DatabaseInUseFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

		@Override
		protected @Nullable FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
			String message = String.valueOf(cause.getMessage());
			if (!message.contains("already in use") && !message.contains("Database may be already in use")) {
				return null;
			}
			return new FailureAnalysis(
					"The dilxc database is in use by another process (probably another dilxc daemon): "
							+ message.lines().findFirst().orElse(""),
					"Stop the other daemon, or give this one its own data directory with DILXC_DATA_DIR.", cause);
		}

	}

}
