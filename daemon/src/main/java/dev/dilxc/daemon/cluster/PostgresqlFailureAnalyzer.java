package dev.dilxc.daemon.cluster;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;

/**
 * A daemon whose PostgreSQL database cannot be reached, or refuses it, stops with one
 * report naming the URL (never the password), what the server said, and which setting to
 * check. A server that is down is worth retrying, so the exit stays an ordinary failure
 * (systemd restarts it), unlike a damaged H2 file.
 */
final class PostgresqlFailureAnalyzer implements FailureAnalyzer {

	private final Environment environment;

	PostgresqlFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		String url = this.environment.getProperty("spring.datasource.url", "");
		if (url.isEmpty()) {
			return null;
		}
		try {
			DatabaseStore.of(url);
		}
		catch (IllegalArgumentException wrong) {
			// Whatever failed first (Boot's pool cannot load another database's driver),
			// the URL is the mistake.
			return new FailureAnalysis(String.valueOf(wrong.getMessage()),
					"Fix spring.datasource.url in your settings, or remove it to keep the history in H2.", failure);
		}
		if (!url.startsWith("jdbc:postgresql:")) {
			return null;
		}
		SQLException cause = sqlCause(failure);
		String state = (cause != null) ? cause.getSQLState() : null;
		if (cause == null || state == null) {
			return null;
		}
		String shown = DatabaseStore.withoutSecrets(url);
		String said = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
		String user = this.environment.getProperty("spring.datasource.username", "");
		if (state.startsWith("08")) {
			return new FailureAnalysis("Cannot reach the PostgreSQL database " + shown + ": " + said,
					"Check that the server runs and accepts TCP connections from this host (listen_addresses, "
							+ "pg_hba.conf), and spring.datasource.url in your settings; the daemon is retried by "
							+ "systemd meanwhile.",
					failure);
		}
		if (state.equals("28P01") || state.equals("28000")) {
			return new FailureAnalysis("PostgreSQL refused the login of '" + user + "' to " + shown + ": " + said,
					"Check spring.datasource.username and spring.datasource.password (in your private settings "
							+ "file, or SPRING_DATASOURCE_PASSWORD in the service's environment) and pg_hba.conf.",
					failure);
		}
		if (state.equals("3D000")) {
			return new FailureAnalysis("The PostgreSQL database in " + shown + " does not exist: " + said,
					"Create it once, owned by the daemon's role (e.g. 'sudo -u postgres createdb --owner " + user
							+ " DATABASE'), or fix spring.datasource.url.",
					failure);
		}
		if (state.equals("42501")) {
			return new FailureAnalysis(
					"The role '" + user + "' may not create dilxc's tables in " + shown + ": " + said,
					"Make the role the database's owner ('ALTER DATABASE … OWNER TO " + user
							+ "') or grant it CREATE on the schema.",
					failure);
		}
		return null;
	}

	private static @Nullable SQLException sqlCause(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				return sql;
			}
		}
		return null;
	}

}
