package dev.dilxc.daemon.backups;

import java.math.BigDecimal;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import dev.dilxc.daemon.backups.HistoryImport.Refusal;

/**
 * The import's copy: every history table of a dilxc H2 database into a PostgreSQL
 * database at the same schema version that holds no history yet, in one PostgreSQL
 * transaction. Rows are streamed (H2's lazy execution) and inserted in batches, so a
 * table of millions of output lines never sits in memory; identity sequences are moved
 * past every id H2 ever handed out.
 */
final class HistoryCopy {

	/** A table and its primary key (the order rows are read in). */
	record Table(String name, String key) {

	}

	/**
	 * Every table copied, parents before the children whose foreign keys name them.
	 * {@code daemons} comes along, so every job's daemon_id still names a run the history
	 * knows; the H2 runs that never signed off are marked over (see {@link #endH2Runs}).
	 */
	static final List<Table> COPIED = List.of(new Table("daemons", "id"), new Table("jobs", "id"),
			new Table("job_history", "id"), new Table("job_output", "job_id, seq"), new Table("job_changes", "job_id"),
			new Table("schedules", "id"), new Table("schedule_events", "id"), new Table("notifications", "id"),
			new Table("sandbox_quarantine", "sandbox"));

	/**
	 * Whether the import leaves a table of the schema behind on purpose: leases belong to
	 * the processes of the daemon that held them, Quartz's tables are derived (each
	 * daemon re-creates every schedule's trigger from its row at start: ScheduleStartup),
	 * and the target has its own schema history.
	 */
	static boolean leftBehind(String table) {
		return table.equals("sandbox_leases") || table.startsWith("qrtz_") || table.equals("flyway_schema_history");
	}

	private static final int BATCH_ROWS = 1000;

	private static final long BATCH_CHARS = 8L << 20;

	record Copied(String name, long rows, long nulsReplaced) {

	}

	record Result(List<Copied> tables, List<String> endedRuns, List<String> unfinished, long queued, Duration elapsed) {

	}

	private final DataSource h2;

	private final DataSource postgresql;

	private final String target;

	/** A daemon whose heartbeat is younger than this is running (the cluster's rule). */
	private final Duration deadAfter;

	HistoryCopy(DataSource h2, DataSource postgresql, String target, Duration deadAfter) {
		this.h2 = h2;
		this.postgresql = postgresql;
		this.target = target;
		this.deadAfter = deadAfter;
	}

	Result copy() throws SQLException, Refusal {
		long started = System.nanoTime();
		try (Connection from = this.h2.getConnection(); Connection to = this.postgresql.getConnection()) {
			checkEveryTableIsKnown(from);
			to.setAutoCommit(false);
			try {
				lockAndCheckEmpty(to);
				// Only daemons may have rows already: the runs of daemons that used the
				// database before and stopped.
				Map<String, Long> before = new LinkedHashMap<>();
				for (Table table : COPIED) {
					before.put(table.name(), count(to, table.name()));
				}
				List<Copied> copied = new ArrayList<>();
				for (Table table : COPIED) {
					copied.add(copyTable(from, to, table));
				}
				for (Copied table : copied) {
					long added = count(to, table.name()) - before.getOrDefault(table.name(), 0L);
					if (added != table.rows()) {
						throw new Refusal(Sysexits.EX_SOFTWARE, "the import read " + table.rows() + " rows of "
								+ table.name() + " but PostgreSQL holds " + added + " more, so it was rolled back");
					}
				}
				List<String> ended = endH2Runs(from, to);
				// Last: setval is not undone by a rollback.
				advanceIdentities(from, to);
				List<String> unfinished = unfinished(from);
				long queued = longValue(from, "SELECT COUNT(*) FROM jobs WHERE state = 'QUEUED'");
				to.commit();
				return new Result(copied, ended, unfinished, queued, Duration.ofNanos(System.nanoTime() - started));
			}
			catch (SQLException | Refusal | RuntimeException ex) {
				to.rollback();
				throw ex;
			}
		}
	}

	/**
	 * A table this import does not know would be left behind silently: refused before
	 * anything is written (a new migration must be added to {@link #COPIED} or
	 * {@link #leftBehind}).
	 */
	private static void checkEveryTableIsKnown(Connection from) throws SQLException, Refusal {
		Set<String> known = new TreeSet<>();
		COPIED.forEach((table) -> known.add(table.name()));
		Set<String> unknown = new TreeSet<>();
		try (ResultSet tables = from.getMetaData().getTables(null, "PUBLIC", "%", new String[] { "TABLE" })) {
			while (tables.next()) {
				String name = tables.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
				if (!known.contains(name) && !leftBehind(name)) {
					unknown.add(name);
				}
			}
		}
		if (!unknown.isEmpty()) {
			throw new Refusal(Sysexits.EX_SOFTWARE, "the H2 database has tables this import does not know " + unknown
					+ ", so nothing was imported (this is a bug of dilxc: the import must learn them)");
		}
	}

