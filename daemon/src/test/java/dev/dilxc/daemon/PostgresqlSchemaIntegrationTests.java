package dev.dilxc.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.dilxc.daemon.testing.TestStore;

/**
 * The PostgreSQL spelling of the schema against a real PostgreSQL server, the one
 * {@code provisioning/host/setup-postgresql.sh} starts for the tests (127.0.0.1:55432):
 * every migration applies, the tables and columns are the ones the daemon reads, and the
 * database enforces one active job per sandbox as H2 does. Each test gets a database of
 * its own. A missing server fails the test with the setup hint.
 */
class PostgresqlSchemaIntegrationTests {

	private static final String SERVER = TestStore.SERVER;

	private final String database = "dilxc_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	@BeforeEach
	void createDatabase() throws SQLException {
		try (Connection admin = admin(); Statement statement = admin.createStatement()) {
			statement.execute("CREATE DATABASE " + this.database);
		}
	}

	@AfterEach
	void dropDatabase() throws SQLException {
		TestStore.dropDatabase(this.database);
	}

	@Test
	void everyMigrationAppliesAndTheDaemonsTablesAreThere() throws SQLException {
		MigrateResult result = flyway().migrate();

		assertThat(result.success).isTrue();
		assertThat(result.migrationsExecuted).isEqualTo(flyway().info().all().length);
		assertThat(tables()).contains("jobs", "job_history", "job_output", "job_changes", "schedules",
				"schedule_events", "notifications", "sandbox_leases", "sandbox_quarantine", "qrtz_triggers",
				"qrtz_cron_triggers", "qrtz_locks", "qrtz_scheduler_state");
		assertThat(columnType("job_output", "text")).isEqualTo("text");
		assertThat(columnType("job_changes", "session_transcript")).isEqualTo("bytea");
		assertThat(columnType("qrtz_job_details", "job_data")).isEqualTo("bytea");
		assertThat(flyway().validateWithResult().validationSuccessful).isTrue();
		assertThat(tables()).contains("daemons");
		assertThat(columnType("jobs", "daemon_id")).isEqualTo("character varying");
		assertThat(quartzLocks()).as("seeded, so daemons starting together do not race to insert them")
			.containsExactlyInAnyOrder("STATE_ACCESS", "TRIGGER_ACCESS");
	}

	private List<String> quartzLocks() throws SQLException {
		List<String> locks = new ArrayList<>();
		try (Connection connection = connect();
				ResultSet rows = connection.createStatement()
					.executeQuery("SELECT lock_name FROM qrtz_locks WHERE sched_name = 'dilxc'")) {
			while (rows.next()) {
				locks.add(rows.getString(1));
			}
		}
		return locks;
	}

	@Test
	void theDatabaseAllowsOneActiveJobPerSandbox() throws SQLException {
		flyway().migrate();
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			String job = "INSERT INTO jobs (sandbox, state, prompt, restore_policy, timeout_seconds, submitted_at, "
					+ "active_sandbox) VALUES ('box', 'RUNNING', 'p', 'NEVER', 60, now(), %s)";
			statement.execute(job.formatted("'box'"));
			statement.execute(job.formatted("NULL"));
			SQLException second = null;
			try {
				statement.execute(job.formatted("'box'"));
			}
			catch (SQLException ex) {
				second = ex;
			}
			assertThat((Throwable) second).as("a second active job in one sandbox").isNotNull();
			assertThat(second.getSQLState()).as("unique violation").isEqualTo("23505");
		}
	}

	private Flyway flyway() {
		return Flyway.configure()
			.dataSource(SERVER + this.database, "postgres", "")
			.locations("classpath:db/migration/postgresql")
			.load();
	}

	private List<String> tables() throws SQLException {
		List<String> tables = new ArrayList<>();
		try (Connection connection = connect();
				ResultSet rows = connection.createStatement()
					.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
			while (rows.next()) {
				tables.add(rows.getString(1).toLowerCase(java.util.Locale.ROOT));
			}
		}
		return tables;
	}

	private String columnType(String table, String column) throws SQLException {
		try (Connection connection = connect();
				ResultSet rows = connection.createStatement()
					.executeQuery("SELECT data_type FROM information_schema.columns WHERE table_name = '" + table
							+ "' AND column_name = '" + column + "'")) {
			assertThat(rows.next()).as(table + "." + column).isTrue();
			return rows.getString(1);
		}
	}

	private Connection connect() throws SQLException {
		return DriverManager.getConnection(SERVER + this.database, "postgres", "");
	}

	private static Connection admin() {
		try {
			return DriverManager.getConnection(SERVER + "postgres", "postgres", "");
		}
		catch (SQLException ex) {
			throw new AssertionError("PostgreSQL does not answer at " + SERVER + " (" + ex.getMessage()
					+ "): run provisioning/test-host.sh, which starts it with provisioning/host/setup-postgresql.sh",
					ex);
		}
	}

}
