package dev.dilxc.daemon.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

/**
 * The plans H2 chose for the statements some code ran. H2's query statistics record each
 * statement's exact text (parameters as {@code ?}), so the code under test stays as it
 * is; each is then EXPLAINed, which needs no parameter values.
 */
public final class QueryPlans {

	/**
	 * The tables that grow with the history: a statement may read them only through an
	 * index.
	 */
	public static final Set<String> HISTORY_TABLES = Set.of("JOBS", "JOB_OUTPUT", "JOB_HISTORY", "JOB_CHANGES",
			"SCHEDULE_EVENTS", "NOTIFICATIONS");

	private static final Pattern TABLE_SCAN = Pattern.compile("/\\* PUBLIC\\.(\\w+)\\.tableScan");

	private QueryPlans() {
	}

	/** One statement and H2's plan for it. */
	public record Plan(String sql, String plan) {

		/** Whether the statement names one of {@code tables} (upper case). */
		public boolean reads(Set<String> tables) {
			String upper = this.sql.toUpperCase(Locale.ROOT);
			return tables.stream().anyMatch((table) -> Pattern.compile("\\b" + table + "\\b").matcher(upper).find());
		}

		/** The tables H2 reads row by row, without an index. */
		public List<String> tableScans() {
			List<String> tables = new ArrayList<>();
			Matcher scan = TABLE_SCAN.matcher(this.plan);
			while (scan.find()) {
				tables.add(scan.group(1));
			}
			return tables;
		}

		/**
		 * The condition H2 looks {@code table} up by in its index ({@code "STATE = ?1"}),
		 * or "" when it reads the index whole (in order, say) or has no index for it.
		 */
		public String indexCondition(String table) {
			Matcher index = Pattern
				.compile("\"PUBLIC\"\\.\"" + table + "\"(?: \"\\w+\")?\\s*/\\* PUBLIC\\.\\w+(?:: ([^*]*))? \\*/")
				.matcher(this.plan);
			return (index.find() && index.group(1) != null) ? index.group(1).strip() : "";
		}

		/** Whether the rows come in the index's order, so a LIMIT stops reading early. */
		public boolean indexSorted() {
			return sortedReads() > 0;
		}

		/** How many of the statement's selects (subqueries too) read in index order. */
		public int sortedReads() {
			return this.plan.split("/\\* index sorted \\*/", -1).length - 1;
		}
	}

	/**
	 * Runs {@code action} and returns the plans of the statements on {@code tables} that
	 * ran meanwhile, in any thread (the statistics are the database's), each once.
	 */
	public static List<Plan> of(DataSource dataSource, Set<String> tables, Runnable action) {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("SET QUERY_STATISTICS_MAX_ENTRIES 10000");
			statement.execute("SET QUERY_STATISTICS FALSE"); // forgets what was recorded
																// before
			statement.execute("SET QUERY_STATISTICS TRUE");
			List<String> statements = new ArrayList<>();
			try {
				action.run();
				try (ResultSet rows = statement
					.executeQuery("SELECT SQL_STATEMENT FROM INFORMATION_SCHEMA.QUERY_STATISTICS")) {
					while (rows.next()) {
						statements.add(rows.getString(1));
					}
				}
			}
			finally {
				statement.execute("SET QUERY_STATISTICS FALSE");
			}
			List<Plan> plans = new ArrayList<>();
			for (String sql : statements) {
				String verb = sql.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
				if (Set.of("SELECT", "UPDATE", "DELETE", "WITH").contains(verb) && !sql.contains("QUERY_STATISTICS")) {
					Plan plan = new Plan(sql, explain(connection, sql));
					if (plan.reads(tables)) {
						plans.add(plan);
					}
				}
			}
			return plans;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String explain(Connection connection, String sql) throws SQLException {
		try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + sql);
				ResultSet plan = explain.executeQuery()) {
			plan.next();
			return plan.getString(1);
		}
	}

}
