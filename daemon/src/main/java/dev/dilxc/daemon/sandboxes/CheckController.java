package dev.dilxc.daemon.sandboxes;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.dilxc.api.CheckReport;
import dev.dilxc.api.HostAuth;

/** {@code health-check}, {@code git-auth} and {@code doctor}. */
@RestController
class CheckController {

	private final SandboxChecks checks;

	CheckController(SandboxChecks checks) {
		this.checks = checks;
	}

	@GetMapping("/api/sandboxes/{name}/health")
	CheckReport health(@PathVariable String name) {
		return this.checks.health(name);
	}

	@PostMapping("/api/sandboxes/{name}/git-auth")
	CheckReport gitAuth(@PathVariable String name, @RequestBody(required = false) @Nullable HostAuth auth) {
		return this.checks.gitAuth(name, auth);
	}

	/**
	 * {@code uid}: the host user whose project files the sandbox user must own (the
	 * client sends its own).
	 */
	@GetMapping("/api/doctor")
	CheckReport doctor(@RequestParam(required = false) @Nullable String sandbox,
			@RequestParam(required = false) @Nullable Integer uid) {
		return this.checks.doctor(sandbox, uid);
	}

}
