package dev.dilxc.api;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What {@code GET /api/system/status} answers: the daemon's health at a glance, for
 * {@code dilxc-client status}.
 *
 * @param version the daemon's version
 * @param startedAt when this daemon process started
 * @param uptimeSeconds seconds since {@code startedAt}
 * @param lxdReachable whether LXD answered a short query just now
 * @param lxdVersion LXD's server version when it answered, else null
 * @param lxdError why LXD did not answer (timeout, missing client, permission), else null
 * @param queuedJobs how many jobs wait for their sandbox
 * @param runningJobs the jobs holding a sandbox now, oldest first
 * @param nextSchedule the schedule that fires next, or null when none is active
 * @param dataDirectory where the daemon keeps its database
 * @param dataDirectoryBytes the size of everything under {@code dataDirectory}
 * @param socket the Unix socket the daemon listens on
 * @param quarantined the sandboxes that need attention (no job starts in them until
 * repaired), oldest first; null from a daemon older than quarantine
 * @param warnings what needs the user's attention before it stops jobs (little free space
 * on the data directory's disk or in the storage pool), in words; null from a daemon
 * older than these warnings
 * @param newestBackup the newest backup of the database, or null when there is none yet
 * (or from a daemon older than backups)
 * @param databaseBytes the size of the database file ({@code dilxc.mv.db} in
 * {@code dataDirectory})
 * @param retention what the history keeps and what the last sweep removed; null from a
 * daemon older than retention
 * @param lxdBackend which back end the daemon drives, {@code LXD} or {@code Incus}; null
 * when it cannot tell (neither answers, or both do and none is chosen) and from a daemon
 * older than Incus support
 * @param lxdBackendChoice why that back end: the setting that names it, or what
 * {@code dilxc.lxd.backend: auto} found; null with {@code lxdBackend}
 * @param store the database and the daemons sharing it; null from a daemon older than
 * several daemons
 * @param cluster the LXD or Incus cluster the daemon's back end belongs to, or null when
 * it is not clustered (or did not answer)
 */
