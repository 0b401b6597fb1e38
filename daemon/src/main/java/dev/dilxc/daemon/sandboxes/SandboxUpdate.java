package dev.dilxc.daemon.sandboxes;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

import dev.dilxc.api.HostAuth;
import dev.dilxc.api.OperationView;
import dev.dilxc.daemon.leases.SandboxLeases;
import dev.dilxc.daemon.lxd.ExecRequest;
import dev.dilxc.daemon.lxd.ExecResult;
import dev.dilxc.daemon.lxd.InstanceDetails;
import dev.dilxc.daemon.lxd.InstanceName;

/**
 * {@code update}: refreshes a sandbox's auth forwarding and brings Claude Code inside it
 * to the latest release (the original had no way to, and its root-owned install could not
 * update itself), as an operation that reports the version before and after.
 */
@Service
class SandboxUpdate {

	static final List<String> NPM_INSTALL = List.of("npm", "install", "-g", "@anthropic-ai/claude-code@latest");

	private static final int STEPS = 3;

	private final SandboxCatalog catalog;

	private final Operations operations;

	private final OperationExec exec;

	private final AuthDevices auth;

	private final SandboxesProperties properties;

	private final SandboxLeases leases;

	SandboxUpdate(SandboxCatalog catalog, Operations operations, OperationExec exec, AuthDevices auth,
			SandboxesProperties properties, SandboxLeases leases) {
		this.leases = leases;
		this.catalog = catalog;
		this.operations = operations;
		this.exec = exec;
		this.auth = auth;
		this.properties = properties;
	}

	OperationView start(String sandbox, @Nullable HostAuth hostAuth) {
		InstanceDetails details = this.catalog.requireRunning(sandbox);
		return this.operations.startLeased(this.leases, "update", sandbox, Set.of(),
				(operation) -> run(details, hostAuth, operation));
	}

	private void run(InstanceDetails details, @Nullable HostAuth hostAuth, Operation op) throws InterruptedException {
		InstanceName name = details.name();
		op.step(1, STEPS, "Refreshing git & forge auth forwarding");
		boolean shift = "true".equals(details.devices().getOrDefault("project", Map.of()).get("shift"));
		this.auth.apply(name, hostAuth, shift, op);
		op.step(2, STEPS, "Updating Claude Code (npm install -g @anthropic-ai/claude-code@latest; needs network)");
		String before = version(name);
		op.line("before: " + before);
		Duration timeout = this.properties.provisionTimeout();
		OperationExec.Streamed npm = this.exec.stream(name, "npm install",
				new ExecRequest(NPM_INSTALL, null, null, "/root", Map.of(), timeout), op, timeout);
		if (npm.exitCode() != 0) {
			String fix = (npm.exitCode() == 127)
					? "npm is not installed in the sandbox: it comes with provisioning "
							+ "(run init again, or make the sandbox from the golden image dilxc-golden)"
					: "the sandbox has no network (sandboxes here have no NIC unless you gave them one), or the npm registry "
							+ "failed: give the sandbox network and run update again; Claude Code " + before
							+ " is still installed";
			throw new OperationFailure("updating Claude Code failed (npm exit " + npm.exitCode() + "). Last lines:\n"
					+ npm.lastLines() + "\nFix: " + fix);
		}
		op.step(3, STEPS, "Checking the installed version");
		String after = version(name);
		op.line(before.equals(after) ? "Claude Code " + after + " was already the latest"
				: "Claude Code updated: " + before + " -> " + after);
	}

	private String version(InstanceName name) {
		ExecResult result = this.exec.user(name, this.properties.home(), this.properties.claudeExecutable(),
				"--version");
		return (result.exitCode() == 0) ? result.stdout().strip() : "not installed";
	}

}
