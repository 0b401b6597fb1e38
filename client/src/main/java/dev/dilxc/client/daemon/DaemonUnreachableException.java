package dev.dilxc.client.daemon;

import java.nio.file.Path;

/**
 * No daemon answers on the socket: the socket file is missing, refuses connections, or
 * went silent.
 */
public final class DaemonUnreachableException extends DaemonException {

	private final Path socket;

	private final String reason;

	public DaemonUnreachableException(Path socket, String reason, Throwable cause) {
		super("cannot reach the dilxc daemon at " + socket + " (" + reason
				+ "). Start it with 'systemctl --user start dilxc' (after deploy/install.sh) or 'dilxc-daemon', or set DILXC_SOCKET.",
				cause);
		this.socket = socket;
		this.reason = reason;
	}

	public Path socket() {
		return this.socket;
	}

	public String reason() {
		return this.reason;
	}

}
