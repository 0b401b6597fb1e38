package dev.dilxc.daemon.backups;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Boot runs Flyway through this strategy: a backup first whenever a migration will change
 * existing history.
 */
@Configuration(proxyBeanMethods = false)
class BackupConfiguration {

	@Bean
	FlywayMigrationStrategy backUpBeforeMigrating(DatabaseBackups backups) {
		return (flyway) -> {
			backups.beforeMigrating(flyway);
			flyway.migrate();
		};
	}

}
