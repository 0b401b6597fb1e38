package dev.dilxc.api;

/**
 * One port proxy (an LXD proxy device named {@code proxy-tcp-HOSTPORT}).
 *
 * @param device the LXD device name
 * @param listenAddress the host address it listens on ({@code 127.0.0.1} or
 * {@code 0.0.0.0})
 * @param hostPort the host port
 * @param containerPort the sandbox port it forwards to
 */
public record ProxyView(String device, String listenAddress, int hostPort, int containerPort) {
}
