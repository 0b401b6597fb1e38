package dev.dilxc.daemon.sandboxes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.dilxc.api.HostAuth;
import dev.dilxc.daemon.lxd.InstanceDetails;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.lxd.Lxd;

/**
 * The devices that forward the host's git and forge credentials into a sandbox: the
 * ssh-agent socket (a proxy device, so no key leaves the host) and the GitHub CLI config
 * (a read-only disk). Only paths cross the socket. A device that already says the same is
 * left alone, so a running agent connection is not dropped for nothing.
 */
@Component
class AuthDevices {

	static final String SSH_AGENT = "ssh-agent";

	static final String GH_CONFIG = "gh-config";

	static final String SSH_SOCKET_INSIDE = "/tmp/ssh-agent.sock";

	static final String GH_INSIDE = "/home/ubuntu/.config/gh";

	private final Lxd lxd;

	AuthDevices(Lxd lxd) {
		this.lxd = lxd;
	}

	void apply(InstanceName name, @Nullable HostAuth auth, boolean shift, Operation op) {
		InstanceDetails details = this.lxd.describeInstance(name);
		String socket = (auth != null) ? auth.sshAuthSock() : null;
		if (socket == null || socket.isBlank()) {
			op.line("SSH agent forwarding: skipped (no SSH_AUTH_SOCK on the host): start an agent "
					+ "(eval \"$(ssh-agent -s)\" && ssh-add), then run 'dilxc-client update'");
		}
		else if (!Files.exists(Path.of(socket))) {
			op.warning("SSH agent forwarding: skipped, the host's SSH_AUTH_SOCK " + socket + " does not exist: "
					+ "start the agent, then run 'dilxc-client update'");
		}
		else {
			Map<String, String> wanted = new LinkedHashMap<>();
			wanted.put("connect", "unix:" + socket);
			wanted.put("listen", "unix:" + SSH_SOCKET_INSIDE);
			wanted.put("bind", "container");
			wanted.put("uid", "1000");
			wanted.put("gid", "1000");
			wanted.put("mode", "0600");
			device(details, SSH_AGENT, "proxy", wanted);
			op.line("SSH agent forwarding: " + socket + " -> " + SSH_SOCKET_INSIDE);
		}
		String gh = (auth != null) ? auth.ghConfigDir() : null;
		if (gh == null || gh.isBlank() || !Files.isDirectory(Path.of(gh))) {
			op.line("GitHub CLI config: skipped (no gh config directory on the host): run 'gh auth login' on the "
					+ "host, then 'dilxc-client update'");
		}
		else {
			Map<String, String> wanted = new LinkedHashMap<>();
			wanted.put("source", gh);
			wanted.put("path", GH_INSIDE);
			wanted.put("readonly", "true");
			if (shift) {
				wanted.put("shift", "true");
			}
			device(details, GH_CONFIG, "disk", wanted);
			op.line("GitHub CLI config: " + gh + " -> " + GH_INSIDE + " (read-only)");
		}
	}

	private void device(InstanceDetails details, String device, String type, Map<String, String> wanted) {
		Map<String, String> current = details.devices().get(device);
		if (current != null) {
			Map<String, String> expected = new LinkedHashMap<>(wanted);
			expected.put("type", type);
			if (expected.equals(current)) {
				return;
			}
			if (type.equals(current.get("type")) && type.equals("proxy")) {
				this.lxd.setDevice(details.name(), device, wanted);
				return;
			}
			this.lxd.removeDevice(details.name(), device);
		}
		this.lxd.addDevice(details.name(), device, type, wanted);
	}

}
