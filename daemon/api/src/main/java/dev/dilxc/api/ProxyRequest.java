package dev.dilxc.api;

import org.jspecify.annotations.Nullable;

/**
 * {@code proxy add CONTAINER_PORT [HOST_PORT] [--public]}.
 *
 * @param containerPort the TCP port inside the sandbox (1-65535)
 * @param hostPort the host port (1-65535), or null for the same as {@code containerPort}
 * @param publicBind listen on 0.0.0.0 instead of 127.0.0.1
 */
public record ProxyRequest(int containerPort, @Nullable Integer hostPort, boolean publicBind) {
}
