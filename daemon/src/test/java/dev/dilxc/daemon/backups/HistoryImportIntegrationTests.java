package dev.dilxc.daemon.backups;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.dilxc.daemon.testing.TestStore;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.cluster.DatabaseStore;
import dev.dilxc.daemon.testing.SteppableClock;

/**
 * {@code dilxc-daemon --import-h2-history} from a real H2 file into the real PostgreSQL
 * server the tests run ({@code provisioning/host/setup-postgresql.sh}, 127.0.0.1:55432),
 * each test in a database of its own: every history table arrives row for row, new ids
 * follow the imported ones, and a refusal or a failure half-way leaves the target without
 * history. A missing server fails the test with the setup hint.
 */
class HistoryImportIntegrationTests {

	private static final String SERVER = TestStore.SERVER;

	private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 2, 9, 30, 0, 123456000, ZoneOffset.UTC);

	private final String database = "dilxc_import_test_"
			+ UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	@TempDir
	Path directory;

	private static final Duration THIRTY_SECONDS = Duration.ofSeconds(30);

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

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
	void everyHistoryTableArrivesRowForRowAndNewIdsFollowTheImportedOnes() throws Exception {
		seedHistory();
		byte[] before = Files.readAllBytes(file());

		int status = importHistory("--import-h2-history");

		assertThat(status).as(err()).isZero();
		assertThat(err()).isEmpty();
		assertThat(Files.readAllBytes(file())).as("the H2 file is only read").isEqualTo(before);
		for (HistoryCopy.Table table : HistoryCopy.COPIED) {
			List<Map<String, Object>> h2 = rows(JdbcDrivers.h2(file(), HistoryImport.READ_ONLY), table);
			List<Map<String, Object>> postgresql = rows(postgresql(), table);
			assertThat(postgresql).as(table.name()).hasSize(h2.size()).isNotEmpty();
			if (table.name().equals("daemons")) {
				// The run that never signed off is over, as its daemon's next start says.
				assertThat(postgresql.get(0)).containsEntry("stop_reason",
						"over: it never signed off, and its H2 history was imported into PostgreSQL");
				assertThat(h2.get(0)).containsEntry("stopped_at", "NULL");
				postgresql.get(0).putAll(Map.of("stopped_at", "NULL", "stop_reason", "NULL"));
			}
			assertThat(postgresql).as(table.name()).isEqualTo(withoutNuls(h2));
		}
		assertThat(count("sandbox_leases")).as("leases belong to the processes that held them").isZero();
		assertThat(count("qrtz_triggers") + count("qrtz_job_details"))
			.as("Quartz's rows are re-created from the schedules")
			.isZero();
		assertThat(value("SELECT COUNT(*) FROM qrtz_locks WHERE sched_name <> 'dilxc'"))
			.as("only the migration's own lock rows, none copied")
			.isEqualTo(0L);
		assertThat(value("SELECT text FROM job_output WHERE job_id = 1 AND seq = 7"))
			.isEqualTo("binary \uFFFD\uFFFD here");

		assertThat(out())
			.startsWith("Imported the dilxc history from " + file() + " into " + SERVER + this.database
					+ " as postgres in ")
			.contains("  daemons                         1 rows\n")
			.contains("  jobs                            8 rows\n")
			.contains(
					"  job_output                  2,503 rows  (2 NUL characters, which PostgreSQL's text cannot hold,"
							+ " became U+FFFD)\n")
			.contains("  sandbox_quarantine              1 rows\n")
			.contains("Not copied: sandbox_leases")
			.contains("Daemon runs that never signed off in the H2 file (killed, or the host went down), now marked"
					+ " over: laptop-4be1c0.\n")
			.contains("Jobs the H2 daemon left running: #3 RUNNING, #4 SNAPSHOTTING. The first daemon to start on"
					+ " PostgreSQL settles them")
			.contains("1 queued job stays queued and runs once a daemon starts.")
			.endsWith("Next: start the daemon (systemctl --user start dilxc, systemctl start dilxc for a system"
					+ " install, or dilxc-daemon): it now uses PostgreSQL. Keep " + file()
					+ " until you are happy with the move; nothing reads it any more.\n");

		// H2 handed out job 9 and schedule 3 before they were deleted: nothing reuses
		// them.
		try (Connection connection = postgresql().getConnection(); Statement statement = connection.createStatement()) {
			statement.executeUpdate("""
					INSERT INTO jobs (sandbox, state, prompt, restore_policy, timeout_seconds, submitted_at)
					VALUES ('web', 'QUEUED', 'after the move', 'ON_FAILURE', 3600, now())""");
			statement.executeUpdate(
					"""
							INSERT INTO schedules (cron, quartz_cron, time_zone, sandbox, prompt, restore_policy, timeout_seconds,
							  sync_project, overlap, catch_up_seconds, created_at, last_slot)
							VALUES ('0 2 * * *', '0 0 2 * * ?', 'UTC', 'web', 'nightly', 'ALWAYS', 600, FALSE, 'SKIP', 3600, now(),
							  now())""");
			statement.executeUpdate("INSERT INTO job_history (job_id, at, state, event, detail)"
					+ " VALUES (10, now(), 'QUEUED', 'SUBMITTED', 'after the move')");
		}
		assertThat(value("SELECT MAX(id) FROM jobs")).isEqualTo(10L);
		assertThat(value("SELECT MAX(id) FROM schedules")).isEqualTo(4L);
		assertThat(value("SELECT COUNT(*) FROM job_history WHERE detail = 'after the move'")).isEqualTo(1L);
	}

	/**
	 * What the summary promises: the daemon that starts on the imported database settles
	 * the jobs the H2 daemon left running, and re-creates every schedule's Quartz trigger
	 * from its row (none was copied). No LXD here, so settling quarantines the sandboxes,
	 * as when LXD is down at a start.
	 */
	@Test
	void theFirstDaemonOnPostgresqlSettlesTheLeftJobsAndRecreatesEveryTrigger() throws Exception {
		seedHistory();
		assertThat(importHistory("--import-h2-history")).as(err()).isZero();

		try (ConfigurableApplicationContext daemon = new SpringApplicationBuilder(DaemonApplication.class)
			.web(WebApplicationType.NONE)
			.run("--dilxc.data-dir=" + this.directory.resolve("pg-daemon"),
					"--dilxc.socket=" + this.directory.resolve("run/pg-daemon.sock"),
					"--spring.datasource.url=" + SERVER + this.database, "--spring.datasource.username=postgres",
					"--spring.datasource.password=", "--dilxc.jobs.worker-enabled=false",
					"--dilxc.retention.sweep-enabled=false", "--spring.quartz.auto-startup=false",
					"--dilxc.lxd.executable=/nonexistent/lxc")) {
			assertThat(value("SELECT state FROM jobs WHERE id = 3")).isEqualTo("INTERRUPTED");
			assertThat(value("SELECT state FROM jobs WHERE id = 4")).isEqualTo("INTERRUPTED");
			assertThat(value("SELECT COUNT(*) FROM job_history WHERE job_id IN (3, 4) AND event = 'RECOVERY'"))
				.isEqualTo(2L);
			assertThat(value("SELECT state FROM jobs WHERE id = 5")).as("queued stays queued").isEqualTo("QUEUED");
			assertThat(value("SELECT string_agg(trigger_name || ' ' || trigger_state, ', ' ORDER BY trigger_name)"
					+ " FROM qrtz_triggers"))
				.isEqualTo("schedule-1 WAITING, schedule-2 PAUSED");
		}
	}

	@Test
	void aTargetThatHoldsHistoryIsRefusedAndKeptAsItWas() throws Exception {
		seedHistory();
		assertThat(importHistory("--import-h2-history")).as(err()).isZero();
		long jobs = count("jobs");
		this.out.reset();

		int status = importHistory("--import-h2-history");

		assertThat(status).isEqualTo(Sysexits.EX_DATAERR);
		assertThat(err()).isEqualTo("dilxc-daemon: not importing: " + SERVER + this.database
				+ " as postgres already holds dilxc history (8 jobs, 25 job_history, 2,503 job_output, 2 job_changes,"
				+ " 2 schedules, 4 schedule_events, 3 notifications, 1 sandbox_quarantine). The import only fills a"
				+ " database with no history, so that nothing is merged into a live one: import into a new, empty"
				+ " database (createdb), or, if that history is a trial you do not need, drop and create this one"
				+ " again. Nothing was changed.\n");
		assertThat(out()).isEmpty();
		assertThat(count("jobs")).isEqualTo(jobs);
	}

	@Test
	void aFailureHalfWayThroughLeavesTheTargetWithoutHistory() throws Exception {
		seedHistory();
		migrateTarget();
		// A real refusal by PostgreSQL, after jobs and half the output are in.
		execute("ALTER TABLE job_output ADD CONSTRAINT refuse_line_1500 CHECK (seq <> 1500)");

		int status = importHistory("--import-h2-history");

		assertThat(status).isEqualTo(Sysexits.EX_DATAERR);
		assertThat(err()).isEqualTo("dilxc-daemon: the import failed and PostgreSQL rolled it back, so " + SERVER
				+ this.database + " as postgres holds none of it and " + file() + " is unchanged: copying job_output"
				+ " (the batch from job_id, seq = 1, 1001): ERROR: new row for relation \"job_output\" violates check"
				+ " constraint \"refuse_line_1500\".\n");
		assertThat(out()).isEmpty();
		for (HistoryCopy.Table table : HistoryCopy.COPIED) {
			assertThat(count(table.name())).as(table.name()).isZero();
		}
		assertThat(value("SELECT nextval(pg_get_serial_sequence('jobs', 'id'))")).as("sequences untouched")
			.isEqualTo(1L);

		execute("ALTER TABLE job_output DROP CONSTRAINT refuse_line_1500");
		assertThat(importHistory("--import-h2-history")).as(err()).isZero();
		assertThat(count("job_output")).isEqualTo(2503);
	}

	@Test
	void anOlderFileIsMigratedInACopyAndTheFileItselfLeftAlone() throws Exception {
		TestDatabase.migrate(data(), "9");
		TestDatabase.insertJob(data(), "from before V10");
		byte[] before = Files.readAllBytes(file());

		assertThat(importHistory("--import-h2-history")).as(err()).isZero();

		assertThat(out()).startsWith("Migrated a copy of " + file() + " from schema version 9 to this version's"
				+ " (the file itself is unchanged).\nImported the dilxc history");
		assertThat(value("SELECT prompt FROM jobs")).isEqualTo("from before V10");
		assertThat(value("SELECT daemon_id FROM jobs")).isNull();
		assertThat(Files.readAllBytes(file())).isEqualTo(before);
		assertThat(TestDatabase.schemaVersion(data())).isEqualTo("9");
		assertThat(data().resolve(HistoryImport.WORKING_COPY)).doesNotExist();
	}

	@Test
	void aBackupZipImportsLikeTheFile() throws Exception {
		seedHistory();
		DatabaseBackup backup = new DatabaseBackups(TestDatabase.dataSource(data()),
				new BackupProperties(Duration.ofDays(1), 7, Path.of("backups")), new SteppableClock(), data(),
				DatabaseStore.H2)
			.backUp("manual");

		assertThat(importHistory("--import-h2-history", backup.file().toString())).as(err()).isZero();

		assertThat(out()).startsWith("Imported the dilxc history from " + backup.file() + " into ");
		assertThat(count("jobs")).isEqualTo(8);
		assertThat(count("job_output")).isEqualTo(2503);
		assertThat(data().resolve(HistoryImport.WORKING_COPY)).doesNotExist();
	}

	@Test
	void refusesWhileADaemonRunsOnThePostgresqlDatabase() throws Exception {
		seedHistory();
		migrateTarget();
		execute("INSERT INTO daemons (id, name, host, pid, started_at, heartbeat_at)"
				+ " VALUES ('builder-7f3a', 'builder', 'build.example.org', 4242, now(), now() - interval '3 seconds')");

		int status = importHistory("--import-h2-history");

		assertThat(status).isEqualTo(Sysexits.EX_TEMPFAIL);
		assertThat(err())
			.startsWith("dilxc-daemon: not importing while a dilxc daemon uses " + SERVER + this.database
					+ " as postgres: builder on build.example.org (pid 4242, its last heartbeat ")
			.containsPattern(" [3-9] s ago\\)\\. Stop every daemon that uses this database, then run this again");
		assertThat(count("jobs")).isZero();

		execute("UPDATE daemons SET stopped_at = now(), stop_reason = 'stopped'");
		assertThat(importHistory("--import-h2-history")).as(err()).isZero();
		assertThat(count("daemons")).as("its own and the H2 daemon's").isEqualTo(2);
	}

	@Test
	void aMissingDatabaseIsUnavailableWithHowToCreateIt() throws Exception {
		seedHistory();

		int status = importHistory(new HistoryImport.Target(SERVER + this.database + "_nope", "postgres", null,
				this.directory.resolve("config.yml"), THIRTY_SECONDS), "--import-h2-history");

		assertThat(status).isEqualTo(Sysexits.EX_UNAVAILABLE);
		assertThat(err()).isEqualTo("dilxc-daemon: cannot connect to PostgreSQL at " + SERVER + this.database
				+ "_nope as postgres: FATAL: database \"" + this.database + "_nope\" does not exist. Create the"
				+ " database first (createdb -O USER NAME, as PostgreSQL's superuser). Nothing was imported.\n");
	}

	/**
	 * As the user runs it: the daemon's main reads the target from the settings file,
	 * then the file DILXC_CONFIG names (which wins), and the password from the
	 * environment, which it never prints.
	 */
	@Test
	void daemonCommandImportsIntoTheDatabaseTheDaemonsOwnSettingsName() throws Exception {
		seedHistory();
		Path settings = this.directory.resolve("config/dilxc/application.yml");
		Files.createDirectories(settings.getParent());
		Files.writeString(settings, """
				spring.datasource.url: %s
				spring.datasource.username: nobody
				""".formatted(SERVER + this.database + "_not_this_one"));
		Path explicit = Files.writeString(this.directory.resolve("pg.properties"), """
				spring.datasource.url=%s
				spring.datasource.username=postgres
				""".formatted(SERVER + this.database));
		ProcessBuilder builder = new ProcessBuilder(HistoryImportTests.java(), "-cp",
				System.getProperty("java.class.path"), "dev.dilxc.daemon.DaemonApplication", "--import-h2-history")
			.redirectErrorStream(true);
		builder.environment().keySet().removeIf((name) -> name.startsWith("SPRING_"));
		builder.environment().put("DILXC_DATA_DIR", data().toString());
		builder.environment().put("DILXC_SOCKET", this.directory.resolve("run/daemon.sock").toString());
		builder.environment().put("XDG_CONFIG_HOME", this.directory.resolve("config").toString());
		builder.environment().put("DILXC_CONFIG", explicit.toString());
		builder.environment().put("SPRING_DATASOURCE_PASSWORD", "correct-horse-battery");
		Process process = builder.start();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output)
			.startsWith("Imported the dilxc history from " + file() + " into " + SERVER + this.database
					+ " as postgres in ")
			.doesNotContain("correct-horse-battery");
		assertThat(count("jobs")).isEqualTo(8);
	}

	/**
	 * A single-host history as the daemon leaves it: jobs in every kind of state, with
	 * history, output (one line with NUL bytes, which PostgreSQL's text refuses),
	 * captured changes with a binary transcript, schedules with events, notifications, a
	 * quarantine, leases and Quartz rows; and deleted jobs and schedules whose ids H2 has
	 * handed out.
	 */
	private void seedHistory() throws SQLException {
		TestDatabase.migrate(data(), "latest");
		try (Connection connection = TestDatabase.dataSource(data()).getConnection()) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.executeUpdate("""
						INSERT INTO daemons (id, name, host, pid, version, started_at, heartbeat_at)
						VALUES ('laptop-4be1c0', 'laptop', 'laptop.lan', 3141, '0.1.0', TIMESTAMP WITH TIME ZONE
						  '2026-11-01 08:00:00+00', TIMESTAMP WITH TIME ZONE '2026-11-02 10:15:00.654321+00')""");
				statement.executeUpdate(
						"""
								INSERT INTO schedules (cron, quartz_cron, time_zone, sandbox, prompt, restore_policy, timeout_seconds,
								  sync_project, overlap, catch_up_seconds, max_turns, max_budget_usd, max_daily_cost_usd, paused,
								  created_at, last_slot)
								VALUES ('0 6 * * 1-5', '0 0 6 ? * MON-FRI', 'Europe/Berlin', 'web', 'update the dependencies',
								  'ON_FAILURE', 3600, TRUE, 'SKIP', 7200, 20, 2.500000, 10.000000, FALSE,
								  TIMESTAMP WITH TIME ZONE '2026-10-01 12:00:00+02', TIMESTAMP WITH TIME ZONE '2026-11-02 06:00:00+01'),
								  ('30 23 * * *', '0 30 23 * * ?', 'UTC', 'docs', 'proofread', 'ALWAYS', 600, FALSE, 'QUEUE', 0,
								  NULL, NULL, NULL, TRUE, TIMESTAMP WITH TIME ZONE '2026-10-05 12:00:00+00',
								  TIMESTAMP WITH TIME ZONE '2026-10-31 23:30:00+00'),
								  ('0 0 1 * *', '0 0 0 1 * ?', 'UTC', 'web', 'removed later', 'NEVER', 60, FALSE, 'SKIP', 0,
								  NULL, NULL, NULL, FALSE, TIMESTAMP WITH TIME ZONE '2026-10-05 12:00:00+00',
								  TIMESTAMP WITH TIME ZONE '2026-10-05 12:00:00+00')""");
				statement.executeUpdate("DELETE FROM schedules WHERE id = 3");
			}
			String longResult = "All tests pass. ".repeat(8000) + "Ünïcødé, 日本語, emoji 🚀, RTL \u202Eabc";
			insert(connection, "jobs", "sandbox", "web", "state", "SUCCEEDED", "prompt",
					"fix the flaky test\nand explain $(why) `it` fails", "restore_policy", "ON_FAILURE",
					"timeout_seconds", 3600, "submitted_at", at(0), "started_at", at(1), "finished_at", at(20),
					"snapshot", "dilxc-job-1", "session_id", "3b0e7c1a-session", "cost_usd", new BigDecimal("0.123456"),
					"num_turns", 7, "result_subtype", "success", "result_is_error", false, "result_text", longResult,
					"exit_code", 0, "output_bytes", 1_234_567, "version", 4, "max_turns", 30, "max_budget_usd",
					new BigDecimal("5.000000"), "sync_project", true, "change_base", "a1b2c3d4e5f6", "files_changed", 3,
					"daemon_id", "laptop-4be1c0");
			insert(connection, "jobs", "sandbox", "web", "state", "FAILED", "prompt", "delete everything",
					"restore_policy", "ON_FAILURE", "timeout_seconds", 600, "submitted_at", at(2), "started_at", at(3),
					"finished_at", at(5), "snapshot", "dilxc-job-2", "session_id", "77aa-session", "cost_usd",
					new BigDecimal("0.010000"), "num_turns", 1, "result_subtype", "error_during_execution",
					"result_is_error", true, "result_text", "API Error: 500", "exit_code", 1, "reason",
					"the agent failed: API Error: 500; sandbox restored to dilxc-job-2", "output_bytes", 42, "version",
					3, "change_base", "a1b2c3d4e5f6", "files_changed", 1, "restored_to", "dilxc-job-2", "daemon_id",
					"laptop-4be1c0");
			insert(connection, "jobs", "sandbox", "api", "state", "RUNNING", "prompt", "long refactoring",
					"restore_policy", "ALWAYS", "timeout_seconds", 7200, "submitted_at", at(4), "started_at", at(5),
					"snapshot", "dilxc-job-3", "active_sandbox", "api", "output_bytes", 10, "version", 2, "change_base",
					"0f0f0f0f", "daemon_id", "laptop-4be1c0");
			insert(connection, "jobs", "sandbox", "docs", "state", "SNAPSHOTTING", "prompt", "proofread",
					"restore_policy", "ALWAYS", "timeout_seconds", 600, "submitted_at", at(6), "started_at", at(7),
					"active_sandbox", "docs", "version", 1, "trigger_kind", "schedule", "schedule_id", 2,
					"scheduled_for", OffsetDateTime.parse("2026-11-01T23:30:00Z"), "idempotency_key",
					"schedule-2-2026-11-01T23:30:00Z", "daemon_id", "laptop-4be1c0");
			insert(connection, "jobs", "sandbox", "web", "state", "QUEUED", "prompt", "update the dependencies",
					"restore_policy", "ON_FAILURE", "timeout_seconds", 3600, "submitted_at", at(8), "trigger_kind",
					"schedule", "schedule_id", 1, "scheduled_for", OffsetDateTime.parse("2026-11-02T05:00:00Z"),
					"idempotency_key", "schedule-1-2026-11-02T05:00:00Z", "max_turns", 20, "max_budget_usd",
					new BigDecimal("2.500000"), "sync_project", true);
			insert(connection, "jobs", "sandbox", "web", "state", "CANCELLED", "prompt", "never mind", "restore_policy",
					"NEVER", "timeout_seconds", 60, "submitted_at", at(9), "finished_at", at(10), "reason",
					"cancelled while queued", "cancel_requested", true, "version", 1);
			insert(connection, "jobs", "sandbox", "web", "state", "INTERRUPTED", "prompt", "continue", "restore_policy",
					"ON_FAILURE", "timeout_seconds", 3600, "submitted_at", at(11), "started_at", at(12), "finished_at",
					at(13), "snapshot", "dilxc-job-7", "session_id", "3b0e7c1a-session", "cost_usd",
					new BigDecimal("0.050000"), "num_turns", 2, "reason",
					"the daemon stopped while the job was RUNNING (crash or kill); it was not re-run", "output_bytes",
					99, "output_truncated", true, "version", 5, "trigger_kind", "resume", "parent_job_id", 1,
					"resume_session_id", "3b0e7c1a-session", "change_base", "a1b2c3d4e5f6", "files_changed", 0,
					"restored_to", "dilxc-job-7", "pruned_at", OffsetDateTime.parse("2026-11-02T10:00:00Z"),
					"daemon_id", "laptop-4be1c0");
			insert(connection, "jobs", "sandbox", "web", "state", "TIMED_OUT", "prompt", "retry of 2", "restore_policy",
					"ON_FAILURE", "timeout_seconds", 60, "submitted_at", at(14), "started_at", at(15), "finished_at",
					at(16), "snapshot", "dilxc-job-8", "cost_usd", new BigDecimal("0.000001"), "num_turns", 0,
					"exit_code", 137, "reason", "timed out after 1m", "version", 3, "trigger_kind", "retry",
					"parent_job_id", 2, "daemon_id", "laptop-4be1c0");
			insert(connection, "jobs", "sandbox", "web", "state", "SUCCEEDED", "prompt", "deleted by retention",
					"restore_policy", "NEVER", "timeout_seconds", 60, "submitted_at", at(17), "started_at", at(18),
					"finished_at", at(19));
			try (Statement statement = connection.createStatement()) {
				statement.executeUpdate("DELETE FROM jobs WHERE id = 9");
			}
			try (PreparedStatement history = connection.prepareStatement(
					"INSERT INTO job_history (job_id, at, state, event, detail) VALUES (?, ?, ?, ?, ?)")) {
				String[][] stories = {
						{ "QUEUED:SUBMITTED", "SNAPSHOTTING:CLAIMED", "RUNNING:SNAPSHOT", "RUNNING:AGENT",
								"SUCCEEDED:FINISHED" },
						{ "QUEUED:SUBMITTED", "SNAPSHOTTING:CLAIMED", "RUNNING:SNAPSHOT", "FAILED:FINISHED",
								"FAILED:RESTORE" },
						{ "QUEUED:SUBMITTED", "SNAPSHOTTING:CLAIMED", "RUNNING:SNAPSHOT" },
						{ "QUEUED:SUBMITTED", "SNAPSHOTTING:CLAIMED" }, { "QUEUED:SUBMITTED" },
						{ "QUEUED:SUBMITTED", "CANCELLED:CANCELLED" },
						{ "QUEUED:SUBMITTED", "RUNNING:SNAPSHOT", "RUNNING:RECOVERY", "INTERRUPTED:FINISHED" },
						{ "QUEUED:SUBMITTED", "RUNNING:SNAPSHOT", "TIMED_OUT:FINISHED" } };
				for (int job = 0; job < stories.length; job++) {
					for (int step = 0; step < stories[job].length; step++) {
						String[] stateEvent = stories[job][step].split(":");
						history.setLong(1, job + 1);
						history.setObject(2, T0.plusMinutes(job * 10L + step));
						history.setString(3, stateEvent[0]);
						history.setString(4, stateEvent[1]);
						history.setString(5, "step " + step + " of job " + (job + 1) + " – détail");
						history.addBatch();
					}
				}
				history.executeBatch();
			}
			try (PreparedStatement output = connection
				.prepareStatement("INSERT INTO job_output (job_id, seq, at, stream, text) VALUES (?, ?, ?, ?, ?)")) {
				// Past two batches of the import (1000 rows each).
				for (int seq = 1; seq <= 2500; seq++) {
					output.setLong(1, 1);
					output.setLong(2, seq);
					output.setObject(3, T0.plusNanos(seq * 1000L));
					output.setString(4, (seq % 10 == 0) ? "stderr" : (seq == 1) ? "dilxc" : "stdout");
					output.setString(5, (seq == 7) ? "binary \0\0 here"
							: "{\"type\":\"assistant\",\"line\":" + seq + ",\"text\":\"ça marche ✓\"}");
					output.addBatch();
				}
				for (int seq = 1; seq <= 3; seq++) {
					output.setLong(1, 2);
					output.setLong(2, seq);
					output.setObject(3, T0.plusHours(1).plusSeconds(seq));
					output.setString(4, "stdout");
					output.setString(5, "x".repeat(20_000 * seq));
					output.addBatch();
				}
				output.executeBatch();
			}
			byte[] transcript = new byte[300_000];
			new Random(11).nextBytes(transcript);
			try (PreparedStatement changes = connection.prepareStatement(
					"""
							INSERT INTO job_changes (job_id, git_repository, base_commit, status, diff_stat, diff, diff_truncated,
							  files, captured_at, session_path, session_transcript)
							VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
				changes.setLong(1, 1);
				changes.setBoolean(2, true);
				changes.setString(3, "a1b2c3d4e5f6");
				changes.setString(4, " M src/Main.java\n?? notes.txt\n");
				changes.setString(5, " src/Main.java | 4 ++--\n 1 file changed");
				changes.setString(6, "diff --git a/src/Main.java b/src/Main.java\n-old\n+new [masked]\n".repeat(500));
				changes.setBoolean(7, false);
				changes.setString(8, "src/Main.java\nnotes.txt\n");
				changes.setObject(9, T0.plusMinutes(4));
				changes.setString(10, "/home/ubuntu/.claude/projects/-work/3b0e7c1a-session.jsonl");
				changes.setBytes(11, transcript);
				changes.executeUpdate();
				changes.setLong(1, 2);
				changes.setBoolean(2, false);
				changes.setNull(3, Types.VARCHAR);
				changes.setNull(4, Types.CLOB);
				changes.setNull(5, Types.CLOB);
				changes.setNull(6, Types.CLOB);
				changes.setBoolean(7, true);
				changes.setString(8, "");
				changes.setObject(9, T0.plusMinutes(14));
				changes.setNull(10, Types.VARCHAR);
				changes.setNull(11, Types.BLOB);
				changes.executeUpdate();
			}
			try (Statement statement = connection.createStatement()) {
				statement.executeUpdate("""
						INSERT INTO schedule_events (schedule_id, at, slot, kind, job_id, detail) VALUES
						  (1, TIMESTAMP WITH TIME ZONE '2026-10-01 12:00:00+00', NULL, 'CREATED', NULL, 'created'),
						  (1, TIMESTAMP WITH TIME ZONE '2026-11-02 05:00:01+00', TIMESTAMP WITH TIME ZONE
						    '2026-11-02 05:00:00+00', 'ENQUEUED', 5, 'job 5'),
						  (2, TIMESTAMP WITH TIME ZONE '2026-11-01 23:30:00+00', TIMESTAMP WITH TIME ZONE
						    '2026-11-01 23:30:00+00', 'MISSED', NULL, '2 slots missed while the daemon was down'),
						  (3, TIMESTAMP WITH TIME ZONE '2026-10-06 12:00:00+00', NULL, 'DELETED', NULL, 'removed')""");
				statement.executeUpdate(
						"""
								INSERT INTO notifications (job_id, channel, event, payload, created_at, attempts, next_attempt_at,
								  last_error, delivered_at, gave_up_at) VALUES
								  (1, 'WEBHOOK', 'job.finished', '{"job":1,"state":"SUCCEEDED"}', TIMESTAMP WITH TIME ZONE
								    '2026-11-02 09:50:00+00', 1, NULL, NULL, TIMESTAMP WITH TIME ZONE '2026-11-02 09:50:01+00', NULL),
								  (2, 'COMMAND', 'job.finished', '{"job":2,"state":"FAILED"}', TIMESTAMP WITH TIME ZONE
								    '2026-11-02 10:00:00+00', 3, TIMESTAMP WITH TIME ZONE '2026-11-02 10:30:00+00', 'exit 1', NULL,
								    NULL),
								  (NULL, 'WEBHOOK', 'sandbox.quarantined', '{"sandbox":"web"}', TIMESTAMP WITH TIME ZONE
								    '2026-11-02 10:01:00+00', 5, NULL, 'HTTP 503', NULL, TIMESTAMP WITH TIME ZONE
								    '2026-11-02 11:00:00+00')""");
				statement.executeUpdate(
						"""
								INSERT INTO sandbox_quarantine (sandbox, job_id, step, error, needs_restore, since, attempts,
								  next_attempt_at, last_error)
								VALUES ('web', 2, 'RESTORE', 'lxc restore failed: disk full', TRUE, TIMESTAMP WITH TIME ZONE
								  '2026-11-02 10:00:05+00', 2, TIMESTAMP WITH TIME ZONE '2026-11-02 10:10:00+00', 'still full')""");
				statement.executeUpdate(
						"""
								INSERT INTO sandbox_leases (sandbox, kind, job_id, purpose, taken_at, token, daemon_id) VALUES
								  ('api', 'JOB', 3, 'job 3', CURRENT_TIMESTAMP, 'a6f1c1de-0000-4000-8000-000000000001',
								    'laptop-4be1c0'),
								  ('docs', 'OPERATION', NULL, 'update', CURRENT_TIMESTAMP, 'a6f1c1de-0000-4000-8000-000000000002',
								    'laptop-4be1c0')""");
				statement.executeUpdate(
						"INSERT INTO QRTZ_LOCKS (SCHED_NAME, LOCK_NAME) VALUES ('dilxc-old', 'TRIGGER_ACCESS')");
			}
			connection.commit();
		}
	}

	/** A row from column, value pairs. */
	private static void insert(Connection connection, String table, Object... pairs) throws SQLException {
		StringJoiner columns = new StringJoiner(", ");
		StringJoiner marks = new StringJoiner(", ");
		for (int i = 0; i < pairs.length; i += 2) {
			columns.add((String) pairs[i]);
			marks.add("?");
		}
		try (PreparedStatement insert = connection
			.prepareStatement("INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ")")) {
			for (int i = 1; i < pairs.length; i += 2) {
				insert.setObject(i / 2 + 1, pairs[i]);
			}
			insert.executeUpdate();
		}
	}

	private static OffsetDateTime at(int minutes) {
		return T0.plusMinutes(minutes);
	}

	/**
	 * Every row of a table, ordered by its key, values as both databases agree on them.
	 */
	private static List<Map<String, Object>> rows(DataSource dataSource, HistoryCopy.Table table) throws SQLException {
		List<Map<String, Object>> rows = new ArrayList<>();
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement
					.executeQuery("SELECT * FROM " + table.name() + " ORDER BY " + table.key())) {
			ResultSetMetaData metadata = result.getMetaData();
			while (result.next()) {
				Map<String, Object> row = new LinkedHashMap<>();
				for (int i = 1; i <= metadata.getColumnCount(); i++) {
					row.put(metadata.getColumnLabel(i).toLowerCase(Locale.ROOT),
							normal(result, i, metadata.getColumnType(i)));
				}
				rows.add(row);
			}
		}
		return rows;
	}

	private static Object normal(ResultSet row, int column, int type) throws SQLException {
		Object value = switch (type) {
			case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> {
				OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
				yield (time != null) ? time.toInstant() : null;
			}
			case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> {
				byte[] bytes = row.getBytes(column);
				yield (bytes != null) ? "bytes:" + HexFormat.of().formatHex(bytes) : null;
			}
			case Types.CLOB, Types.VARCHAR, Types.LONGVARCHAR, Types.CHAR -> row.getString(column);
			case Types.BIGINT, Types.INTEGER, Types.SMALLINT -> {
				long number = row.getLong(column);
				yield row.wasNull() ? null : number;
			}
			case Types.NUMERIC, Types.DECIMAL -> row.getBigDecimal(column);
			case Types.BOOLEAN, Types.BIT -> row.getObject(column, Boolean.class);
			default -> throw new AssertionError("column " + column + " of type " + type);
		};
		return (value != null) ? value : "NULL";
	}

	private static List<Map<String, Object>> withoutNuls(List<Map<String, Object>> rows) {
		return rows.stream().map((row) -> {
			Map<String, Object> copy = new LinkedHashMap<>(row);
			copy.replaceAll((name, value) -> (value instanceof String text) ? text.replace('\0', '\uFFFD') : value);
			return copy;
		}).toList();
	}

	private Path data() {
		return this.directory.resolve("data");
	}

	private Path file() {
		return data().resolve("dilxc.mv.db");
	}

	private HistoryImport.Target target() {
		return new HistoryImport.Target(SERVER + this.database, "postgres", "", this.directory.resolve("config.yml"),
				THIRTY_SECONDS);
	}

	private int importHistory(String... args) {
		return importHistory(target(), args);
	}

	private int importHistory(HistoryImport.Target target, String... args) {
		return HistoryImport.run(args, data(), this.directory.resolve("run/daemon.sock"), () -> target,
				new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private void migrateTarget() {
		Flyway.configure()
			.dataSource(SERVER + this.database, "postgres", "")
			.locations(HistoryImport.POSTGRESQL_MIGRATIONS)
			.load()
			.migrate();
	}

	private DataSource postgresql() {
		return new DriverManagerDataSource(SERVER + this.database, "postgres", "");
	}

	private long count(String table) throws SQLException {
		return (Long) value("SELECT COUNT(*) FROM " + table);
	}

	private Object value(String sql) throws SQLException {
		try (Connection connection = connect();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			assertThat(rows.next()).as(sql).isTrue();
			return rows.getObject(1);
		}
	}

	private void execute(String sql) throws SQLException {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private Connection connect() throws SQLException {
		return DriverManager.getConnection(SERVER + this.database, "postgres", "");
	}

	private String out() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	private String err() {
		return this.err.toString(StandardCharsets.UTF_8);
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
