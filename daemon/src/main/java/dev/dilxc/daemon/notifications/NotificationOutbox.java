package dev.dilxc.daemon.notifications;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code notifications} table: what is still to be sent, and what happened to what
 * was.
 */
@Repository
class NotificationOutbox {

	private static final int MAX_ERROR = 4000;

	/**
	 * Before any notification's time: "{@code next_attempt_at > NEVER}" is "is due some
	 * time", as an index range.
	 */
	private static final OffsetDateTime NEVER = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

	private final JdbcClient jdbc;

	NotificationOutbox(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Stores a notification due now; false if the job already has one of this event on
	 * this channel.
	 */
	boolean add(@Nullable Long jobId, Channel channel, String event, String payload, Instant now) {
		try {
			this.jdbc.sql("""
					INSERT INTO notifications (job_id, channel, event, payload, created_at, next_attempt_at)
					VALUES (:job, :channel, :event, :payload, :now, :now)
					""")
				.param("job", jobId)
				.param("channel", channel.name())
				.param("event", event)
				.param("payload", payload)
				.param("now", timestamp(now))
				.update();
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/**
	 * Notifications due at {@code now}, longest waiting first. The lower bound keeps the
	 * index read to rows still to send: every delivered row's NULL sorts before them.
	 */
	List<Notification> due(Instant now, int limit) {
		return this.jdbc.sql("""
				SELECT * FROM notifications WHERE next_attempt_at > :never AND next_attempt_at <= :now
				ORDER BY next_attempt_at, id LIMIT :limit
				""")
			.param("never", NEVER)
			.param("now", timestamp(now))
			.param("limit", limit)
			.query(NotificationOutbox::row)
			.list();
	}

	/** When each notification still to be sent falls due, by row. */
	Map<Long, Instant> pending() {
		Map<Long, Instant> pending = new HashMap<>();
		this.jdbc.sql("SELECT id, next_attempt_at FROM notifications WHERE next_attempt_at > :never")
			.param("never", NEVER)
			.query((RowCallbackHandler) (rs) -> pending.put(rs.getLong("id"), instant(rs, "next_attempt_at")));
		return pending;
	}

	void delivered(long id, int attempts, Instant now) {
		this.jdbc
			.sql("""
					UPDATE notifications SET attempts = :attempts, delivered_at = :now, next_attempt_at = NULL WHERE id = :id
					""")
			.param("attempts", attempts)
			.param("now", timestamp(now))
			.param("id", id)
			.update();
	}

	void retryAt(long id, int attempts, Instant next, String error) {
		this.jdbc
			.sql("""
					UPDATE notifications SET attempts = :attempts, next_attempt_at = :next, last_error = :error WHERE id = :id
					""")
			.param("attempts", attempts)
			.param("next", timestamp(next))
			.param("error", cut(error))
			.param("id", id)
			.update();
	}

	void gaveUp(long id, int attempts, Instant now, String error) {
		this.jdbc
			.sql("""
					UPDATE notifications SET attempts = :attempts, gave_up_at = :now, next_attempt_at = NULL, last_error = :error
					WHERE id = :id
					""")
			.param("attempts", attempts)
			.param("now", timestamp(now))
			.param("error", cut(error))
			.param("id", id)
			.update();
	}

	/** A job's notifications of one event, webhook first. */
	List<Notification> ofJob(long jobId, String event) {
		return this.jdbc.sql("SELECT * FROM notifications WHERE job_id = :job AND event = :event ORDER BY channel DESC")
			.param("job", jobId)
			.param("event", event)
			.query(NotificationOutbox::row)
			.list();
	}

	/** The notifications of one event, newest first (for a quarantine no job caused). */
	List<Notification> ofEvent(String event) {
		return this.jdbc
			.sql("SELECT * FROM notifications WHERE event = :event ORDER BY event DESC, id DESC, channel DESC")
			.param("event", event)
			.query(NotificationOutbox::row)
			.list();
	}

	private static Notification row(ResultSet rs, int n) throws SQLException {
		long job = rs.getLong("job_id");
		Long jobId = rs.wasNull() ? null : job;
		return new Notification(rs.getLong("id"), jobId, Channel.valueOf(rs.getString("channel")),
				rs.getString("payload"), requiredInstant(rs, "created_at"), rs.getInt("attempts"),
				instant(rs, "next_attempt_at"), rs.getString("last_error"), instant(rs, "delivered_at"),
				instant(rs, "gave_up_at"), rs.getString("event"));
	}

	/** A NOT NULL column's instant. */
	private static Instant requiredInstant(ResultSet rs, String column) throws SQLException {
		return Objects.requireNonNull(instant(rs, column), column);
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime timestamp(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	private static String cut(String error) {
		return (error != null && error.length() > MAX_ERROR) ? error.substring(0, MAX_ERROR) : error;
	}

}
