package dev.dilxc.daemon.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * A bad value in the user's application.yml stops the daemon with the key, the file and
 * line, what is wrong and the key's meaning and default. Bound as Boot binds at start:
 * the real settings records, the real YAML loader.
 */
class ConfigurationFailureAnalyzerTests {

	@TempDir
	Path directory;

	@Test
	void negativeTimeoutNamesKeyFileLineAndDefault() throws Exception {
		FailureAnalysis analysis = analyze("dev.dilxc.daemon.jobs.JobsProperties", "dilxc.jobs", """
				dilxc:
				  jobs:
				    max-concurrent-jobs: 3
				    default-timeout: -5m
				""");
		Path file = this.directory.resolve("application.yml");
		assertThat(analysis.getDescription()).isEqualTo("Invalid setting dilxc.jobs.default-timeout = '-5m' (file "
				+ file
				+ ", line 4): dilxc.jobs.default-timeout must be a positive duration such as 30s, 5m or 2h, not PT-5M");
		assertThat(analysis.getAction())
			.startsWith("Correct or remove dilxc.jobs.default-timeout where it is set (file " + file
					+ ", line 4). dilxc.jobs.default-timeout: how long a job may run when the submit names none, in time the "
					+ "machine is awake (a wall-clock jump or a suspend does not count). "
					+ "Default: 2h. Durations are written like 30s, 5m, 2h or 7d.");
	}

	@Test
	void webPortOutsideTheRangeNamesKeyFileLineAndRange() throws Exception {
		FailureAnalysis analysis = analyze("dev.dilxc.daemon.web.WebProperties", "dilxc.web", """
				dilxc:
				  web:
				    port: 70000
				""");
		assertThat(analysis.getDescription()).startsWith("Invalid setting dilxc.web.port = '70000' (file ")
			.contains("application.yml, line 3)")
			.endsWith("dilxc.web.port must be 0 (off) or a TCP port from 1 to 65535, not 70000");
		assertThat(analysis.getAction()).contains("Default: 0.").contains("127.0.0.1");
	}

	@Test
	void unknownRestorePolicyNamesTheKnownOnes() throws Exception {
		FailureAnalysis analysis = analyze("dev.dilxc.daemon.jobs.JobsProperties", "dilxc.jobs", """
				dilxc.jobs.default-restore-policy: sometimes
				""");
		assertThat(analysis.getDescription())
			.startsWith("Invalid setting dilxc.jobs.default-restore-policy = 'sometimes' (file ")
			.contains("application.yml, line 1)")
			.endsWith("unknown restore policy 'sometimes': use one of never, on-failure, always");
		assertThat(analysis.getAction()).contains("Default: on-failure.");
	}

	@Test
	void valueThatIsNoDurationNamesKeyAndFile() throws Exception {
		FailureAnalysis analysis = analyze("dev.dilxc.daemon.lxd.LxdProperties", "dilxc.lxd", """
				dilxc:
				  lxd:
				    command-timeout: soon
				""");
		assertThat(analysis.getDescription()).startsWith("Invalid setting dilxc.lxd.command-timeout = 'soon' (file ")
			.contains("application.yml, line 3)")
			.endsWith("'soon' is not a valid duration");
		assertThat(analysis.getAction()).contains("Default: 60s.").contains("limit for quick calls");
	}

	@Test
	void settingFromTheEnvironmentIsNamedAsSuch() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("systemEnvironment-test", Map.of("dilxc.snapshots.keep-per-sandbox", "0")));
		FailureAnalysis analysis = analyze(environment, "dev.dilxc.daemon.snapshots.SnapshotsProperties",
				"dilxc.snapshots");
		assertThat(analysis.getDescription())
			.startsWith("Invalid setting dilxc.snapshots.keep-per-sandbox = '0' (set by ")
			.contains("systemEnvironment-test")
			.endsWith("must be at least 1 (the running job's snapshot), not 0");
	}

	@Test
	void settingsOutsideDilxcAreLeftToBoot() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("test", Map.of("server.shutdown-timeout", "soon")));
		assertThatThrownBy(
				() -> Binder.get(environment).bind("server.shutdown-timeout", Bindable.of(java.time.Duration.class)))
			.isInstanceOfSatisfying(BindException.class,
					(ex) -> assertThat(new ConfigurationFailureAnalyzer(environment).analyze(ex)).isNull());
	}

	@Test
	void configFileFollowsXdgConfigHomeElseHome() {
		assertThat(DaemonPaths.configFile(Map.of(), "/home/me"))
			.isEqualTo(Path.of("/home/me/.config/dilxc/application.yml"));
		assertThat(DaemonPaths.configFile(Map.of("XDG_CONFIG_HOME", "/cfg"), "/home/me"))
			.isEqualTo(Path.of("/cfg/dilxc/application.yml"));
		assertThat(DaemonPaths.configFile(Map.of("XDG_CONFIG_HOME", "relative"), "/home/me"))
			.isEqualTo(Path.of("/home/me/.config/dilxc/application.yml"));
	}

	@Test
	void homeIsTheEnvironmentsHomeLikeTheInstallScriptsElseTheJvmsUserHome() {
		// A changed HOME (sudo -H, a test's throwaway home, a unit's Environment=HOME)
		// must move the data,
		// the socket and the settings as it moves the scripts' view of them.
		assertThat(dev.dilxc.api.DaemonSocket.home(Map.of("HOME", "/var/tmp/elsewhere")))
			.isEqualTo("/var/tmp/elsewhere");
		assertThat(dev.dilxc.api.DaemonSocket.home(Map.of())).isEqualTo(System.getProperty("user.home"));
		assertThat(dev.dilxc.api.DaemonSocket.home(Map.of("HOME", "relative")))
			.isEqualTo(System.getProperty("user.home"));
	}

	private FailureAnalysis analyze(String type, String prefix, String yaml) throws Exception {
		Path file = this.directory.resolve("application.yml");
		Files.writeString(file, yaml);
		List<PropertySource<?>> loaded = new YamlPropertySourceLoader().load("user config",
				new FileSystemResource(file));
		StandardEnvironment environment = new StandardEnvironment();
		loaded.forEach(environment.getPropertySources()::addFirst);
		return analyze(environment, type, prefix);
	}

	private static FailureAnalysis analyze(StandardEnvironment environment, String type, String prefix) {
		Class<?> settings;
		try {
			settings = Class.forName(type);
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(ex);
		}
		BindException[] failure = new BindException[1];
		assertThatThrownBy(() -> Binder.get(environment).bindOrCreate(prefix, Bindable.of(settings)))
			.isInstanceOf(BindException.class)
			.satisfies((ex) -> failure[0] = (BindException) ex);
		FailureAnalysis analysis = new ConfigurationFailureAnalyzer(environment).analyze(failure[0]);
		assertThat(analysis).isNotNull();
		return analysis;
	}

}
