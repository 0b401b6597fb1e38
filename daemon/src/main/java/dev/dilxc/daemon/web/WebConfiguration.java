package dev.dilxc.daemon.web;

import java.nio.file.Path;
import java.util.Objects;

import org.apache.catalina.connector.Connector;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The review pages' plumbing: the optional loopback connector, its token, and the filter
 * that guards it.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

	static final String LOOPBACK = "127.0.0.1";

	@Bean
	WebAccessPoint webAccessPoint(WebProperties properties, @Value("${dilxc.data-dir}") Path dataDirectory,
			@Value("${dilxc.socket}") Path socket) {
		Path tokenFile = properties.tokenFile(dataDirectory);
		// Only a port needs a token: without one the file is not even created.
		WebToken token = properties.tcpEnabled() ? WebToken.load(tokenFile) : null;
		return new WebAccessPoint(properties.port(), token, socket);
	}

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> loopbackConnector(WebAccessPoint access) {
		return (factory) -> {
			if (access.port() == 0) {
				return;
			}
			// A second connector beside the socket's, bound to loopback only: never a
			// wildcard address.
			Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
			connector.setPort(access.port());
			connector.setProperty("address", LOOPBACK);
			factory.addAdditionalConnectors(connector);
		};
	}

	@Bean
	FilterRegistrationBean<WebAccessFilter> webAccessFilter(WebAccessPoint access) {
		FilterRegistrationBean<WebAccessFilter> registration = new FilterRegistrationBean<>(
				new WebAccessFilter(access.port(), access.token()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		registration.addUrlPatterns("/*");
		return registration;
	}

	/** Where the pages are: the TCP port (0 when off) with its token, and the socket. */
	record WebAccessPoint(int port, @Nullable WebToken token, Path socket) {

		@Nullable String url() {
			return (this.port == 0) ? null : "http://" + LOOPBACK + ":" + this.port + "/ui/?token="
					+ Objects.requireNonNull(this.token, "a TCP port has a token").value();
		}
	}

}
