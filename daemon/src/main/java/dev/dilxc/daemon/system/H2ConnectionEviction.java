package dev.dilxc.daemon.system;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Tells the connection pool to drop every connection once H2 has closed the database
 * under them. H2 closes the database when a write fails (seen: a full disk gives "General
 * error: ... Writing to ... failed", then every call on any open connection "The database
 * has been closed"), while a new connection opens it again. H2's codes are not the SQL
 * states the pool evicts on, and the pool's liveness check passes such a connection, so
 * without this each pooled connection would fail one request before being replaced. The
 * pool builds the override itself (named in {@code application.properties}); the
 * component registers the daemon's pool with it.
 */
@Component
public final class H2ConnectionEviction implements SQLExceptionOverride, DisposableBean {

	/**
	 * DATABASE_IS_CLOSED, DATABASE_CALLED_AT_SHUTDOWN, IO_EXCEPTION_1/2, GENERAL_ERROR_1
	 * (an MVStore write).
	 */
	private static final int[] DEAD = { 90098, 90121, 90028, 90031, 50000 };

	/**
	 * The daemons' pools in this JVM (tests run several): all of them share the one H2
	 * engine.
	 */
	private static final List<HikariDataSource> POOLS = new CopyOnWriteArrayList<>();

	private final @Nullable HikariDataSource registered;

	/** For the pool, which makes its own instance by name. */
	public H2ConnectionEviction() {
		this.registered = null;
	}

	H2ConnectionEviction(DataSource dataSource) {
		this.registered = LiveConnections.pool(dataSource);
		if (this.registered != null) {
			POOLS.add(this.registered);
		}
	}

	@java.lang.Override
	public Override adjudicate(SQLException ex) {
		if (!isDead(ex)) {
			return Override.CONTINUE_EVICT;
		}
		// The others are as dead as this one: replaced as they come back (soft), not
		// mid-use.
		for (HikariDataSource pool : POOLS) {
			HikariPoolMXBean bean = pool.getHikariPoolMXBean();
			if (bean != null) {
				bean.softEvictConnections();
			}
		}
		return Override.MUST_EVICT;
	}

	/**
	 * Whether H2 says, anywhere in {@code ex}'s chain, that the database is closed or
	 * could not be written.
	 */
	static boolean isDead(SQLException ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (current instanceof SQLException sql) {
				for (int code : DEAD) {
					if (sql.getErrorCode() == code) {
						return true;
					}
				}
			}
		}
		return false;
	}

	@java.lang.Override
	public void destroy() {
		if (this.registered != null) {
			POOLS.remove(this.registered);
		}
	}

}
