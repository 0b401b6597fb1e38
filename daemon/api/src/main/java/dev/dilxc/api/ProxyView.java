package dev.dilxc.api;

import org.jspecify.annotations.Nullable;

/**
 * One port proxy (an LXD proxy device named {@code proxy-tcp-HOSTPORT}).
 *
 * @param device the LXD device name
 * @param listenAddress the host address it listens on ({@code 127.0.0.1} or
 * {@code 0.0.0.0})
 * @param hostPort the host port
 * @param containerPort the sandbox port it forwards to
 * @param member in an LXD or Incus cluster, the member whose host listens (the one that
 * holds the sandbox), else null
 * @param memberAddress that member's cluster address (host part), else null
 */
public record ProxyView(String device, String listenAddress, int hostPort, int containerPort, @Nullable String member,
		@Nullable String memberAddress) {

	/** A proxy of a sandbox outside a cluster. */
	public ProxyView(String device, String listenAddress, int hostPort, int containerPort) {
		this(device, listenAddress, hostPort, containerPort, null, null);
	}

}
