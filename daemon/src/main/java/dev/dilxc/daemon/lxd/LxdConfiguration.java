package dev.dilxc.daemon.lxd;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.daemon.process.ProcessRunner;

/** Exposes the CLI-backed {@link Lxd}; everything behind it stays package-private. */
@Configuration(proxyBeanMethods = false)
class LxdConfiguration {

	@Bean
	Lxd lxd(LxdProperties properties, JsonMapper json) {
		return new CliLxd(new ProcessRunner(), properties, json);
	}

}
