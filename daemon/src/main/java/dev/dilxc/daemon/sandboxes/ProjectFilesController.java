package dev.dilxc.daemon.sandboxes;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.dilxc.daemon.leases.SandboxLeases;

import dev.dilxc.api.CommandResult;
import dev.dilxc.api.FileTransferRequest;
import dev.dilxc.api.SyncRequest;

/**
 * {@code sync}, {@code pull} and {@code push}: files between the project, the host and
 * the sandbox.
 */
@RestController
@RequestMapping("/api/sandboxes/{name}")
class ProjectFilesController {

	private final ProjectSync sync;

	private final SandboxFiles files;

	private final SandboxLeases leases;

	ProjectFilesController(ProjectSync sync, SandboxFiles files, SandboxLeases leases) {
		this.sync = sync;
		this.files = files;
		this.leases = leases;
	}

	@PostMapping("/sync")
	CommandResult sync(@PathVariable String name, @RequestBody(required = false) @Nullable SyncRequest request) {
		return this.sync.sync(name, (request != null) ? request : new SyncRequest(false, false));
	}

	@PostMapping("/pull")
	CommandResult pull(@PathVariable String name,
			@RequestBody(required = false) @Nullable FileTransferRequest request) {
		return this.files.pull(name, request);
	}

	@PostMapping("/push")
	CommandResult push(@PathVariable String name,
			@RequestBody(required = false) @Nullable FileTransferRequest request) {
		// Push changes the sandbox: never under a job's agent or another operation.
		return this.leases.holding(name, "push", () -> this.files.push(name, request));
	}

}
