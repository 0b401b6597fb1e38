package dev.dilxc.daemon.snapshots;

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

import dev.dilxc.api.CreateSnapshotRequest;
import dev.dilxc.api.RestoreResult;
import dev.dilxc.api.SnapshotView;

/** {@code /api/sandboxes/{name}/snapshots}: the user's snapshots of a sandbox. */
@RestController
@RequestMapping("/api/sandboxes/{name}/snapshots")
class SnapshotController {

	private final SandboxSnapshots snapshots;

	SnapshotController(SandboxSnapshots snapshots) {
		this.snapshots = snapshots;
	}

	@GetMapping
	List<SnapshotView> list(@PathVariable String name) {
		return this.snapshots.list(name);
	}

	@PostMapping
	ResponseEntity<SnapshotView> create(@PathVariable String name,
			@RequestBody(required = false) @Nullable CreateSnapshotRequest request) {
		SnapshotView snapshot = this.snapshots.create(name, (request != null) ? request.name() : null);
		return ResponseEntity.created(URI.create("/api/sandboxes/" + name + "/snapshots/" + snapshot.name()))
			.body(snapshot);
	}

	@PostMapping("/{snapshot}/restore")
	RestoreResult restore(@PathVariable String name, @PathVariable String snapshot) {
		return this.snapshots.restore(name, snapshot);
	}

	@DeleteMapping("/{snapshot}")
	ResponseEntity<Void> delete(@PathVariable String name, @PathVariable String snapshot) {
		this.snapshots.delete(name, snapshot);
		return ResponseEntity.noContent().build();
	}

}
