package dev.dilxc.daemon.system;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.dilxc.api.DaemonStatus;
import dev.dilxc.api.SystemInfo;
import dev.dilxc.daemon.jobs.JobQueue;

/**
 * {@code GET /api/system}: lets a client check that it reached a live daemon.
 * {@code GET /api/system/status}: the daemon's health for {@code dilxc-client status}.
 */
@RestController
class SystemController {

	private final SystemInfo info;

	private final DaemonHealth health;

	SystemController(JobQueue jobs, DaemonHealth health, @Value("${dilxc.data-dir}") String dataDirectory) {
		this.info = new SystemInfo(DaemonHealth.version(), jobs.defaultSandbox(), dataDirectory);
		this.health = health;
	}

	@GetMapping("/api/system")
	SystemInfo info() {
		return this.info;
	}

	@GetMapping("/api/system/status")
	DaemonStatus status() {
		return this.health.status();
	}

}
