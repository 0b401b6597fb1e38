package dev.dilxc.daemon;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import dev.dilxc.daemon.backups.HistoryImport;
import dev.dilxc.daemon.cluster.ClusterProperties;
import dev.dilxc.daemon.system.DaemonPaths;

/**
 * Where the daemon's settings come from, shared by the daemon and the commands that run
 * without it: the jar's application.properties, then the user's settings file, then the
 * file {@code DILXC_CONFIG} names, then the environment and system properties (each
 * outranking the one before).
 */
final class DaemonSettings {

	private DaemonSettings() {
	}

	/**
	 * What main gives Spring before any file: the data directory and socket it resolved,
	 * and the user's settings files as extra config locations (later locations win; both
	 * outrank the jar's application.properties, the environment and arguments outrank
	 * both). Set only here, never from application.properties, so tests never read the
	 * real ~/.config.
	 */
	static Map<String, Object> defaults(DaemonPaths paths) {
		String locations = "optional:file:" + DaemonPaths.configFile().toAbsolutePath();
		String explicit = System.getenv("DILXC_CONFIG");
		if (explicit != null && !explicit.isBlank()) {
			locations += ",file:" + Path.of(explicit).toAbsolutePath();
		}
		return Map.of("dilxc.data-dir", paths.dataDirectory().toString(), "dilxc.socket", paths.socket().toString(),
				"spring.config.additional-location", locations);
	}

	/**
	 * The database the daemon would open, its settings read by Spring Boot exactly as the
	 * daemon's start reads them (profiles, imports, relaxed names such as
	 * SPRING_DATASOURCE_PASSWORD included), without starting the daemon: an application
	 * context with no beans, closed again.
	 */
	static HistoryImport.Target database(DaemonPaths paths) {
		// The launcher asks for Spring AOT's generated bean definitions, which are the
		// daemon's; this context has none to generate.
		System.setProperty("spring.aot.enabled", "false");
		SpringApplication application = new SpringApplication(NoBeans.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		application.setRegisterShutdownHook(false);
		Map<String, Object> defaults = new HashMap<>(defaults(paths));
		// Flyway's "H2 is newer than verified" and its progress would only be noise in
		// the command's own report.
		defaults.put("logging.level.org.flywaydb", "ERROR");
		application.setDefaultProperties(defaults);
		try (ConfigurableApplicationContext context = application.run()) {
			Environment environment = context.getEnvironment();
			ClusterProperties cluster = Binder.get(environment).bindOrCreate("dilxc.cluster", ClusterProperties.class);
			return new HistoryImport.Target(environment.getProperty("spring.datasource.url", ""),
					environment.getProperty("spring.datasource.username"),
					environment.getProperty("spring.datasource.password"), DaemonPaths.configFile(),
					cluster.deadAfter());
		}
	}

	/** The settings context's one source: a class with no beans (and no scan). */
	static class NoBeans {

	}

}
