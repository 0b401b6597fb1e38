package dev.dilxc.daemon.lxd;

import java.nio.file.Path;

/**
 * The client the daemon drives its sandboxes with, and why that one.
 *
 * @param backend LXD or Incus
 * @param executable the client program as the daemon runs it ({@code lxc},
 * {@code /usr/bin/incus}, ...)
 * @param choice why this one, in words: the setting that named it, or what
 * {@code dilxc.lxd.backend: auto} found
 */
public record LxdClient(LxdBackend backend, String executable, String choice) {

	/**
	 * The command a user types for this client ({@code lxc} or {@code incus}): for hints
	 * such as "lxc config set NAME ...".
	 */
	public String command() {
		Path name = Path.of(this.executable).getFileName();
		return (name != null) ? name.toString() : this.executable;
	}

}