public record DaemonStatus(String version, Instant startedAt, long uptimeSeconds, boolean lxdReachable,
		@Nullable String lxdVersion, @Nullable String lxdError, int queuedJobs, List<RunningJob> runningJobs,
		@Nullable NextSchedule nextSchedule, String dataDirectory, long dataDirectoryBytes, String socket,
		@Nullable List<QuarantineView> quarantined, @Nullable List<String> warnings, @Nullable Backup newestBackup,
		long databaseBytes, @Nullable Retention retention, @Nullable String lxdBackend,
		@Nullable String lxdBackendChoice, @Nullable Store store, @Nullable Cluster cluster) {

	/**
	 * A status with no cluster part (not clustered, or from a daemon older than
	 * clusters).
	 */
	public DaemonStatus(String version, Instant startedAt, long uptimeSeconds, boolean lxdReachable,
			@Nullable String lxdVersion, @Nullable String lxdError, int queuedJobs, List<RunningJob> runningJobs,
			@Nullable NextSchedule nextSchedule, String dataDirectory, long dataDirectoryBytes, String socket,
			@Nullable List<QuarantineView> quarantined, @Nullable List<String> warnings, @Nullable Backup newestBackup,
			long databaseBytes, @Nullable Retention retention, @Nullable String lxdBackend,
			@Nullable String lxdBackendChoice, @Nullable Store store) {
		this(version, startedAt, uptimeSeconds, lxdReachable, lxdVersion, lxdError, queuedJobs, runningJobs,
				nextSchedule, dataDirectory, dataDirectoryBytes, socket, quarantined, warnings, newestBackup,
				databaseBytes, retention, lxdBackend, lxdBackendChoice, store, null);
	}

	/** A status with no store part (from a daemon older than several daemons). */
	public DaemonStatus(String version, Instant startedAt, long uptimeSeconds, boolean lxdReachable,
			@Nullable String lxdVersion, @Nullable String lxdError, int queuedJobs, List<RunningJob> runningJobs,
			@Nullable NextSchedule nextSchedule, String dataDirectory, long dataDirectoryBytes, String socket,
			@Nullable List<QuarantineView> quarantined, @Nullable List<String> warnings, @Nullable Backup newestBackup,
			long databaseBytes, @Nullable Retention retention, @Nullable String lxdBackend,
			@Nullable String lxdBackendChoice) {
		this(version, startedAt, uptimeSeconds, lxdReachable, lxdVersion, lxdError, queuedJobs, runningJobs,
				nextSchedule, dataDirectory, dataDirectoryBytes, socket, quarantined, warnings, newestBackup,
				databaseBytes, retention, lxdBackend, lxdBackendChoice, null, null);
	}

	/**
	 * The LXD or Incus cluster behind the daemon.
	 *
	 * @param member the member the daemon talks to (its own)
	 * @param members every member, by name
	 */
	public record Cluster(String member, List<ClusterMember> members) {
	}

	/**
	 * One member of the cluster.
	 *
	 * @param name its name
	 * @param status {@code ONLINE}, {@code OFFLINE}, {@code EVACUATED}...
	 * @param message what the cluster says of it ({@code Fully operational},
	 * {@code No heartbeat for 31s (...)})
	 * @param address its cluster address (host part)
	 * @param sandboxes how many of dilxc's sandboxes it holds
	 * @param queuedJobs how many queued jobs wait for its sandboxes
	 */
	public record ClusterMember(String name, String status, String message, String address, int sandboxes,
			int queuedJobs) {

		public boolean isOnline() {
			return "ONLINE".equals(this.status);
		}

	}

	/**
	 * Where the history lives, and who shares it.
	 *
	 * @param kind {@code H2} or {@code PostgreSQL}
	 * @param location the H2 file, or the PostgreSQL URL without credentials
	 * @param daemon this daemon run's id
	 * @param daemons the daemon runs sharing the store that are alive now (this one among
	 * them), oldest first
	 * @param clockSkewMillis how far this host's clock is ahead of the database server's
	 * (negative: behind); 0 on H2
	 */
	public record Store(String kind, String location, String daemon, List<Daemon> daemons, long clockSkewMillis) {
	}

	/**
	 * A daemon run sharing the store.
	 *
	 * @param id its id (name and a suffix per start)
	 * @param host the host it runs on
	 * @param startedAt when it started
	 * @param heartbeatAt its last heartbeat, by the database's clock
	 * @param runningJobs how many jobs it runs now
	 */
	public record Daemon(String id, String host, Instant startedAt, Instant heartbeatAt, int runningJobs) {
	}

	/**
	 * The retention settings ({@code dilxc.retention.*}) and the last sweep.
	 *
	 * @param maxAgeSeconds how long a finished job is kept; 0 forever
	 * @param maxJobsPerSandbox how many of a sandbox's newest jobs are kept; 0 no limit
	 * @param bulkMaxAgeSeconds how long a job's output, diff and transcript are kept; 0
	 * as long as the job
	 * @param lastSweep the last sweep since the daemon started, or null before the first
	 */
	public record Retention(long maxAgeSeconds, int maxJobsPerSandbox, long bulkMaxAgeSeconds,
			@Nullable Sweep lastSweep) {
	}

	/**
	 * What one retention sweep removed.
	 *
	 * @param at when it ended
	 * @param jobsDeleted finished jobs deleted with their history
	 * @param jobsPruned jobs whose output, diff and transcript were dropped (their
	 * summary is kept)
	 * @param notificationsDeleted delivered (or given up) notifications deleted
	 * @param scheduleEventsDeleted schedule events deleted
	 * @param error why it stopped early, or null (the next sweep goes on from there)
	 */
	public record Sweep(Instant at, long jobsDeleted, long jobsPruned, long notificationsDeleted,
			long scheduleEventsDeleted, @Nullable String error) {
	}

	/**
	 * A job that holds its sandbox.
	 *
	 * @param id the job's id
	 * @param sandbox its sandbox
	 * @param state SNAPSHOTTING or RUNNING
	 * @param startedAt when its agent started, null while snapshotting
	 * @param daemon the daemon run running it; null from an older daemon
	 * @param member the cluster member holding its sandbox, or null outside a cluster
	 */
	public record RunningJob(long id, String sandbox, JobState state, @Nullable Instant startedAt,
			@Nullable String daemon, @Nullable String member) {

		/** A running job with no daemon named (from an older daemon). */
		public RunningJob(long id, String sandbox, JobState state, @Nullable Instant startedAt) {
			this(id, sandbox, state, startedAt, null, null);
		}

		/** A running job outside a cluster. */
		public RunningJob(long id, String sandbox, JobState state, @Nullable Instant startedAt,
				@Nullable String daemon) {
			this(id, sandbox, state, startedAt, daemon, null);
		}

	}

	/**
	 * The next schedule firing.
	 *
	 * @param scheduleId the schedule
	 * @param sandbox the sandbox it runs in
	 * @param at when it fires
	 */
	public record NextSchedule(long scheduleId, String sandbox, Instant at) {
	}

	/**
	 * A backup zip of the database, which {@code dilxc-daemon --restore-backup PATH}
	 * restores.
	 *
	 * @param path the zip
	 * @param takenAt when it was taken
	 * @param reason why: {@code scheduled}, {@code before-V8} (before a migration changed
	 * the database), ...
	 */
	public record Backup(String path, Instant takenAt, String reason) {
	}
}
