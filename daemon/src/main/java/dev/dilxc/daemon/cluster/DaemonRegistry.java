package dev.dilxc.daemon.cluster;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The daemons sharing the database: this run registers at start, renews its heartbeat
 * every {@link ClusterProperties#heartbeatInterval()} (on PostgreSQL; on H2 it is the
 * only daemon) and signs off when it stops. Heartbeats and deadlines are the database
 * server's clock ({@code CURRENT_TIMESTAMP}), so no two hosts' clocks are compared. A run
 * whose heartbeat is older than {@link ClusterProperties#deadAfter()} is declared dead by
 * one guarded UPDATE, so exactly one daemon declares it; its jobs are then orphans, which
 * the job recovery takes over one by one.
 */
@Component
public class DaemonRegistry implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(DaemonRegistry.class);

	private final JdbcClient jdbc;

	private final ThisDaemon daemon;

	private final DatabaseStore store;

	private final ClusterProperties properties;

	private final String version;

	private @Nullable ScheduledExecutorService heartbeats;

	private volatile boolean registered;

	/** The heartbeat's failure being reported, so an outage is logged once. */
	private @Nullable String heartbeatFailure;

	DaemonRegistry(JdbcClient jdbc, ThisDaemon daemon, DatabaseStore store, ClusterProperties properties) {
		this.jdbc = jdbc;
		this.daemon = daemon;
		this.store = store;
		this.properties = properties;
		String implementation = DaemonRegistry.class.getPackage().getImplementationVersion();
		this.version = (implementation != null) ? implementation : "dev";
	}

	/** A daemon run as the table has it. */
	public record Member(String id, String name, String host, long pid, @Nullable String version, Instant startedAt,
			Instant heartbeatAt, @Nullable Instant stoppedAt, @Nullable String stopReason, @Nullable String lxdMember) {

		public boolean live() {
			return this.stoppedAt == null;
		}

	}

	public ThisDaemon self() {
		return this.daemon;
	}

	public DatabaseStore store() {
		return this.store;
	}

	/** Adds this run to the table, heartbeat now. */
	public void register() {
		this.jdbc.sql("""
				INSERT INTO daemons (id, name, host, pid, version, started_at, heartbeat_at)
				VALUES (:id, :name, :host, :pid, :version, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)
				""")
			.param("id", this.daemon.id())
			.param("name", this.daemon.name())
			.param("host", this.daemon.host())
			.param("pid", this.daemon.pid())
			.param("version", this.version)
			.update();
		this.registered = true;
		logger.info("Daemon {} registered ({} store{})", this.daemon.id(), this.store.displayName(),
				this.store.shared() ? ", shared with any other daemon on it" : "");
	}

	/**
	 * Renews this run's heartbeat. False when another daemon has declared it dead
	 * meanwhile (this process stalled, or lost the database, for longer than
	 * {@code dead-after}): its jobs are someone else's now, and it must not touch them.
	 */
	public boolean beat() {
		return this.jdbc.sql("""
				UPDATE daemons SET heartbeat_at = CURRENT_TIMESTAMP WHERE id = :id AND stopped_at IS NULL
				""").param("id", this.daemon.id()).update() == 1;
	}

	/**
	 * Declares dead every other run whose heartbeat is older than {@code dead-after} by
	 * the database's clock; returns the ids this call declared (another daemon's call
	 * declares the rest). On H2, where only this daemon can have the file open, every
	 * other run is over, whatever its heartbeat.
	 */
	public List<String> declareDead() {
		OffsetDateTime cutoff = databaseNow().minus(this.properties.deadAfter());
		List<String> candidates = this.jdbc.sql("""
				SELECT id FROM daemons WHERE stopped_at IS NULL AND id <> :me
				AND (:all = TRUE OR heartbeat_at < :cutoff)
				""")
			.param("me", this.daemon.id())
			.param("all", !this.store.shared())
			.param("cutoff", cutoff)
			.query((rs, row) -> Objects.requireNonNull(rs.getString(1), "id"))
			.list();
		String reason = this.store.shared()
				? "declared dead by " + this.daemon.id() + ": no heartbeat for " + this.properties.deadAfter()
				: "replaced by " + this.daemon.id() + " (the daemon restarted)";
		return candidates.stream()
			.filter((id) -> this.jdbc.sql("""
					UPDATE daemons SET stopped_at = CURRENT_TIMESTAMP, stop_reason = :reason
					WHERE id = :id AND stopped_at IS NULL AND (:all = TRUE OR heartbeat_at < :cutoff)
					""")
				.param("id", id)
				.param("reason", reason)
				.param("all", !this.store.shared())
				.param("cutoff", cutoff)
				.update() == 1)
			.peek((id) -> logger.warn("Daemon {} {}", id, reason))
			.toList();
	}

	/**
	 * Records which member of an LXD or Incus cluster this daemon's back end is (null:
	 * none), so the other daemons can leave jobs in that member's sandboxes to it. Writes
	 * only when it changed.
	 */
	public void recordLxdMember(@Nullable String member) {
		String sql = (member == null) ? "UPDATE daemons SET lxd_member = NULL WHERE id = :id AND lxd_member IS NOT NULL"
				: "UPDATE daemons SET lxd_member = :member WHERE id = :id "
						+ "AND (lxd_member IS NULL OR lxd_member <> :member)";
		var update = this.jdbc.sql(sql).param("id", this.daemon.id());
		if (member != null) {
			update = update.param("member", member);
		}
		update.update();
	}

	/** Runs registered and not stopped, oldest first: this one among them. */
	public List<Member> live() {
		return this.jdbc.sql("SELECT * FROM daemons WHERE stopped_at IS NULL ORDER BY started_at, id")
			.query(DaemonRegistry::member)
			.list();
	}

	/**
	 * The PostgreSQL database's size in bytes, or -1 on H2 (whose file the caller can
	 * measure).
	 */
	public long databaseBytes() {
		if (!this.store.shared()) {
			return -1;
		}
		return this.jdbc.sql("SELECT pg_database_size(current_database())").query((rs, row) -> rs.getLong(1)).single();
	}

	/** How far this host's clock is ahead of the database server's (negative: behind). */
	public Duration clockSkew() {
		long before = System.currentTimeMillis();
		OffsetDateTime server = databaseNow();
		long after = System.currentTimeMillis();
		long local = before + (after - before) / 2;
		return Duration.ofMillis(local - server.toInstant().toEpochMilli());
	}

	/** The database server's clock, which heartbeats and deadlines are read on. */
	private OffsetDateTime databaseNow() {
		return Objects
			.requireNonNull(this.jdbc.sql("SELECT CURRENT_TIMESTAMP")
				.query((rs, row) -> rs.getObject(1, OffsetDateTime.class))
				.single(), "the database's time")
			.withOffsetSameInstant(ZoneOffset.UTC);
	}

	private void heartbeat() {
		try {
			if (!beat()) {
				// What it was running is settled there (or being settled): those jobs are
				// no longer this run's, and it checks before touching their sandboxes.
				logger.error(
						"Daemon {} was declared dead by another daemon (no heartbeat for {}); the jobs it was "
								+ "running are settled there. Carrying on with new jobs.",
						this.daemon.id(), this.properties.deadAfter());
				revive();
			}
			if (this.heartbeatFailure != null) {
				logger.warn("Daemon heartbeat works again after: {}", this.heartbeatFailure);
				this.heartbeatFailure = null;
			}
		}
		catch (RuntimeException ex) {
			String failure = String.valueOf(ex.getMessage());
			if (!failure.equals(this.heartbeatFailure)) {
				logger.error("Daemon heartbeat failed, retrying every {}: {}", this.properties.heartbeatInterval(),
						failure);
				this.heartbeatFailure = failure;
			}
		}
	}

	private void revive() {
		this.jdbc.sql("""
				UPDATE daemons SET stopped_at = NULL, stop_reason = NULL, heartbeat_at = CURRENT_TIMESTAMP
				WHERE id = :id
				""").param("id", this.daemon.id()).update();
	}

	@Override
	public synchronized void start() {
		register();
		if (!this.store.shared()) {
			return;
		}
		this.heartbeats = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("dilxc-heartbeat").factory());
		long every = this.properties.heartbeatInterval().toMillis();
		this.heartbeats.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		if (this.heartbeats != null) {
			this.heartbeats.shutdownNow();
			this.heartbeats = null;
		}
		try {
			this.jdbc.sql("""
					UPDATE daemons SET stopped_at = CURRENT_TIMESTAMP, stop_reason = 'stopped'
					WHERE id = :id AND stopped_at IS NULL
					""").param("id", this.daemon.id()).update();
		}
		catch (RuntimeException ex) {
			// The others declare it dead after dead-after instead.
			logger.warn("Could not sign daemon {} off: {}", this.daemon.id(), ex.getMessage());
		}
		this.registered = false;
	}

	@Override
	public synchronized boolean isRunning() {
		return this.registered;
	}

	/**
	 * Registers before the job worker starts (its recovery asks who is dead) and signs
	 * off after it has stopped (its jobs settled).
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 8192;
	}

	private static Member member(ResultSet rs, int row) throws SQLException {
		OffsetDateTime stopped = rs.getObject("stopped_at", OffsetDateTime.class);
		return new Member(rs.getString("id"), rs.getString("name"), rs.getString("host"), rs.getLong("pid"),
				rs.getString("version"), instant(rs, "started_at"), instant(rs, "heartbeat_at"),
				(stopped != null) ? stopped.toInstant() : null, rs.getString("stop_reason"),
				rs.getString("lxd_member"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		return Objects.requireNonNull(rs.getObject(column, OffsetDateTime.class), column).toInstant();
	}

}
