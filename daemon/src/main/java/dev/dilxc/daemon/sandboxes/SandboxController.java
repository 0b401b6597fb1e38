package dev.dilxc.daemon.sandboxes;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.dilxc.api.HostAuth;
import dev.dilxc.api.InitSandboxRequest;
import dev.dilxc.api.OperationView;
import dev.dilxc.api.SandboxView;

/**
 * {@code /api/sandboxes}: list, describe, init, lifecycle, destroy and update of
 * sandboxes.
 */
@RestController
@RequestMapping("/api/sandboxes")
class SandboxController {

	private final SandboxCatalog catalog;

	private final SandboxLifecycle lifecycle;

	private final SandboxInit init;

	private final SandboxUpdate update;

	SandboxController(SandboxCatalog catalog, SandboxLifecycle lifecycle, SandboxInit init, SandboxUpdate update) {
		this.catalog = catalog;
		this.lifecycle = lifecycle;
		this.init = init;
		this.update = update;
	}

	@GetMapping
	List<SandboxView> list() {
		return this.catalog.list();
	}

	@GetMapping("/{name}")
	SandboxView describe(@PathVariable String name) {
		return this.catalog.describe(name);
	}

	@PostMapping
	ResponseEntity<OperationView> init(@RequestBody InitSandboxRequest request) {
		return accepted(this.init.start(request));
	}

	@PostMapping("/{name}/start")
	SandboxView start(@PathVariable String name) {
		return this.lifecycle.start(name);
	}

	@PostMapping("/{name}/stop")
	SandboxView stop(@PathVariable String name) {
		return this.lifecycle.stop(name);
	}

	@PostMapping("/{name}/restart")
	SandboxView restart(@PathVariable String name) {
		return this.lifecycle.restart(name);
	}

	@DeleteMapping("/{name}")
	ResponseEntity<Void> destroy(@PathVariable String name) {
		this.lifecycle.destroy(name);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/{name}/update")
	ResponseEntity<OperationView> update(@PathVariable String name,
			@RequestBody(required = false) @Nullable HostAuth hostAuth) {
		return accepted(this.update.start(name, hostAuth));
	}

	private static ResponseEntity<OperationView> accepted(OperationView operation) {
		return ResponseEntity.accepted()
			.location(URI.create("/api/operations/" + operation.id() + "/events"))
			.body(operation);
	}

}