	/**
	 * Keeps daemons off the history tables until the commit, and refuses to merge into a
	 * database that has history or a running daemon.
	 */
	private void lockAndCheckEmpty(Connection to) throws SQLException, Refusal {
		StringJoiner tables = new StringJoiner(", ");
		COPIED.stream().map(Table::name).filter((name) -> !name.equals("daemons")).forEach(tables::add);
		try (Statement statement = to.createStatement()) {
			statement.execute("SET LOCAL lock_timeout = '10s'");
			statement.execute("LOCK TABLE " + tables + " IN EXCLUSIVE MODE");
		}
		catch (SQLException ex) {
			if ("55P03".equals(ex.getSQLState())) {
				throw new Refusal(Sysexits.EX_TEMPFAIL, "not importing while something writes to " + this.target
						+ " (its tables stayed locked for 10 s): stop every daemon that uses it, then run this again.");
			}
			throw ex;
		}
		try (PreparedStatement statement = to.prepareStatement(
				"""
						SELECT name, host, pid, CAST(EXTRACT(EPOCH FROM now() - heartbeat_at) AS BIGINT) FROM daemons
						WHERE stopped_at IS NULL AND heartbeat_at > now() - CAST(? AS INTERVAL) ORDER BY heartbeat_at DESC""")) {
			statement.setString(1, this.deadAfter.toMillis() + " milliseconds");
			try (ResultSet live = statement.executeQuery()) {
				if (live.next()) {
					throw new Refusal(Sysexits.EX_TEMPFAIL,
							"not importing while a dilxc daemon uses " + this.target + ": " + live.getString(1) + " on "
									+ live.getString(2) + " (pid " + live.getLong(3) + ", its last heartbeat "
									+ live.getLong(4) + " s ago). Stop every daemon that uses this database, then run"
									+ " this again (a daemon that was killed counts as stopped once its heartbeat is "
									+ this.deadAfter.toSeconds() + " s old: dilxc.cluster.dead-after).");
				}
			}
		}
		Map<String, Long> rows = new LinkedHashMap<>();
		for (Table table : COPIED) {
			if (!table.name().equals("daemons")) {
				long count = count(to, table.name());
				if (count > 0) {
					rows.put(table.name(), count);
				}
			}
		}
		if (!rows.isEmpty()) {
			StringJoiner held = new StringJoiner(", ");
			rows.forEach((name, count) -> held.add(String.format(Locale.ROOT, "%,d %s", count, name)));
			throw new Refusal(Sysexits.EX_DATAERR, "not importing: " + this.target + " already holds dilxc history ("
					+ held + "). The import only fills a database with no history, so that nothing is merged into"
					+ " a live one: import into a new, empty database (createdb), or, if that history is a trial you"
					+ " do not need, drop and create this one again. Nothing was changed.");
		}
	}

	private static Copied copyTable(Connection from, Connection to, Table table) throws SQLException, Refusal {
		List<Column> columns = columns(from, to, table.name());
		StringJoiner names = new StringJoiner(", ");
		StringJoiner marks = new StringJoiner(", ");
		for (Column column : columns) {
			names.add(column.name());
			marks.add("?");
		}
		long expected = count(from, table.name());
		long rows = 0;
		long nuls = 0;
		List<String> key = List.of(table.key().split(", "));
		try (Statement select = from.createStatement();
				PreparedStatement insert = to
					.prepareStatement("INSERT INTO " + table.name() + " (" + names + ") VALUES (" + marks + ")")) {
			select.setFetchSize(BATCH_ROWS);
			try (ResultSet source = select
				.executeQuery("SELECT " + names + " FROM " + table.name() + " ORDER BY " + table.key())) {
				int batched = 0;
				long chars = 0;
				String batchStart = "";
				while (source.next()) {
					if (batched == 0) {
						batchStart = keyOf(source, key);
					}
					for (int i = 0; i < columns.size(); i++) {
						Column column = columns.get(i);
						@Nullable Object value = column.kind().read(source, i + 1);
						if (value instanceof String text) {
							int nul = text.indexOf('\0');
							if (nul >= 0) {
								nuls += text.chars().filter((c) -> c == 0).count();
								value = text.replace('\0', '\uFFFD');
							}
							chars += text.length();
						}
						else if (value instanceof byte[] bytes) {
							chars += bytes.length;
						}
						if (value == null) {
							insert.setNull(i + 1, column.kind().sqlType);
						}
						else {
							insert.setObject(i + 1, value, column.kind().sqlType);
						}
					}
					insert.addBatch();
					rows++;
					batched++;
					if (batched >= BATCH_ROWS || chars >= BATCH_CHARS) {
						execute(insert, table, key, batchStart);
						batched = 0;
						chars = 0;
					}
				}
				if (batched > 0) {
					execute(insert, table, key, batchStart);
				}
			}
		}
		if (rows != expected) {
			throw new Refusal(Sysexits.EX_SOFTWARE, "the import read " + rows + " of the " + expected + " rows of "
					+ table.name() + " in the H2 database, so it was rolled back");
		}
		return new Copied(table.name(), rows, nuls);
	}

