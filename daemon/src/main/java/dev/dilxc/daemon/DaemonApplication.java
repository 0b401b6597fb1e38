package dev.dilxc.daemon;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import dev.dilxc.daemon.backups.BackupRestore;
import dev.dilxc.daemon.backups.DamagedDatabase;
import dev.dilxc.daemon.backups.HistoryImport;
import dev.dilxc.daemon.cluster.DatabaseStore;
import dev.dilxc.daemon.system.DaemonPaths;
import dev.dilxc.daemon.system.DefaultConfiguration;

/** The dilxc daemon: {@code dilxc-daemon} runs this in the foreground. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DaemonApplication {

	public static void main(String[] args) {
		if (args.length == 1 && args[0].equals("--print-default-config")) {
			// For deploy/install.sh: the commented settings file, without starting
			// anything.
			System.out.print(DefaultConfiguration.render());
			return;
		}
		DaemonPaths paths = DaemonPaths.fromEnvironment();
		if (BackupRestore.requested(args)) {
			String postgresql = postgresqlUrl(paths);
			if (postgresql != null) {
				System.err.println("dilxc-daemon: the settings keep the history in PostgreSQL (" + postgresql
						+ "), which --restore-backup does not touch: it restores the H2 file only. Restore "
						+ "PostgreSQL with its own tools (pg_restore, or your archive), or remove spring.datasource.url "
						+ "from the settings to go back to H2 first.");
				System.exit(64);
			}
			// With no daemon running, so before Spring (which would open the database it
			// replaces).
			System.exit(BackupRestore.run(args, paths.dataDirectory(), paths.socket(), java.time.Clock.systemUTC(),
					System.out, System.err));
		}
		if (HistoryImport.requested(args)) {
			// With no daemon running, before Spring (which would start one); the target
			// is
			// the database the daemon's own settings name.
			System.exit(HistoryImport.run(args, paths.dataDirectory(), paths.socket(),
					() -> DaemonSettings.database(paths), System.out, System.err));
		}
		SpringApplication application = new SpringApplication(DaemonApplication.class);
		try {
			// The build's AOT step runs this main to record the bean definitions: it must
			// not create ~/.local/share/dilxc.
			if (!Boolean.getBoolean("spring.aot.processing")) {
				paths.prepareDataDirectory();
			}
		}
		catch (RuntimeException ex) {
			System.err.println("dilxc-daemon: " + ex.getMessage());
			System.exit(78);
		}
		application.setDefaultProperties(DaemonSettings.defaults(paths));
		try {
			application.run(args);
		}
		catch (RuntimeException ex) {
			// Boot has printed the report (file, newest backup, restore command);
			// restarting cannot help.
			if (DamagedDatabase.isCause(ex)) {
				System.exit(DamagedDatabase.EXIT_STATUS);
			}
			throw ex;
		}
	}

	/**
	 * The PostgreSQL URL (without secrets) the settings name, or null: H2, or settings
	 * that cannot be read (a restore is what a broken install may need most).
	 */
	private static @Nullable String postgresqlUrl(DaemonPaths paths) {
		try {
			String url = DaemonSettings.database(paths).url();
			return url.startsWith("jdbc:postgresql:") ? DatabaseStore.withoutSecrets(url) : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

}
