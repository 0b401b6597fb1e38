package dev.dilxc.daemon.sandboxes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.dilxc.api.HostAuth;
import dev.dilxc.daemon.lxd.InstanceDetails;
import dev.dilxc.daemon.lxd.Lxd;
import dev.dilxc.daemon.lxd.LxdException;

/**
 * Keeps a sandbox's git credentials forwarding in step with the host the client runs on:
 * the {@code ssh-agent} proxy device follows the host's current {@code SSH_AUTH_SOCK},
 * and the host's gh config is mounted read-only once it exists. Best effort, as in the
 * original: a failure here must not stop the command the user asked for, so it is logged
 * and reported, never thrown.
 */
@Component
class AuthForwarding {

	// The same devices init sets up (AuthDevices); this class only keeps them pointing at
	// the host's current ones.
	static final String SSH_AGENT_DEVICE = AuthDevices.SSH_AGENT;

	static final String GH_CONFIG_DEVICE = AuthDevices.GH_CONFIG;

	static final String GH_CONFIG_PATH = AuthDevices.GH_INSIDE;

	private static final Logger logger = LoggerFactory.getLogger(AuthForwarding.class);

	private final Lxd lxd;

	AuthForwarding(Lxd lxd) {
		this.lxd = lxd;
	}

	/**
	 * Brings the sandbox's devices in line with {@code auth}; returns what it changed
	 * (empty when nothing differed, which is the usual case: the device is only touched
	 * when the socket moved, because setting it restarts the proxy and drops connections
	 * in flight).
	 */
	List<String> ensure(InstanceDetails sandbox, @Nullable HostAuth auth) {
		List<String> changes = new ArrayList<>();
		if (auth == null) {
			return changes;
		}
		Map<String, Map<String, String>> devices = sandbox.devices();
		Map<String, String> agent = devices.get(SSH_AGENT_DEVICE);
		String socket = auth.sshAuthSock();
		if (agent != null && socket != null && socket.startsWith("/")) {
			String connect = "unix:" + socket;
			if (!connect.equals(agent.get("connect"))) {
				try {
					this.lxd.setDevice(sandbox.name(), SSH_AGENT_DEVICE, Map.of("connect", connect));
					changes.add("ssh-agent now forwards " + socket);
				}
				catch (LxdException ex) {
					logger.warn("Could not point {}'s ssh-agent device at {}: {}", sandbox.name(), socket,
							ex.getMessage());
					changes.add("could not forward the ssh-agent: " + ex.getMessage());
				}
			}
		}
		String gh = auth.ghConfigDir();
		if (!devices.containsKey(GH_CONFIG_DEVICE) && gh != null && gh.startsWith("/")
				&& Files.isDirectory(Path.of(gh))) {
			try {
				this.lxd.addDevice(sandbox.name(), GH_CONFIG_DEVICE, "disk",
						Map.of("source", gh, "path", GH_CONFIG_PATH, "readonly", "true"));
				changes.add("gh config " + gh + " mounted at " + GH_CONFIG_PATH);
			}
			catch (LxdException ex) {
				logger.warn("Could not mount {} into {}: {}", gh, sandbox.name(), ex.getMessage());
				changes.add("could not mount the gh config: " + ex.getMessage());
			}
		}
		return changes;
	}

}
