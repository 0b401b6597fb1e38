package dev.dilxc.daemon.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;

import dev.dilxc.daemon.system.DefaultConfiguration.Setting;

/**
 * The commented settings file install.sh writes: complete, inert as written, and the
 * defaults once uncommented.
 */
class DefaultConfigurationTests {

	/** Settings that mean "none" when unset. */
	private static final Set<String> WITHOUT_DEFAULT = Set.of("dilxc.notifications.webhook-url",
			"dilxc.notifications.webhook-headers", "dilxc.notifications.command", "dilxc.lxd.executable",
			"dilxc.cluster.daemon-name");

	@Test
	void everyDilxcSettingHasAMeaningAndADefault() {
		List<Setting> settings = DefaultConfiguration.settings();
		assertThat(settings).extracting(Setting::name)
			.contains("dilxc.jobs.default-timeout", "dilxc.lxd.backend", "dilxc.lxd.executable",
					"dilxc.notifications.on", "dilxc.sandboxes.storage-pool", "dilxc.schedules.catch-up",
					"dilxc.snapshots.keep-per-sandbox", "dilxc.backup.interval", "dilxc.backup.keep",
					"dilxc.backup.dir", "dilxc.retention.max-age", "dilxc.retention.bulk-max-age");
		assertThat(settings).allSatisfy((setting) -> assertThat(setting.description())
			.as(setting.name() + ": document it with @param on its settings record")
			.isNotBlank()
			.doesNotContain("{@code"));
		assertThat(settings).filteredOn((setting) -> !WITHOUT_DEFAULT.contains(setting.name()))
			.allSatisfy((setting) -> assertThat(setting.defaultValue()).as(setting.name() + ": give it a @DefaultValue")
				.isNotNull());
	}

	@Test
	void fileAsWrittenSetsNothing() throws Exception {
		String file = DefaultConfiguration.render();
		assertThat(load(file)).allSatisfy((source) -> assertThat(source.getSource())
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.isEmpty());
		assertThat(file.lines().filter((line) -> !line.isBlank() && !line.startsWith("#"))).isEmpty();
		for (Setting setting : DefaultConfiguration.settings()) {
			assertThat(file).contains("\n#" + setting.name() + ":");
		}
	}

	@Test
	void uncommentedEveryLineGivesTheDefaultsWhichTheSettingsAccept() throws Exception {
		String uncommented = DefaultConfiguration.render()
			.lines()
			.map((line) -> line.matches("#dilxc\\.[a-z.-]+: .*") ? line.substring(1) : line)
			.collect(Collectors.joining("\n"));
		StandardEnvironment environment = new StandardEnvironment();
		load(uncommented).forEach(environment.getPropertySources()::addFirst);
		Set<String> groups = new java.util.TreeSet<>();
		for (Setting setting : DefaultConfiguration.settings()) {
			if (setting.defaultValue() != null) {
				assertThat(environment.getProperty(setting.name())).as(setting.name())
					.isEqualTo(setting.defaultValue());
			}
			groups.add(setting.name().substring(0, setting.name().lastIndexOf('.')));
		}
		assertThat(groups).hasSize(11);
		Binder binder = Binder.get(environment);
		for (String type : List.of("dev.dilxc.daemon.backups.BackupProperties",
				"dev.dilxc.daemon.cluster.ClusterProperties", "dev.dilxc.daemon.jobs.JobsProperties",
				"dev.dilxc.daemon.lxd.LxdProperties", "dev.dilxc.daemon.notifications.NotificationsProperties",
				"dev.dilxc.daemon.jobs.RetentionProperties", "dev.dilxc.daemon.sandboxes.SandboxesProperties",
				"dev.dilxc.daemon.schedules.SchedulesProperties", "dev.dilxc.daemon.snapshots.SnapshotsProperties",
				"dev.dilxc.daemon.system.StatusProperties", "dev.dilxc.daemon.web.WebProperties")) {
			Class<?> settings = Class.forName(type);
			String prefix = settings
				.getAnnotation(org.springframework.boot.context.properties.ConfigurationProperties.class)
				.value();
			assertThat(binder.bindOrCreate(prefix, Bindable.of(settings))).isNotNull();
		}
	}

	@Test
	void valuesYamlWouldMisreadAreQuoted() {
		assertThat(DefaultConfiguration.yaml("")).isEqualTo("''");
		assertThat(DefaultConfiguration.yaml("2h")).isEqualTo("2h");
		assertThat(DefaultConfiguration.yaml("/etc/subuid")).isEqualTo("/etc/subuid");
		assertThat(DefaultConfiguration.yaml("# no")).isEqualTo("'# no'");
		assertThat(DefaultConfiguration.yaml("it's")).isEqualTo("'it''s'");
	}

	private static List<PropertySource<?>> load(String yaml) throws Exception {
		return new YamlPropertySourceLoader().load("file",
				new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8), "application.yml"));
	}

}
