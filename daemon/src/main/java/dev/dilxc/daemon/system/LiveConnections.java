package dev.dilxc.daemon.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.stereotype.Component;

/**
 * Lends only connections whose database is open. When a write fails for lack of space, H2
 * closes the database under every open connection, and connections the pool opens while
 * it is closing are dead too; the pool's own liveness check passes them. So each
 * connection answers a trivial query before it is lent (microseconds, in-process), and a
 * dead one is dropped and another taken, a few times, so that a request that only reads
 * still gets its answer while the disk is full.
 */
final class LiveConnections extends DelegatingDataSource {

	private static final int ATTEMPTS = 5;

	private final HikariDataSource pool;

	LiveConnections(HikariDataSource pool) {
		super(pool);
		this.pool = pool;
	}

	@Override
	public Connection getConnection() throws SQLException {
		SQLException dead = null;
		for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
			Connection connection = this.pool.getConnection();
			try (Statement statement = connection.createStatement()) {
				statement.execute("SELECT 1");
				return connection;
			}
			catch (SQLException ex) {
				if (!H2ConnectionEviction.isDead(ex)) {
					// Not the database closing: the caller's own statement will say what
					// is wrong.
					return connection;
				}
				dead = ex;
				this.pool.evictConnection(connection);
				pause(attempt);
			}
		}
		throw dead;
	}

	private static void pause(int attempt) throws SQLException {
		try {
			Thread.sleep(20L * attempt);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SQLException("interrupted while waiting for the database to open again", ex);
		}
	}

	/**
	 * Wraps the daemon's pool as it is made, so every user of the data source goes
	 * through it. An H2 pool only: a PostgreSQL server does not close the database under
	 * its clients, and the pool already drops connections it lost; the extra round trip
	 * per borrow would buy nothing there.
	 */
	@Component
	static class Wrapping implements BeanPostProcessor {

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			return (bean instanceof HikariDataSource pool && isH2(pool)) ? new LiveConnections(pool) : bean;
		}

		private static boolean isH2(HikariDataSource pool) {
			String url = pool.getJdbcUrl();
			return url == null || url.startsWith("jdbc:h2:");
		}

	}

	/** The pool behind {@code dataSource}, or null when it is not one of ours. */
	static @Nullable HikariDataSource pool(DataSource dataSource) {
		try {
			return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
		}
		catch (SQLException ex) {
			return null;
		}
	}

}
