package dev.dilxc.daemon.system;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.dilxc.api.SystemInfo;
import dev.dilxc.daemon.jobs.JobQueue;

/** {@code GET /api/system}: lets a client check that it reached a live daemon. */
@RestController
class SystemController {

	private final SystemInfo info;

	SystemController(JobQueue jobs, @Value("${dilxc.data-dir}") String dataDirectory) {
		String version = SystemController.class.getPackage().getImplementationVersion();
		this.info = new SystemInfo((version != null) ? version : "dev", jobs.defaultSandbox(), dataDirectory);
	}

	@GetMapping("/api/system")
	SystemInfo info() {
		return this.info;
	}
}
