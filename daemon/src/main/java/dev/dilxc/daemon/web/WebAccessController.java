package dev.dilxc.daemon.web;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.dilxc.api.WebAccess;
import dev.dilxc.daemon.web.WebConfiguration.WebAccessPoint;

/**
 * {@code GET /api/system/web}: where the review pages are, for {@code dilxc-client web}.
 * Only on the 0600 socket (the TCP port serves no {@code /api}), so only the daemon's
 * user learns the token.
 */
@RestController
class WebAccessController {

	private final WebAccessPoint access;

	WebAccessController(WebAccessPoint access) {
		this.access = access;
	}

	@GetMapping("/api/system/web")
	WebAccess web() {
		return new WebAccess(this.access.port() != 0, this.access.url(), this.access.socket().toString());
	}

}
