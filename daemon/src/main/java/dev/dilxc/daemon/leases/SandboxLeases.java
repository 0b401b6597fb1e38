package dev.dilxc.daemon.leases;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.dilxc.daemon.cluster.ThisDaemon;

/**
 * One lease per sandbox, held in the database. A job's claim takes it in the same
 * transaction as the job's state change; every operation that changes a sandbox (init,
 * update, sync, snapshot, restore, snapshot delete, start, stop, restart, destroy, push,
 * repair) takes it for as long as it runs. Whoever holds it owns the sandbox; everyone
 * else is told who does. The primary key on the sandbox decides races, so there is no
 * check-then-act anywhere above this class.
 */
@Service
public class SandboxLeases {

	private static final Logger logger = LoggerFactory.getLogger(SandboxLeases.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final ThisDaemon daemon;

	SandboxLeases(JdbcClient jdbc, Clock clock, ThisDaemon daemon) {
		this.daemon = daemon;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Takes the sandbox's lease for an operation, or throws {@link SandboxBusyException}
	 * naming the holder. Release it with {@link #release}, in a finally block.
	 */
	public SandboxLease acquire(String sandbox, String purpose) {
		Instant now = this.clock.instant();
		String token = UUID.randomUUID().toString();
		try {
			int rows = this.jdbc.sql("""
					INSERT INTO sandbox_leases (sandbox, kind, job_id, purpose, taken_at, token, daemon_id)
					VALUES (:sandbox, 'OPERATION', NULL, :purpose, :now, :token, :daemon)
					""")
				.param("sandbox", sandbox)
				.param("daemon", this.daemon.id())
				.param("purpose", purpose)
				.param("now", timestamp(now))
				.param("token", token)
				.update();
			if (rows == 1) {
				return new SandboxLease(sandbox, SandboxLease.Kind.OPERATION, null, purpose, now, token);
			}
		}
		catch (DuplicateKeyException ex) {
			// held: say by whom below
		}
		throw busy(sandbox, purpose);
	}

	/**
	 * Runs {@code action} holding the sandbox's lease; {@link SandboxBusyException} if
	 * someone else holds it.
	 */
	public <T> T holding(String sandbox, String purpose, Supplier<T> action) {
		SandboxLease lease = acquire(sandbox, purpose);
		try {
			return action.get();
		}
		finally {
			release(lease);
		}
	}

	/** As {@link #holding(String, String, Supplier)}, for an action with no result. */
	public void holding(String sandbox, String purpose, Runnable action) {
		holding(sandbox, purpose, () -> {
			action.run();
			return null;
		});
	}

	/**
	 * Gives an operation's lease back; a lease already gone (released at start-up) is no
	 * error.
	 */
	public void release(SandboxLease lease) {
		this.jdbc.sql("DELETE FROM sandbox_leases WHERE sandbox = :sandbox AND token = :token")
			.param("sandbox", lease.sandbox())
			.param("token", lease.token())
			.update();
	}

	/**
	 * Takes the lease for a job being claimed. Call it inside the claim's transaction: it
	 * throws {@link DuplicateKeyException} when the sandbox is leased, and returns false
	 * when it is quarantined, and the caller rolls back either way.
	 */
	public boolean acquireForJob(String sandbox, long jobId, Instant now) {
		return this.jdbc.sql("""
				INSERT INTO sandbox_leases (sandbox, kind, job_id, purpose, taken_at, token)
				SELECT :sandbox, 'JOB', :job, :purpose, :now, :token FROM (VALUES (1)) AS one(x)
				WHERE NOT EXISTS (SELECT 1 FROM sandbox_quarantine q WHERE q.sandbox = :sandbox)
				""")
			.param("sandbox", sandbox)
			.param("job", jobId)
			.param("purpose", "job " + jobId)
			.param("now", timestamp(now))
			.param("token", UUID.randomUUID().toString())
			.update() == 1;
	}

	/**
	 * Gives a job's lease back when the job ends (inside the transaction of its terminal
	 * state change).
	 */
	public void releaseForJob(long jobId) {
		this.jdbc.sql("DELETE FROM sandbox_leases WHERE kind = 'JOB' AND job_id = :job").param("job", jobId).update();
	}

	/** Who holds the sandbox now, if anyone. */
	public Optional<SandboxLease> holder(String sandbox) {
		return this.jdbc.sql("SELECT * FROM sandbox_leases WHERE sandbox = :sandbox")
			.param("sandbox", sandbox)
			.query(SandboxLeases::lease)
			.optional();
	}

	/** Every lease held now, by sandbox. */
	public List<SandboxLease> all() {
		return this.jdbc.sql("SELECT * FROM sandbox_leases ORDER BY sandbox").query(SandboxLeases::lease).list();
	}

	/** The sandboxes where no job may be claimed now: leased or quarantined. */
	public Set<String> unavailable() {
		Set<String> names = new HashSet<>(
				this.jdbc.sql("SELECT sandbox FROM sandbox_leases").query(String.class).list());
		names.addAll(this.jdbc.sql("SELECT sandbox FROM sandbox_quarantine").query(String.class).list());
		return names;
	}

	/**
	 * Drops the operation leases of daemon runs that are over (a previous run of this
	 * daemon, or a daemon declared dead): operations live in a daemon's memory and died
	 * with it. Live daemons' leases stay; job leases stay until recovery settles their
	 * jobs.
	 */
	public void releaseLeftOperationLeases() {
		int rows = this.jdbc.sql("""
				DELETE FROM sandbox_leases WHERE kind = 'OPERATION' AND (daemon_id IS NULL OR NOT EXISTS
				  (SELECT 1 FROM daemons d WHERE d.id = sandbox_leases.daemon_id AND d.stopped_at IS NULL))
				""").update();
		if (rows > 0) {
			logger.info("Released {} sandbox lease(s) of operations that a stopped daemon left unfinished", rows);
		}
	}

	private SandboxBusyException busy(String sandbox, String purpose) {
		Optional<SandboxLease> lease = holder(sandbox);
		String holder = lease.map(SandboxLease::describe).orElse("another operation just finished with it");
		String wait = lease.filter((held) -> held.kind() == SandboxLease.Kind.JOB)
			.map((held) -> "wait for it ('dilxc-client job " + held.jobId() + "') or cancel it ('dilxc-client cancel "
					+ held.jobId() + "')")
			.orElse("wait for it to finish");
		return new SandboxBusyException("sandbox '" + sandbox + "' is busy: " + holder + "; the " + purpose
				+ " was not started: " + wait + ", then try again");
	}

	private static SandboxLease lease(ResultSet rs, int row) throws SQLException {
		long job = rs.getLong("job_id");
		return new SandboxLease(rs.getString("sandbox"), SandboxLease.Kind.valueOf(rs.getString("kind")),
				rs.wasNull() ? null : job, rs.getString("purpose"), instant(rs, "taken_at"), rs.getString("token"));
	}

	/** A NOT NULL timestamp column (every one the leases and quarantines read). */
	static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = Objects.requireNonNull(rs.getObject(column, OffsetDateTime.class), column);
		return value.toInstant();
	}

	static @Nullable OffsetDateTime timestamp(@Nullable Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

}
