package dev.dilxc.daemon.sandboxes;

import java.util.List;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;

import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.SandboxView;
import dev.dilxc.daemon.jobs.JobQueue;
import dev.dilxc.daemon.lxd.InstanceDetails;
import dev.dilxc.daemon.lxd.Lxd;

/**
 * start, stop, restart and destroy. Each asks for an end state, so asking twice is not an error:
 * starting a running sandbox answers its view. Changes that would pull a sandbox from under a job or
 * an operation are refused with sandbox-busy; LXD's failures travel up as errors, never as success.
 */
@Service
class SandboxLifecycle {

	private final Lxd lxd;

	private final SandboxCatalog catalog;

	private final JobQueue jobs;

	private final Operations operations;

	SandboxLifecycle(Lxd lxd, SandboxCatalog catalog, JobQueue jobs, Operations operations) {
		this.lxd = lxd;
		this.catalog = catalog;
		this.jobs = jobs;
		this.operations = operations;
	}

	SandboxView start(String name) {
		InstanceDetails details = this.catalog.require(name);
		if (!details.isRunning()) {
			this.lxd.startInstance(details.name());
		}
		return this.catalog.describe(name);
	}

	SandboxView stop(String name) {
		InstanceDetails details = this.catalog.require(name);
		if (details.isRunning()) {
			refuseWhileAgentRuns(name, "stop");
			this.lxd.stopInstance(details.name());
		}
		return this.catalog.describe(name);
	}

	/** Restarts a running sandbox; a stopped one is started, so it ends running either way. */
	SandboxView restart(String name) {
		InstanceDetails details = this.catalog.require(name);
		if (details.isRunning()) {
			refuseWhileAgentRuns(name, "restart");
			this.lxd.restartInstance(details.name());
		}
		else {
			this.lxd.startInstance(details.name());
		}
		return this.catalog.describe(name);
	}

	/** Deletes the sandbox and all its snapshots, unless a job or an operation still needs it. */
	void destroy(String name) {
		InstanceDetails details = this.catalog.require(name);
		List<JobView> unfinished = this.jobs.unfinished(name);
		if (!unfinished.isEmpty()) {
			throw new SandboxException.Busy("sandbox '" + name + "' has unfinished job(s) " + ids(unfinished)
					+ ": cancel them first (dilxc-client cancel ID), then destroy it");
		}
		if (this.operations.isBusy(name)) {
			throw new SandboxException.Busy("an operation is running on sandbox '" + name
					+ "': wait for it to finish, then destroy it");
		}
		this.lxd.deleteInstance(details.name());
	}

	private void refuseWhileAgentRuns(String name, String verb) {
		List<JobView> running = this.jobs.unfinished(name).stream()
			.filter((job) -> job.state() != JobState.QUEUED)
			.toList();
		if (!running.isEmpty()) {
			throw new SandboxException.Busy("job " + ids(running) + " is running in sandbox '" + name + "': a " + verb
					+ " would kill its agent; cancel it first (dilxc-client cancel ID) or wait for it");
		}
	}

	private static String ids(List<JobView> jobs) {
		return jobs.stream().map((job) -> Long.toString(job.id())).collect(Collectors.joining(", "));
	}
}
