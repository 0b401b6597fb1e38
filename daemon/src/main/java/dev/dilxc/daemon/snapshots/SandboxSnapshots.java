package dev.dilxc.daemon.snapshots;

import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.dilxc.api.ProblemTypes;
import dev.dilxc.api.RestoreResult;
import dev.dilxc.api.SnapshotView;
import dev.dilxc.daemon.leases.SandboxLeases;
import dev.dilxc.daemon.leases.UnfinishedJobs;
import dev.dilxc.daemon.lxd.InstanceDetails;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.lxd.InstanceSnapshot;
import dev.dilxc.daemon.lxd.Lxd;
import dev.dilxc.daemon.lxd.LxdException;
import dev.dilxc.daemon.lxd.SnapshotExistsException;
import dev.dilxc.daemon.sandboxes.SandboxCatalog;
import dev.dilxc.daemon.sandboxes.SandboxException;

/**
 * The user's snapshots of a sandbox: list, take, restore, delete. Auto names never
 * collide, a restore first keeps the state it replaces and leaves the sandbox in the run
 * state it had, and nothing is pulled from under a running job.
 */
@Service
class SandboxSnapshots {

	private static final Logger logger = LoggerFactory.getLogger(SandboxSnapshots.class);

	static final int MAX_NAME = 63;

	private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

	private static final int MAX_SUFFIX = 1000;

	private final Lxd lxd;

	private final SandboxCatalog catalog;

	private final SandboxLeases leases;

	private final UnfinishedJobs jobs;

	private final Clock clock;

	private final JobSnapshots retention;

	SandboxSnapshots(Lxd lxd, SandboxCatalog catalog, SandboxLeases leases, UnfinishedJobs jobs, Clock clock,
			JobSnapshots retention) {
		this.jobs = jobs;
		this.retention = retention;
		this.lxd = lxd;
		this.catalog = catalog;
		this.leases = leases;
		this.clock = clock;
	}

	List<SnapshotView> list(String sandbox) {
		InstanceName name = this.catalog.require(sandbox).name();
		return this.lxd.listSnapshots(name).stream().map(SandboxCatalog::snapshotView).toList();
	}

	/**
	 * Takes a snapshot by that name, or {@code snap-YYYYMMDD-HHMMSS[-N]} (local time)
	 * when none is given.
	 */
	SnapshotView create(String sandbox, @Nullable String requested) {
		InstanceName name = this.catalog.require(sandbox).name();
		String taken = this.leases.holding(sandbox, "snapshot", () -> {
			if (requested == null || requested.isBlank()) {
				return takeUnique(name, "snap-" + stamp());
			}
			String given = validName(requested.strip());
			this.lxd.createSnapshot(name, given); // a taken name: snapshot-exists, mapped
													// by the problem advice
			return given;
		});
		return find(name, taken).map(SandboxCatalog::snapshotView)
			.orElse(new SnapshotView(taken, this.clock.instant(), SandboxCatalog.jobId(taken)));
	}

	/**
	 * Puts the sandbox back to the snapshot. The state it replaces is kept first as
	 * {@code pre-restore-<time>}, and the sandbox ends in the run state it had: a stopped
	 * one stays stopped.
	 */
	RestoreResult restore(String sandbox, String snapshot) {
		// Under the lease: a running job refuses it, and no queued job starts until the
		// restore is done.
		return this.leases.holding(sandbox, "restore", () -> restoreLeased(sandbox, snapshot));
	}

	private RestoreResult restoreLeased(String sandbox, String snapshot) {
		InstanceDetails details = this.catalog.require(sandbox);
		InstanceName name = details.name();
		requireSnapshot(name, sandbox, snapshot);
		boolean wasRunning = details.isRunning();
		String safety = takeUnique(name, "pre-restore-" + stamp());
		this.lxd.restoreSnapshot(name, snapshot);
		boolean runningNow = this.lxd.describeInstance(name).isRunning();
		if (wasRunning && !runningNow) {
			this.lxd.startInstance(name);
		}
		else if (!wasRunning && runningNow) {
			this.lxd.stopInstance(name);
		}
		// Each restore adds a pre-restore snapshot: keep-pre-restore bounds them (the one
		// just taken stays).
		try {
			this.retention.applyRetention(name, this.clock.instant());
		}
		catch (LxdException ex) {
			// The restore is done; a retention that failed is tried again after the next
			// job or restore.
			logger.warn("Snapshot retention in {} failed: {}", name, ex.getMessage());
		}
		return new RestoreResult(snapshot, safety, this.lxd.describeInstance(name).status().name());
	}

	/**
	 * Deletes one snapshot, holding the lease; refuses the pre-job snapshot of a job that
	 * has not ended (its restore needs it).
	 */
	void delete(String sandbox, String snapshot) {
		InstanceName name = this.catalog.require(sandbox).name();
		this.leases.holding(sandbox, "snapshot delete", () -> {
			requireSnapshot(name, sandbox, snapshot);
			Long jobId = SandboxCatalog.jobId(snapshot);
			if (jobId != null) {
				for (UnfinishedJobs.Pending job : this.jobs.of(sandbox)) {
					if (job.id() == jobId) {
						throw new SandboxException.Busy(
								"snapshot '" + snapshot + "' belongs to job " + jobId + ", which is " + job.state()
										+ ": its restore needs it; delete it once the job has ended (or cancel it: "
										+ "dilxc-client cancel " + jobId + ")");
					}
				}
			}
			this.lxd.deleteSnapshot(name, snapshot);
		});
	}

	/**
	 * A user-given snapshot name, checked against LXD's rules and the daemon's own names.
	 */
	static String validName(String name) {
		if (name.isEmpty() || name.length() > MAX_NAME || !VALID_NAME.matcher(name).matches()) {
			throw new SandboxException.BadRequest("'" + name + "' is not a valid snapshot name: use 1-" + MAX_NAME
					+ " letters, digits, '.', '_' and '-', starting with a letter or digit (no '/' or spaces)");
		}
		if (name.startsWith("dilxc-job-")) {
			throw new SandboxException.BadRequest("snapshot names starting with 'dilxc-job-' are the daemon's job "
					+ "snapshots (its retention deletes them): pick another name");
		}
		return name;
	}

	private String takeUnique(InstanceName name, String base) {
		for (int n = 1; n <= MAX_SUFFIX; n++) {
			String candidate = (n == 1) ? base : base + "-" + n;
			try {
				this.lxd.createSnapshot(name, candidate);
				return candidate;
			}
			catch (SnapshotExistsException ex) {
				// taken in the same second: try the next suffix
			}
		}
		throw new SandboxException.Conflict("sandbox '" + name + "' already has " + MAX_SUFFIX + " snapshots named "
				+ base + "*: delete some, or give a name");
	}

	private void requireSnapshot(InstanceName name, String sandbox, String snapshot) {
		if (find(name, snapshot).isEmpty()) {
			throw new SandboxException.Missing(ProblemTypes.SNAPSHOT_NOT_FOUND, "sandbox '" + sandbox
					+ "' has no snapshot '" + snapshot + "': 'dilxc-client @" + sandbox + " snapshots' lists them");
		}
	}

	private java.util.Optional<InstanceSnapshot> find(InstanceName name, String snapshot) {
		return this.lxd.listSnapshots(name).stream().filter((s) -> s.name().equals(snapshot)).findFirst();
	}

	private String stamp() {
		return STAMP.format(this.clock.instant().atZone(ZoneId.systemDefault()));
	}

}
