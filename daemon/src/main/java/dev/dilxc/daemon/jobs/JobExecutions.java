package dev.dilxc.daemon.jobs;

import java.time.Clock;

import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.daemon.MonotonicClock;
import dev.dilxc.daemon.cluster.ClusterProperties;
import dev.dilxc.daemon.sandboxes.AgentSandbox;
import dev.dilxc.daemon.sandboxes.SandboxPlacement;
import dev.dilxc.daemon.sandboxes.WorkingCopy;
import dev.dilxc.daemon.snapshots.JobSnapshots;

/**
 * Makes a {@link JobExecution} for each claimed job, with everything an execution needs.
 */
@Component
class JobExecutions {

	private final JobRepository jobs;

	private final AgentSandbox sandboxes;

	private final JobSnapshots snapshots;

	private final JobsProperties properties;

	private final Clock clock;

	private final MonotonicClock monotonic;

	private final JsonMapper json;

	private final WorkingCopy workingCopy;

	private final ChangeCapture changes;

	private final SandboxRepair repair;

	private final FreeSpace freeSpace;

	private final SandboxPlacement placement;

	private final ClusterProperties cluster;

	JobExecutions(JobRepository jobs, AgentSandbox sandboxes, JobSnapshots snapshots, JobsProperties properties,
			Clock clock, MonotonicClock monotonic, JsonMapper json, WorkingCopy workingCopy, ChangeCapture changes,
			SandboxRepair repair, FreeSpace freeSpace, SandboxPlacement placement, ClusterProperties cluster) {
		this.placement = placement;
		this.cluster = cluster;
		this.repair = repair;
		this.freeSpace = freeSpace;
		this.workingCopy = workingCopy;
		this.changes = changes;
		this.jobs = jobs;
		this.sandboxes = sandboxes;
		this.snapshots = snapshots;
		this.properties = properties;
		this.clock = clock;
		this.monotonic = monotonic;
		this.json = json;
	}

	JobExecution forJob(JobRow job) {
		return new JobExecution(job, this.jobs, this.sandboxes, this.snapshots, this.properties, this.clock,
				this.monotonic, this.json, this.workingCopy, this.changes, this.repair, this.freeSpace, this.placement,
				this.cluster.memberCheckInterval());
	}

}
