package dev.dilxc.daemon.jobs;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.dilxc.api.JobState;
import dev.dilxc.daemon.LogContext;
import dev.dilxc.daemon.MonotonicClock;
import dev.dilxc.daemon.cluster.DaemonRegistry;
import dev.dilxc.daemon.leases.SandboxLeases;
import dev.dilxc.daemon.leases.SandboxQuarantines;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.sandboxes.AgentSandbox;
import dev.dilxc.daemon.snapshots.JobSnapshots;

/**
 * Settles the jobs a daemon left SNAPSHOTTING or RUNNING (it crashed or was killed: this
 * daemon's previous run, or on a shared PostgreSQL another daemon declared dead): their
 * agents are ended inside the sandbox, the restore policy applies as for a failure, and
 * they become INTERRUPTED. They are never re-run: an agent run is not idempotent. Each is
 * first adopted by one guarded UPDATE, so two live daemons never settle the same job.
 */
@Component
class JobRecovery {

	private static final Logger logger = LoggerFactory.getLogger(JobRecovery.class);

	private final JobRepository jobs;

	private final AgentSandbox sandboxes;

	private final JobSnapshots snapshots;

	private final Clock clock;

	private final ChangeCapture changes;

	private final JobEvents events;

	private final SandboxRepair repair;

	private final SandboxLeases leases;

	private final DaemonRegistry daemons;

	JobRecovery(JobRepository jobs, AgentSandbox sandboxes, JobSnapshots snapshots, Clock clock, ChangeCapture changes,
			JobEvents events, SandboxRepair repair, SandboxLeases leases, DaemonRegistry daemons) {
		this.daemons = daemons;
		this.repair = repair;
		this.leases = leases;
		this.changes = changes;
		this.events = events;
		this.jobs = jobs;
		this.sandboxes = sandboxes;
		this.snapshots = snapshots;
		this.clock = clock;
	}

	/**
	 * Declares dead the daemon runs that are (on H2: every earlier run of this daemon; on
	 * PostgreSQL: those whose heartbeat is older than {@code dilxc.cluster.dead-after}),
	 * drops their operation leases, and settles every job left holding a sandbox by a run
	 * that is over. Returns the ids of the jobs this call settled.
	 */
	List<Long> settleInterruptedJobs() {
		this.daemons.declareDead();
		this.leases.releaseLeftOperationLeases();
		List<Long> settled = new ArrayList<>();
		for (JobRow job : this.jobs.orphans()) {
			if (!this.jobs.adopt(job)) {
				continue; // another daemon took it over first
			}
			try (LogContext log = LogContext.job(job.id(), job.sandbox())) {
				settle(job);
			}
			settled.add(job.id());
		}
		return settled;
	}

	private void settle(JobRow job) {
		boolean elsewhere = this.daemons.store().shared() && job.daemonId() != null;
		if (elsewhere) {
			logger.warn("Job {} was {} on daemon {}, which is dead; marking it INTERRUPTED", job.id(), job.state(),
					job.daemonId());
		}
		else {
			logger.warn("Job {} was {} when the daemon stopped; marking it INTERRUPTED", job.id(), job.state());
		}
		this.jobs.addHistory(job.id(), job.state(), "RECOVERY",
				elsewhere
						? "daemon " + job.daemonId() + " died while the job was " + job.state() + "; daemon "
								+ this.daemons.self().id() + " settles it; it will not be re-run"
						: "the daemon restarted while the job was " + job.state() + "; it will not be re-run",
				this.clock.instant());
		String reason = elsewhere
				? "daemon " + job.daemonId() + " died while the job was " + job.state()
						+ " (crash, kill or lost contact); it was not re-run"
				: "the daemon stopped while the job was " + job.state() + " (crash or kill); it was not re-run";
		InstanceName sandbox = job.instance();
		try {
			List<Integer> killed = this.sandboxes.killAgent(sandbox, job.id());
			this.jobs.addHistory(job.id(), job.state(), "PROCESSES_KILLED", killed.isEmpty()
					? "no agent process was left in the sandbox" : "ended leftover agent process(es): " + killed,
					this.clock.instant());
			String base = job.changeBase();
			if (job.state() == JobState.RUNNING && base != null) {
				captureChanges(job, base, sandbox);
			}
			if (job.restorePolicy().restoresAfter(JobState.INTERRUPTED)
					&& this.snapshots.hasPreJob(sandbox, job.id())) {
				for (String step : this.snapshots.keepStateAndRestore(sandbox, job.id(), false, this.clock.instant())) {
					this.jobs.addHistory(job.id(), job.state(), "RESTORE", step, this.clock.instant());
				}
				this.jobs.recordRestoredTo(job.id(), JobSnapshots.preJobName(job.id()));
				reason += "; sandbox restored to " + JobSnapshots.preJobName(job.id());
			}
		}
		catch (RuntimeException ex) {
			this.jobs.addHistory(job.id(), job.state(), "RECOVERY_FAILED", ex.getMessage(), this.clock.instant());
			// LXD may not be up yet (a boot): the repair retries with backoff until it
			// is.
			this.repair.quarantine(job, SandboxQuarantines.Step.RECOVERY, ex.getMessage(),
					job.restorePolicy().restoresAfter(JobState.INTERRUPTED) && job.snapshot() != null, job.state());
			reason += "; cleaning up the sandbox failed: " + ex.getMessage()
					+ "; sandbox quarantined until a repair succeeds";
		}
		this.jobs.transition(job.id(), job.state(), JobState.INTERRUPTED, this.clock.instant(), reason);
		this.events.finished(job.id());
	}

	/**
	 * Before the restore, as for a job that ends normally; never in the way of the
	 * restore itself.
	 */
	private void captureChanges(JobRow job, String base, InstanceName sandbox) {
		try {
			// Only its masking is used: nothing is recorded, no silence measured.
			OutputRecorder masks = new OutputRecorder(job.id(), this.jobs, this.clock, MonotonicClock.SYSTEM,
					this.sandboxes.secretValues(sandbox), 0);
			this.changes.captureAndStore(sandbox, job.id(), base, job.sessionId(), masks::mask);
		}
		catch (RuntimeException ex) {
			this.jobs.addHistory(job.id(), job.state(), "CHANGES_FAILED",
					"could not capture the job's changes: " + ex.getMessage(), this.clock.instant());
		}
	}

}
