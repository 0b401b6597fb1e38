package dev.dilxc.daemon.jobs;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.dilxc.api.QuarantineView;
import dev.dilxc.api.RepairRequest;
import dev.dilxc.api.RepairResult;

/** {@code repair}: quarantined sandboxes, and retrying or releasing one. */
@RestController
class RepairController {

	private final SandboxRepair repair;

	private final JobWorker worker;

	RepairController(SandboxRepair repair, JobWorker worker) {
		this.repair = repair;
		this.worker = worker;
	}

	@GetMapping("/api/quarantine")
	List<QuarantineView> quarantined() {
		return this.repair.quarantined();
	}

	@PostMapping("/api/sandboxes/{name}/repair")
	RepairResult repair(@PathVariable String name, @RequestBody(required = false) @Nullable RepairRequest request) {
		RepairResult result = this.repair.repair(name, request != null && request.force());
		this.worker.wake(); // the sandbox's queued jobs may start now
		return result;
	}

}
