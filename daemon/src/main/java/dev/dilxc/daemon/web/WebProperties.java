package dev.dilxc.daemon.web;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The read-only review pages under {@code /ui/}. They are always served on the daemon's
 * Unix socket; these settings add a loopback TCP port for a browser.
 *
 * @param port a TCP port on 127.0.0.1 (never any other address) that also serves the
 * pages, to a browser holding the token; 0 turns it off
 * @param tokenFile the file holding the browser's token (created 0600 with a random
 * 256-bit token when missing); empty for {@code web-token} in the data directory
 */
@ConfigurationProperties("dilxc.web")
record WebProperties(@DefaultValue("0") int port, @DefaultValue("") @Nullable String tokenFile) {

	WebProperties {
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException(
					"dilxc.web.port must be 0 (off) or a TCP port from 1 to 65535, not " + port);
		}
	}

	boolean tcpEnabled() {
		return this.port != 0;
	}

	/** The token file: as set, else {@code web-token} in {@code dataDirectory}. */
	Path tokenFile(Path dataDirectory) {
		return (this.tokenFile == null || this.tokenFile.isBlank()) ? dataDirectory.resolve("web-token")
				: Path.of(this.tokenFile.strip());
	}
}
