package dev.dilxc.api;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /api/system/status} answers: the daemon's health at a glance, for {@code dilxc-client status}.
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
 * @param quarantined the sandboxes that need attention (no job starts in them until repaired), oldest first;
 *        null from a daemon older than quarantine
 * @param warnings what needs the user's attention before it stops jobs (little free space on the data
 *        directory's disk or in the storage pool), in words; null from a daemon older than these warnings
 * @param newestBackup the newest backup of the database, or null when there is none yet (or from a daemon older
 *        than backups)
 */
public record DaemonStatus(String version, Instant startedAt, long uptimeSeconds, boolean lxdReachable,
		String lxdVersion, String lxdError, int queuedJobs, List<RunningJob> runningJobs, NextSchedule nextSchedule,
		String dataDirectory, long dataDirectoryBytes, String socket, List<QuarantineView> quarantined,
		List<String> warnings, Backup newestBackup) {

	/**
	 * A job that holds its sandbox.
	 *
	 * @param id the job's id
	 * @param sandbox its sandbox
	 * @param state SNAPSHOTTING or RUNNING
	 * @param startedAt when its agent started, null while snapshotting
	 */
	public record RunningJob(long id, String sandbox, JobState state, Instant startedAt) {
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
	 * A backup zip of the database, which {@code dilxc-daemon --restore-backup PATH} restores.
	 *
	 * @param path the zip
	 * @param takenAt when it was taken
	 * @param reason why: {@code scheduled}, {@code before-V8} (before a migration changed the database), ...
	 */
	public record Backup(String path, Instant takenAt, String reason) {
	}
}
