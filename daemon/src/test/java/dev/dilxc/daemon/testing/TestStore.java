package dev.dilxc.daemon.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The store the in-process daemons of a test run use: H2 in their data directory (the
 * default), or, with {@code -Ddilxc.test.store=postgresql} (the failsafe execution
 * {@code postgresql} sets it), a fresh database of their own on the test PostgreSQL
 * server that {@code provisioning/host/setup-postgresql.sh} starts on 127.0.0.1:55432.
 * Each database's name carries the test JVM's pid; the next test JVM that creates one
 * drops those whose JVM has exited (not a shutdown hook: dropping them while Spring
 * closes its cached contexts left Quartz and the pools waiting on dead connections). A
 * missing server fails the test with the set-up hint; it is never skipped.
 */
public enum TestStore {

	H2, POSTGRESQL;

	/** The system property that chooses the store. */
	public static final String PROPERTY = "dilxc.test.store";

	/** The test server, without a database name. */
	public static final String SERVER = "jdbc:postgresql://127.0.0.1:"
			+ System.getenv().getOrDefault("DILXC_TEST_PG_PORT", "55432") + "/";

	private static final String PREFIX = "dilxc_t_";

	private static final AtomicBoolean swept = new AtomicBoolean();

	/** The store of this test run: {@code -Ddilxc.test.store}, H2 without it. */
	public static TestStore current() {
		String chosen = System.getProperty(PROPERTY, "h2").strip().toUpperCase(Locale.ROOT);
		try {
			return valueOf(chosen);
		}
		catch (IllegalArgumentException ex) {
			throw new AssertionError(
					"-D" + PROPERTY + "=" + System.getProperty(PROPERTY) + " names no store: use h2 or postgresql", ex);
		}
	}

	/**
	 * Points an in-process daemon at this run's store: nothing to add for H2 (the data
	 * directory holds it), a new database for PostgreSQL.
	 */
	public static void register(DynamicPropertyRegistry registry) {
		if (current() == POSTGRESQL) {
			String url = newDatabase();
			registry.add("spring.datasource.url", () -> url);
			registry.add("spring.datasource.username", () -> "postgres");
			registry.add("spring.datasource.password", () -> "");
		}
	}

	/** Creates an empty database on the test server; returns its JDBC URL. */
	public static String newDatabase() {
		String name = PREFIX + ProcessHandle.current().pid() + "_"
				+ UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		try (Connection admin = admin(); Statement statement = admin.createStatement()) {
			if (swept.compareAndSet(false, true)) {
				dropThoseOfExitedJvms(admin);
			}
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new AssertionError("cannot create a database on the test PostgreSQL server at " + SERVER
					+ " (start it with provisioning/host/setup-postgresql.sh as root): " + ex.getMessage(), ex);
		}
		return SERVER + name;
	}

	/**
	 * Drops a database of the test server, given as its JDBC URL or its name, whoever is
	 * still connected to it.
	 */
	public static void dropDatabase(String database) throws SQLException {
		String name = database.substring(database.lastIndexOf('/') + 1);
		try (Connection admin = admin(); Statement statement = admin.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
		}
	}

	/** A connection to the test server's {@code postgres} database. */
	public static Connection admin() throws SQLException {
		return DriverManager.getConnection(SERVER + "postgres", "postgres", "");
	}

	private static void dropThoseOfExitedJvms(Connection admin) throws SQLException {
		List<String> leftovers = new ArrayList<>();
		try (Statement statement = admin.createStatement();
				ResultSet names = statement
					.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + PREFIX + "%'")) {
			while (names.next()) {
				leftovers.add(names.getString(1));
			}
		}
		for (String name : leftovers) {
			String[] parts = name.substring(PREFIX.length()).split("_");
			boolean exited = parts.length == 2 && parts[0].matches("\\d+")
					&& ProcessHandle.of(Long.parseLong(parts[0])).isEmpty();
			if (exited) {
				dropDatabase(name);
			}
		}
	}

}
