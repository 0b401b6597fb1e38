package dev.dilxc.daemon.sandboxes;

import org.springframework.stereotype.Component;

import dev.dilxc.daemon.lxd.InstanceDetails;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.lxd.InstanceNotFoundException;
import dev.dilxc.daemon.lxd.Lxd;

/**
 * Finds the sandbox a sandbox operation (sync, files, terminal, proxies, checks) names and says in the
 * user's words when it is not there, not running or not a valid name.
 */
@Component
class SandboxGuard {

	private final Lxd lxd;

	SandboxGuard(Lxd lxd) {
		this.lxd = lxd;
	}

	/** The name as LXD would accept it; a bad one is the caller's mistake (invalid-request), not ours. */
	static InstanceName instanceName(String name) {
		try {
			return new InstanceName(name);
		}
		catch (IllegalArgumentException ex) {
			throw new SandboxException.BadRequest(ex.getMessage());
		}
	}

	/** The sandbox in full, running or not. */
	InstanceDetails require(String name) {
		InstanceName instance = instanceName(name);
		try {
			return this.lxd.describeInstance(instance);
		}
		catch (InstanceNotFoundException ex) {
			throw new SandboxException.NotFound(instance.value());
		}
	}

	/** The sandbox in full; it must be running. */
	InstanceDetails requireRunning(String name) {
		InstanceDetails details = require(name);
		if (!details.isRunning()) {
			throw new SandboxException.NotRunning(details.name().value(), details.status().name());
		}
		return details;
	}
}
