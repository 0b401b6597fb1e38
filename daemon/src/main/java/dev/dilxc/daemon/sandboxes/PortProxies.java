package dev.dilxc.daemon.sandboxes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

import dev.dilxc.api.ProblemTypes;
import dev.dilxc.api.ProxyView;
import dev.dilxc.daemon.lxd.ClusterMember;
import dev.dilxc.daemon.lxd.DeviceExistsException;
import dev.dilxc.daemon.lxd.InstanceDetails;
import dev.dilxc.daemon.lxd.Lxd;
import dev.dilxc.daemon.lxd.LxdOperationFailedException;

/**
 * {@code proxy add|list|rm}: TCP ports of the sandbox published on the host as LXD proxy
 * devices named {@code proxy-tcp-HOSTPORT}. They listen on 127.0.0.1 unless asked for
 * 0.0.0.0 (the original always exposed them to the LAN). Devices under other names are
 * the user's own and never touched.
 */
@Service
class PortProxies {

	static final String PREFIX = "proxy-tcp-";

	/**
	 * 1 to 65535, written plainly: no sign, no leading zero (the original read
	 * {@code 010} as 8).
	 */
	private static final Pattern PORT = Pattern.compile("[1-9][0-9]{0,4}");

	private final Lxd lxd;

	private final SandboxCatalog catalog;

	private final SandboxPlacement placement;

	PortProxies(Lxd lxd, SandboxCatalog catalog, SandboxPlacement placement) {
		this.placement = placement;
		this.lxd = lxd;
		this.catalog = catalog;
	}

	/** Works on a stopped sandbox too: it only reads its config. */
	List<ProxyView> list(String name) {
		InstanceDetails sandbox = this.catalog.require(name);
		return proxies(sandbox, member(sandbox));
	}

	/**
	 * In a cluster, the member whose host a proxy of the sandbox listens on (the one that
	 * holds it) and that member's address; null outside a cluster.
	 */
	private @Nullable ClusterMember member(InstanceDetails sandbox) {
		if (sandbox.location() == null) {
			return null;
		}
		return this.placement.current()
			.member(sandbox.location())
			.orElse(new ClusterMember(sandbox.location(), "", "", ""));
	}

	ProxyView add(String name, int containerPort, int hostPort, boolean publicBind) {
		requireRange("container port", containerPort);
		requireRange("host port", hostPort);
		InstanceDetails sandbox = this.catalog.requireRunning(name);
		String device = PREFIX + hostPort;
		if (sandbox.devices().containsKey(device)) {
			throw alreadyProxied(hostPort, device);
		}
		String address = publicBind ? "0.0.0.0" : "127.0.0.1";
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("listen", "tcp:" + address + ":" + hostPort);
		properties.put("connect", "tcp:127.0.0.1:" + containerPort);
		try {
			this.lxd.addDevice(sandbox.name(), device, "proxy", properties);
		}
		catch (DeviceExistsException ex) {
			throw alreadyProxied(hostPort, device);
		}
		catch (LxdOperationFailedException ex) {
			throw new SandboxException.Conflict("could not listen on " + address + ":" + hostPort + ": is port "
					+ hostPort + " already in use on the host? (LXD: " + SandboxShell.lastLine(ex.getMessage()) + ")");
		}
		ClusterMember member = member(sandbox);
		return (member != null)
				? new ProxyView(device, address, hostPort, containerPort, member.name(),
						member.address().isEmpty() ? null : member.address())
				: new ProxyView(device, address, hostPort, containerPort);
	}

	void remove(String name, String hostPort) {
		int port = parsePort("host port", hostPort);
		InstanceDetails sandbox = this.catalog.require(name);
		String device = PREFIX + port;
		if (!sandbox.devices().containsKey(device)) {
			throw new SandboxException.Missing(ProblemTypes.NOT_FOUND, "sandbox '" + sandbox.name()
					+ "' has no proxy for host port " + port + " ('dilxc-client proxy list' shows them)");
		}
		this.lxd.removeDevice(sandbox.name(), device);
	}

	/**
	 * Removes every dilxc proxy, going on past failures; says which were removed and
	 * which were not.
	 */
	Removal removeAll(String name) {
		InstanceDetails sandbox = this.catalog.require(name);
		List<ProxyView> removed = new ArrayList<>();
		Map<String, String> failed = new LinkedHashMap<>();
		for (ProxyView proxy : proxies(sandbox, null)) {
			try {
				this.lxd.removeDevice(sandbox.name(), proxy.device());
				removed.add(proxy);
			}
			catch (RuntimeException ex) {
				failed.put(proxy.device(), ex.getMessage());
			}
		}
		return new Removal(removed, failed);
	}

	/** What {@link #removeAll} did. */
	record Removal(List<ProxyView> removed, Map<String, String> failed) {
	}

	/**
	 * A port given as text (a path segment): digits only, 1 to 65535, no leading zero.
	 */
	static int parsePort(String label, String value) {
		if (value == null || !PORT.matcher(value).matches() || Integer.parseInt(value) > 65535) {
			throw invalidPort(label, value);
		}
		return Integer.parseInt(value);
	}

	static void requireRange(String label, long port) {
		if (port < 1 || port > 65535) {
			throw invalidPort(label, Long.toString(port));
		}
	}

	static SandboxException invalidPort(String label, String value) {
		return new SandboxException.BadRequest("invalid " + label + " '" + value
				+ "': must be a number between 1 and 65535, written without leading zeros");
	}

	private static List<ProxyView> proxies(InstanceDetails sandbox, @Nullable ClusterMember member) {
		List<ProxyView> views = new ArrayList<>();
		sandbox.devices().forEach((device, properties) -> {
			if (device.startsWith(PREFIX) && "proxy".equals(properties.get("type"))) {
				Endpoint listen = Endpoint.parse(properties.get("listen"));
				Endpoint connect = Endpoint.parse(properties.get("connect"));
				views.add(new ProxyView(device, listen.address(), listen.port(), connect.port(),
						(member != null) ? member.name() : null,
						(member != null && !member.address().isEmpty()) ? member.address() : null));
			}
		});
		views.sort(Comparator.comparingInt(ProxyView::hostPort));
		return views;
	}

	private static SandboxException alreadyProxied(int hostPort, String device) {
		return new SandboxException.Conflict("host port " + hostPort + " is already proxied (device: " + device
				+ "); remove it first with 'dilxc-client proxy rm " + hostPort + "'");
	}

	/**
	 * {@code tcp:ADDRESS:PORT} of a proxy device; port -1 when it is not in that form.
	 */
	record Endpoint(String address, int port) {

		static Endpoint parse(@Nullable String value) {
			if (value == null) {
				return new Endpoint("", -1);
			}
			String rest = value.startsWith("tcp:") ? value.substring(4) : value;
			int colon = rest.lastIndexOf(':');
			if (colon < 0) {
				return new Endpoint(rest, -1);
			}
			try {
				return new Endpoint(rest.substring(0, colon), Integer.parseInt(rest.substring(colon + 1)));
			}
			catch (NumberFormatException ex) {
				return new Endpoint(rest.substring(0, colon), -1);
			}
		}
	}

}
