package dev.dilxc.daemon.backups;

import java.nio.file.Path;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.dilxc.daemon.DaemonApplication;

/**
 * The daemon's Spring application on a test's data directory, without web server, worker,
 * Quartz or LXD.
 */
final class Daemons {

	private Daemons() {
	}

	static ConfigurableApplicationContext start(Path directory) {
		return new SpringApplicationBuilder(DaemonApplication.class).web(WebApplicationType.NONE)
			.run("--dilxc.data-dir=" + directory.resolve("data"),
					"--dilxc.socket=" + directory.resolve("run/daemon.sock"), "--dilxc.jobs.worker-enabled=false",
					"--spring.quartz.auto-startup=false", "--dilxc.lxd.executable=/nonexistent/lxc");
	}

}
