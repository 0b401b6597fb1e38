package dev.dilxc.daemon.sandboxes;

import java.util.List;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;

import dev.dilxc.api.SandboxView;
import dev.dilxc.daemon.leases.SandboxLeases;
import dev.dilxc.daemon.leases.SandboxQuarantines;
import dev.dilxc.daemon.leases.UnfinishedJobs;
import dev.dilxc.daemon.lxd.InstanceDetails;
import dev.dilxc.daemon.lxd.Lxd;

/**
 * start, stop, restart and destroy. Each asks for an end state, so asking twice is not an
 * error: starting a running sandbox answers its view. Changes that would pull a sandbox
 * from under a job or an operation are refused with sandbox-busy; LXD's failures travel
 * up as errors, never as success.
 */
@Service
class SandboxLifecycle {

	private final Lxd lxd;

	private final SandboxCatalog catalog;

	private final UnfinishedJobs jobs;

	private final SandboxLeases leases;

	private final SandboxQuarantines quarantines;

	SandboxLifecycle(Lxd lxd, SandboxCatalog catalog, UnfinishedJobs jobs, SandboxLeases leases,
			SandboxQuarantines quarantines) {
		this.lxd = lxd;
		this.catalog = catalog;
		this.jobs = jobs;
		this.leases = leases;
		this.quarantines = quarantines;
	}

	SandboxView start(String name) {
		InstanceDetails details = this.catalog.require(name);
		if (!details.isRunning()) {
			this.leases.holding(name, "start", () -> this.lxd.startInstance(details.name()));
		}
		return this.catalog.describe(name);
	}

	/**
	 * Stops a running sandbox; a job's lease refuses it, since a stop would kill the
	 * agent.
	 */
	SandboxView stop(String name) {
		InstanceDetails details = this.catalog.require(name);
		if (details.isRunning()) {
			this.leases.holding(name, "stop", () -> this.lxd.stopInstance(details.name()));
		}
		return this.catalog.describe(name);
	}

	/**
	 * Restarts a running sandbox; a stopped one is started, so it ends running either
	 * way.
	 */
	SandboxView restart(String name) {
		InstanceDetails details = this.catalog.require(name);
		this.leases.holding(name, "restart", () -> {
			if (details.isRunning()) {
				this.lxd.restartInstance(details.name());
			}
			else {
				this.lxd.startInstance(details.name());
			}
		});
		return this.catalog.describe(name);
	}

	/**
	 * Deletes the sandbox and all its snapshots, unless a job or an operation still needs
	 * it. Its quarantine goes with it: a new sandbox of that name starts sound.
	 */
	void destroy(String name) {
		InstanceDetails details = this.catalog.require(name);
		this.leases.holding(name, "destroy", () -> {
			List<UnfinishedJobs.Pending> unfinished = this.jobs.of(name);
			if (!unfinished.isEmpty()) {
				throw new SandboxException.Busy("sandbox '" + name + "' has unfinished job(s) " + ids(unfinished)
						+ ": cancel them first (dilxc-client cancel ID), then destroy it");
			}
			this.lxd.deleteInstance(details.name());
			this.quarantines.release(name);
		});
	}

	private static String ids(List<UnfinishedJobs.Pending> jobs) {
		return jobs.stream().map((job) -> Long.toString(job.id())).collect(Collectors.joining(", "));
	}

}
