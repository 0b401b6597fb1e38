package dev.dilxc.daemon.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.quartz.autoconfigure.QuartzProperties;
import org.springframework.boot.quartz.autoconfigure.SchedulerFactoryBeanCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What differs with the store: Flyway's spelling of the schema, and Quartz's JDBC
 * delegate and clustering. Decided at run time from the URL (the build's AOT step fixes
 * which beans exist, not what they hold).
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

	@Bean
	DatabaseStore databaseStore(@Value("${spring.datasource.url}") String url) {
		return DatabaseStore.of(url);
	}

	@Bean
	ThisDaemon thisDaemon(ClusterProperties properties) {
		String host = hostName();
		String name = (properties.daemonName() != null) ? properties.daemonName() : host;
		byte[] suffix = new byte[3];
		ThreadLocalRandom.current().nextBytes(suffix);
		return new ThisDaemon(name + ":" + HexFormat.of().formatHex(suffix), name, host, ProcessHandle.current().pid());
	}

	/**
	 * {@code db/migration/h2} or {@code db/migration/postgresql}, from the URL alone:
	 * Boot's {@code {vendor}} would open the database to ask, before the backups' check
	 * of a damaged (empty) H2 file.
	 */
	@Bean
	FlywayConfigurationCustomizer migrationsForTheStore(DatabaseStore store) {
		return (configuration) -> configuration.locations(store.migrationLocation());
	}

	/**
	 * On PostgreSQL, Quartz's clustered JDBC store: each firing goes to one daemon, and a
	 * dead daemon's firing in progress is recovered by another. Its PostgreSQL delegate
	 * reads BYTEA columns (the standard one fails, so nothing would ever fire), and the
	 * instance id is this daemon run's.
	 */
	@Bean
	SchedulerFactoryBeanCustomizer quartzForTheStore(DatabaseStore store, QuartzProperties quartz, ThisDaemon daemon,
			ClusterProperties cluster) {
		return (factory) -> {
			if (!store.shared()) {
				return;
			}
			Properties properties = new Properties();
			properties.putAll(quartz.getProperties());
			properties.put("org.quartz.jobStore.driverDelegateClass",
					"org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
			properties.put("org.quartz.jobStore.isClustered", "true");
			properties.put("org.quartz.jobStore.clusterCheckinInterval",
					String.valueOf(cluster.heartbeatInterval().toMillis()));
			properties.put("org.quartz.scheduler.instanceId", daemon.id());
			factory.setQuartzProperties(properties);
		};
	}

	private static String hostName() {
		// The kernel's name first: InetAddress may wait on a resolver.
		String name;
		try {
			name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
		}
		catch (IOException ex) {
			try {
				name = InetAddress.getLocalHost().getHostName();
			}
			catch (UnknownHostException unknown) {
				name = "localhost";
			}
		}
		// The first label only, in the characters a daemon name allows.
		String label = name.split("\\.")[0].replaceAll("[^A-Za-z0-9._-]", "-");
		return label.isEmpty() ? "localhost" : label.substring(0, Math.min(63, label.length()));
	}

}