	private static void execute(PreparedStatement insert, Table table, List<String> key, String batchStart)
			throws SQLException {
		try {
			insert.executeBatch();
		}
		catch (SQLException ex) {
			SQLException cause = ex;
			while (cause.getNextException() != null) {
				cause = cause.getNextException();
			}
			// pgJDBC's batch message quotes the statement with its values (prompts,
			// output): only the server's own words are shown.
			String message = (cause instanceof BatchUpdateException) ? "a batch insert failed"
					: HistoryImport.firstLine(cause.getMessage());
			throw new SQLException("copying " + table.name() + " (the batch from " + String.join(", ", key) + " = "
					+ batchStart + "): " + message, cause.getSQLState(), ex);
		}
	}

	private static String keyOf(ResultSet row, List<String> key) throws SQLException {
		StringJoiner values = new StringJoiner(", ");
		for (String column : key) {
			values.add(String.valueOf(row.getObject(column)));
		}
		return values.toString();
	}

	/**
	 * The table's columns in H2's order, typed by what PostgreSQL stores; both sides must
	 * have the same ones (the two spellings of one migration).
	 */
	private static List<Column> columns(Connection from, Connection to, String table) throws SQLException, Refusal {
		Set<String> h2 = new LinkedHashSet<>();
		try (ResultSet columns = from.getMetaData()
			.getColumns(null, "PUBLIC", pattern(from, table.toUpperCase(Locale.ROOT)), null)) {
			while (columns.next()) {
				h2.add(columns.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
			}
		}
		Map<String, String> postgresql = new LinkedHashMap<>();
		try (ResultSet columns = to.getMetaData().getColumns(null, to.getSchema(), pattern(to, table), null)) {
			while (columns.next()) {
				postgresql.put(columns.getString("COLUMN_NAME"), columns.getString("TYPE_NAME"));
			}
		}
		if (!h2.equals(postgresql.keySet())) {
			Set<String> onlyH2 = new TreeSet<>(h2);
			onlyH2.removeAll(postgresql.keySet());
			Set<String> onlyPostgresql = new TreeSet<>(postgresql.keySet());
			onlyPostgresql.removeAll(h2);
			throw new Refusal(Sysexits.EX_SOFTWARE, "the two schemas differ in " + table + " (only in H2: " + onlyH2
					+ ", only in PostgreSQL: " + onlyPostgresql + "), so nothing was imported (a bug of dilxc)");
		}
		List<Column> columns = new ArrayList<>();
		for (String name : h2) {
			String type = postgresql.get(name);
			Kind kind = Kind.of(String.valueOf(type));
			if (kind == null) {
				throw new Refusal(Sysexits.EX_SOFTWARE, "the import cannot copy " + table + "." + name + " (PostgreSQL"
						+ " type " + type + "), so nothing was imported (a bug of dilxc)");
			}
			columns.add(new Column(name, kind));
		}
		return columns;
	}

	private static String pattern(Connection connection, String name) throws SQLException {
		DatabaseMetaData metadata = connection.getMetaData();
		String escape = metadata.getSearchStringEscape();
		return name.replace("_", escape + "_");
	}

	/**
	 * Moves each identity past the ids the H2 database handed out, deleted ones included
	 * (a job's number is what people and snapshot names use), so new rows never reuse
	 * one.
	 */
	private static void advanceIdentities(Connection from, Connection to) throws SQLException {
		for (Table table : COPIED) {
			List<String> identities = new ArrayList<>();
			try (PreparedStatement statement = to.prepareStatement("""
					SELECT column_name FROM information_schema.columns
					WHERE table_schema = current_schema() AND table_name = ? AND is_identity = 'YES'""")) {
				statement.setString(1, table.name());
				try (ResultSet rows = statement.executeQuery()) {
					while (rows.next()) {
						identities.add(rows.getString(1));
					}
				}
			}
			for (String column : identities) {
				long handedOut = 0;
				try (PreparedStatement statement = from.prepareStatement("""
						SELECT IDENTITY_BASE FROM INFORMATION_SCHEMA.COLUMNS
						WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = ? AND COLUMN_NAME = ?""")) {
					statement.setString(1, table.name().toUpperCase(Locale.ROOT));
					statement.setString(2, column.toUpperCase(Locale.ROOT));
					try (ResultSet rows = statement.executeQuery()) {
						if (rows.next() && rows.getObject(1) != null) {
							// IDENTITY_BASE is the next value H2 would give.
							handedOut = rows.getLong(1) - 1;
						}
					}
				}
				long last = Math.max(handedOut,
						longValue(to, "SELECT COALESCE(MAX(" + column + "), 0) FROM " + table.name()));
				if (last > 0) {
					try (PreparedStatement statement = to
						.prepareStatement("SELECT setval(pg_get_serial_sequence(?, ?), ?)")) {
						statement.setString(1, table.name());
						statement.setString(2, column);
						statement.setLong(3, last);
						statement.execute();
					}
				}
			}
		}
	}

	/**
	 * The H2 runs that never signed off (killed, or the host went down) are over: nothing
	 * holds the file. Marked so, as the H2 daemon's own next start would, their jobs are
	 * orphans the first daemon on PostgreSQL settles at once, instead of after dead-after
	 * measured against a heartbeat from another clock.
	 */
	private static List<String> endH2Runs(Connection from, Connection to) throws SQLException {
		List<String> runs = new ArrayList<>();
		try (Statement statement = from.createStatement();
				ResultSet rows = statement
					.executeQuery("SELECT id FROM daemons WHERE stopped_at IS NULL ORDER BY id")) {
			while (rows.next()) {
				runs.add(rows.getString(1));
			}
		}
		try (PreparedStatement end = to.prepareStatement("UPDATE daemons SET stopped_at = CURRENT_TIMESTAMP,"
				+ " stop_reason = ? WHERE id = ? AND stopped_at IS NULL")) {
			for (String run : runs) {
				end.setString(1, "over: it never signed off, and its H2 history was imported into PostgreSQL");
				end.setString(2, run);
				end.executeUpdate();
			}
		}
		return runs;
	}

	private static List<String> unfinished(Connection from) throws SQLException {
		List<String> jobs = new ArrayList<>();
		try (Statement statement = from.createStatement();
				ResultSet rows = statement.executeQuery(
						"SELECT id, state FROM jobs WHERE state IN ('SNAPSHOTTING', 'RUNNING') ORDER BY id")) {
			while (rows.next()) {
				jobs.add("#" + rows.getLong(1) + " " + rows.getString(2));
			}
		}
		return jobs;
	}

	private static long count(Connection connection, String table) throws SQLException {
		return longValue(connection, "SELECT COUNT(*) FROM " + table);
	}

	private static long longValue(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
	}

	private record Column(String name, Kind kind) {

	}

	/**
	 * How a column's values travel, by the PostgreSQL type: H2's CLOBs as String (TEXT),
	 * BLOBs as byte[] (BYTEA), timestamps as OffsetDateTime.
	 */
	enum Kind {

		TEXT(Types.VARCHAR), BYTES(Types.BINARY), TIMESTAMP(Types.TIMESTAMP_WITH_TIMEZONE), LONG(Types.BIGINT),
		INT(Types.INTEGER), DECIMAL(Types.NUMERIC), BOOLEAN(Types.BOOLEAN);

		final int sqlType;

		Kind(int sqlType) {
			this.sqlType = sqlType;
		}

		static @Nullable Kind of(String postgresqlType) {
			return switch (postgresqlType) {
				case "text", "varchar", "bpchar" -> TEXT;
				case "bytea" -> BYTES;
				case "timestamptz" -> TIMESTAMP;
				case "int8" -> LONG;
				case "int4", "int2" -> INT;
				case "numeric" -> DECIMAL;
				case "bool" -> BOOLEAN;
				default -> null;
			};
		}

		@Nullable Object read(ResultSet row, int column) throws SQLException {
			return switch (this) {
				case TEXT -> row.getString(column);
				case BYTES -> row.getBytes(column);
				case TIMESTAMP -> row.getObject(column, OffsetDateTime.class);
				case LONG -> row.getObject(column, Long.class);
				case INT -> row.getObject(column, Integer.class);
				case DECIMAL -> row.getObject(column, BigDecimal.class);
				case BOOLEAN -> row.getObject(column, Boolean.class);
			};
		}

	}

}
