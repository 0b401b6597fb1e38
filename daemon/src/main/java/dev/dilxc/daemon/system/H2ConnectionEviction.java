package dev.dilxc.daemon.system;

import java.sql.SQLException;

import com.zaxxer.hikari.SQLExceptionOverride;

/**
 * Tells the connection pool to drop a connection whose H2 database closed under it. H2 closes the database
 * when a write fails (seen: a full disk gives "General error: ... Writing to ... failed", then every call on
 * the same connection "The database has been closed"), while a new connection opens it again. H2's codes are
 * not the SQL states the pool evicts on by itself, so without this the pool would hand out dead connections
 * until each failed its validation. Named in {@code application.properties}.
 */
public final class H2ConnectionEviction implements SQLExceptionOverride {

	/** DATABASE_IS_CLOSED, DATABASE_CALLED_AT_SHUTDOWN, IO_EXCEPTION_1/2, GENERAL_ERROR_1 (an MVStore write). */
	private static final int[] DEAD = { 90098, 90121, 90028, 90031, 50000 };

	@java.lang.Override
	public Override adjudicate(SQLException ex) {
		for (SQLException current = ex; current != null; current = current.getNextException()) {
			for (int code : DEAD) {
				if (current.getErrorCode() == code) {
					return Override.MUST_EVICT;
				}
			}
		}
		return Override.CONTINUE_EVICT;
	}
}
