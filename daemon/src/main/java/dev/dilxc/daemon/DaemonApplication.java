package dev.dilxc.daemon;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import dev.dilxc.daemon.system.DaemonPaths;

/** The dilxc daemon: {@code dilxc-daemon} runs this in the foreground. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DaemonApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(DaemonApplication.class);
		DaemonPaths paths = DaemonPaths.fromEnvironment();
		try {
			paths.prepareDataDirectory();
		}
		catch (RuntimeException ex) {
			System.err.println("dilxc-daemon: " + ex.getMessage());
			System.exit(78);
		}
		application.setDefaultProperties(Map.of("dilxc.data-dir", paths.dataDirectory().toString(), "dilxc.socket",
				paths.socket().toString()));
		application.run(args);
	}

}
