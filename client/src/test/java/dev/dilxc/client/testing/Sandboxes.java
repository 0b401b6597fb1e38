package dev.dilxc.client.testing;

import java.time.Instant;
import java.util.List;

import dev.dilxc.api.CheckReport;
import dev.dilxc.api.CheckResult;
import dev.dilxc.api.DaemonStatus;
import dev.dilxc.api.JobState;
import dev.dilxc.api.OperationEvent;
import dev.dilxc.api.OperationEvents;
import dev.dilxc.api.OperationState;
import dev.dilxc.api.OperationView;
import dev.dilxc.api.QuarantineView;
import dev.dilxc.api.SandboxView;
import dev.dilxc.api.SnapshotView;

/** Test data: sandboxes, snapshots, operations and check reports. */
public final class Sandboxes {

	public static final Instant CREATED = Instant.parse("2026-11-20T08:30:00Z");

	private Sandboxes() {
	}

	/**
	 * A healthy daemon up 2h05m, LXD 5.0.2, one job queued and job 12 running in web,
	 * schedule 3 due at 11:00, the database backed up at 03:00.
	 */
	public static DaemonStatus daemonStatus() {
		Instant started = Instant.parse("2026-11-27T07:55:00Z");
		return new DaemonStatus("0.5.0", started, 7500, true, "5.0.2", null, 1,
				List.of(new DaemonStatus.RunningJob(12, "web", JobState.RUNNING,
						Instant.parse("2026-11-27T09:56:30Z"))),
				new DaemonStatus.NextSchedule(3, "web", Instant.parse("2026-11-27T11:00:00Z")),
				"/home/me/.local/share/dilxc", 13_002_342L, "/run/user/1000/dilxc/daemon.sock", List.of(), List.of(),
				new DaemonStatus.Backup("/home/me/.local/share/dilxc/backups/dilxc-20261127T030000Z-scheduled.zip",
						Instant.parse("2026-11-27T03:00:00Z"), "scheduled"),
				9_543_210L, new DaemonStatus.Retention(90 * 86_400, 1000, 14 * 86_400,
						new DaemonStatus.Sweep(Instant.parse("2026-11-27T08:56:00Z"), 12, 40, 3, 5, null)),
				null, null);
	}

	/** The same daemon with LXD down, and no backup yet. */
	public static DaemonStatus daemonStatusLxdDown() {
		DaemonStatus up = daemonStatus();
		return new DaemonStatus(up.version(), up.startedAt(), up.uptimeSeconds(), false, null,
				"could not run 'lxc' (is LXD installed? set dilxc.lxd.executable)", 0, List.of(), null,
				up.dataDirectory(), up.dataDirectoryBytes(), up.socket(), List.of(), List.of(), null,
				up.databaseBytes(), up.retention(), null, null);
	}

	/**
	 * Sandbox {@code sandbox} quarantined since 09:40 after job 12's restore failed; the
	 * daemon retries at 10:05.
	 */
	public static QuarantineView quarantine(String sandbox) {
		return new QuarantineView(sandbox, 12L, "RESTORE",
				"restoring dilxc-job-12 failed: Error: Instance is busy\nsecond line", true,
				Instant.parse("2026-11-27T09:40:00Z"), 2, Instant.parse("2026-11-27T10:05:00Z"), "still busy");
	}

	/** The healthy daemon with {@code sandboxes} quarantined. */
	public static DaemonStatus daemonStatus(QuarantineView... quarantined) {
		DaemonStatus up = daemonStatus();
		return new DaemonStatus(up.version(), up.startedAt(), up.uptimeSeconds(), up.lxdReachable(), up.lxdVersion(),
				up.lxdError(), up.queuedJobs(), up.runningJobs(), up.nextSchedule(), up.dataDirectory(),
				up.dataDirectoryBytes(), up.socket(), List.of(quarantined), List.of(), up.newestBackup(),
				up.databaseBytes(), up.retention(), up.lxdBackend(), up.lxdBackendChoice());
	}

	/** The healthy daemon driving Incus, chosen as {@code choice} says. */
	public static DaemonStatus daemonStatusOnIncus(String choice) {
		DaemonStatus up = daemonStatus();
		return new DaemonStatus(up.version(), up.startedAt(), up.uptimeSeconds(), up.lxdReachable(), "6.0.4",
				up.lxdError(), up.queuedJobs(), up.runningJobs(), up.nextSchedule(), up.dataDirectory(),
				up.dataDirectoryBytes(), up.socket(), List.of(), List.of(), up.newestBackup(), up.databaseBytes(),
				up.retention(), "Incus", choice);
	}

	/**
	 * The healthy daemon sharing a PostgreSQL database with two others: job 12 runs on
	 * build-2.
	 */
	public static DaemonStatus daemonStatusOnPostgresql() {
		DaemonStatus up = daemonStatus();
		Instant beat = Instant.parse("2026-11-27T10:04:58Z");
		DaemonStatus.Store store = new DaemonStatus.Store("PostgreSQL", "jdbc:postgresql://db.internal:5432/dilxc",
				"build-1:3f9a2c",
				List.of(new DaemonStatus.Daemon("build-2:81d0e4", "build-2", up.startedAt(), beat, 1),
						new DaemonStatus.Daemon("build-1:3f9a2c", "build-1", up.startedAt(), beat, 0),
						new DaemonStatus.Daemon("ci:c27b55", "ci-host", up.startedAt(), beat, 0)),
				12);
		return new DaemonStatus(up.version(), up.startedAt(), up.uptimeSeconds(), up.lxdReachable(), up.lxdVersion(),
				up.lxdError(), up.queuedJobs(),
				List.of(new DaemonStatus.RunningJob(12, "web", JobState.RUNNING, Instant.parse("2026-11-27T09:56:30Z"),
						"build-2:81d0e4")),
				up.nextSchedule(), up.dataDirectory(), 4096, up.socket(), List.of(), List.of(), null, 9_543_210L,
				up.retention(), up.lxdBackend(), up.lxdBackendChoice(), store);
	}

