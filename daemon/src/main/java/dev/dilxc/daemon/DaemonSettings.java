package dev.dilxc.daemon;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
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
		// Boot logs a settings file it cannot read with a stack trace, before its logging
		// is set up; the command reports it in one line instead.
		LoggingSystem.get(DaemonSettings.class.getClassLoader())
			.setLogLevel(SpringApplication.class.getName(), LogLevel.OFF);
		try (ConfigurableApplicationContext context = application.run()) {
			Environment environment = context.getEnvironment();
			ClusterProperties cluster = Binder.get(environment).bindOrCreate("dilxc.cluster", ClusterProperties.class);
			return new HistoryImport.Target(environment.getProperty("spring.datasource.url", ""),
					environment.getProperty("spring.datasource.username"),
					environment.getProperty("spring.datasource.password"), DaemonPaths.configFile(),
					cluster.deadAfter());
		}
		catch (RuntimeException ex) {
			String files = DaemonPaths.configFile().toString();
			String explicit = System.getenv("DILXC_CONFIG");
			if (explicit != null && !explicit.isBlank()) {
				files += ", " + Path.of(explicit).toAbsolutePath();
			}
			throw new IllegalStateException(describe(ex) + " (the settings: " + files + ", the environment)", ex);
		}
	}

	/**
	 * One line: what failed, and the innermost cause (a YAML error's line and column).
	 */
	static String describe(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String top = oneLine(failure.getMessage());
		return (root == failure) ? top : top.lines().findFirst().orElse("") + ": " + oneLine(root.getMessage());
	}

	private static String oneLine(@Nullable String message) {
		return (message == null) ? "" : message.strip().replaceAll("\\s+", " ");
	}

	/** The settings context's one source: a class with no beans (and no scan). */
	static class NoBeans {

	}

}
