package dev.dilxc.daemon.system;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes Tomcat listen on the daemon's Unix domain socket (mode 0600, in a 0700 directory)
 * instead of a TCP port: only the daemon's user can talk to it, and nothing listens on
 * the network.
 */
@Configuration(proxyBeanMethods = false)
class UnixSocketServerConfiguration {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> unixSocketConnector(
			@Value("${dilxc.socket}") Path socket) {
		return (factory) -> {
			prepare(socket);
			factory.addConnectorCustomizers((connector) -> {
				connector.setProperty("unixDomainSocketPath", socket.toString());
				connector.setProperty("unixDomainSocketPathPermissions", "rw-------");
			});
		};
	}

	/**
	 * Creates the private directory and clears a socket file left by a daemon that died.
	 */
	static void prepare(Path socket) {
		PrivateDirectories.ensure(Objects.requireNonNull(socket.getParent(), "the socket path is absolute"));
		if (!Files.exists(socket)) {
			return;
		}
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.connect(UnixDomainSocketAddress.of(socket));
			throw new DaemonStartupException("Another dilxc daemon is already listening on " + socket + ".",
					"Stop it first, or set DILXC_SOCKET to run a second daemon on another socket.");
		}
		catch (IOException refused) {
			try {
				Files.deleteIfExists(socket);
			}
			catch (IOException ex) {
				throw new DaemonStartupException("Cannot remove the stale socket " + socket + ": " + ex.getMessage(),
						"Remove it by hand, or set DILXC_SOCKET to another path.");
			}
		}
	}

}