	/**
	 * {@code status} in an LXD cluster of three members: this daemon talks to member1;
	 * job 12 runs in web on member2; member3 is offline with 2 queued jobs waiting for
	 * its sandbox.
	 */
	public static DaemonStatus daemonStatusInCluster(DaemonStatus status) {
		DaemonStatus.Cluster cluster = new DaemonStatus.Cluster("member1",
				List.of(new DaemonStatus.ClusterMember("member1", "ONLINE", "Fully operational", "10.42.0.11", 2, 0),
						new DaemonStatus.ClusterMember("member2", "ONLINE", "Fully operational", "10.42.0.12", 1, 0),
						new DaemonStatus.ClusterMember("member3", "OFFLINE",
								"No heartbeat for 31s (2026-11-27 10:04:29 +0000 UTC)", "10.42.0.13", 1, 2)));
		List<DaemonStatus.RunningJob> running = status.runningJobs()
			.stream()
			.map((job) -> new DaemonStatus.RunningJob(job.id(), job.sandbox(), job.state(), job.startedAt(),
					job.daemon(), "member2"))
			.toList();
		return new DaemonStatus(status.version(), status.startedAt(), status.uptimeSeconds(), status.lxdReachable(),
				status.lxdVersion(), status.lxdError(), 2, running, status.nextSchedule(), status.dataDirectory(),
				status.dataDirectoryBytes(), status.socket(), status.quarantined(), status.warnings(),
				status.newestBackup(), status.databaseBytes(), status.retention(), status.lxdBackend(),
				status.lxdBackendChoice(), status.store(), cluster);
	}

	/** The healthy daemon warning about {@code warnings} (little free space). */
	public static DaemonStatus daemonStatusWarning(String... warnings) {
		DaemonStatus up = daemonStatus();
		return new DaemonStatus(up.version(), up.startedAt(), up.uptimeSeconds(), up.lxdReachable(), up.lxdVersion(),
				up.lxdError(), up.queuedJobs(), up.runningJobs(), up.nextSchedule(), up.dataDirectory(),
				up.dataDirectoryBytes(), up.socket(), List.of(), List.of(warnings), up.newestBackup(),
				up.databaseBytes(), up.retention(), up.lxdBackend(), up.lxdBackendChoice());
	}

	/** A running sandbox that is quarantined. */
	public static SandboxView quarantined(String name) {
		SandboxView view = running(name);
		return new SandboxView(view.name(), view.status(), view.managed(), view.image(), view.projectSource(),
				view.deployPath(), view.ipv4(), view.cpuLimit(), view.memoryLimit(), view.memoryUsageBytes(),
				view.diskUsageBytes(), view.processes(), view.createdAt(), view.snapshots(), quarantine(name));
	}

	/**
	 * {@code view} held by cluster member {@code member}, which cannot be reached when
	 * {@code away} (why) is set.
	 */
	public static SandboxView onMember(SandboxView view, String member, String away) {
		return new SandboxView(view.name(), view.status(), view.managed(), view.image(), view.projectSource(),
				view.deployPath(), view.ipv4(), view.cpuLimit(), view.memoryLimit(), view.memoryUsageBytes(),
				view.diskUsageBytes(), view.processes(), view.createdAt(), view.snapshots(), view.quarantine(), member,
				away);
	}

	public static SnapshotView snapshot(String name, Long jobId) {
		return new SnapshotView(name, CREATED.plusSeconds(3600), jobId);
	}

	public static SandboxView running(String name) {
		return new SandboxView(name, "RUNNING", true, "dilxc-golden", "/home/me/proj", null, List.of("10.0.3.5 (eth0)"),
				"2", "8GiB", 1_288_490_189L, 3_650_722_201L, 42, CREATED,
				List.of(snapshot("clean-baseline", null), snapshot("dilxc-job-7", 7L)), null);
	}

	public static SandboxView stopped(String name) {
		return new SandboxView(name, "STOPPED", false, null, null, null, List.of(), null, null, null, null, null,
				CREATED, List.of(), null);
	}

	public static OperationView operation(long id, String kind, String sandbox, OperationState state, String error) {
		return new OperationView(id, kind, sandbox, state, CREATED, state.isTerminal() ? CREATED.plusSeconds(9) : null,
				error);
	}

	public static OperationEvent step(long seq, int step, int steps, String text) {
		return new OperationEvent(seq, CREATED, "step", step, steps, text);
	}

	public static OperationEvent line(long seq, String text) {
		return new OperationEvent(seq, CREATED, "line", null, null, text);
	}

	public static OperationEvents events(OperationView operation, OperationEvent... events) {
		return new OperationEvents(operation, List.of(events));
	}

	public static CheckReport report(String subject, CheckResult... checks) {
		return new CheckReport(subject, List.of(checks));
	}

}
