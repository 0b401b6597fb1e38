package dev.dilxc.daemon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.MapPropertySource;

import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.testing.TestStore;

/**
 * A daemon pointed at a PostgreSQL it cannot use stops with a report that says why and
 * what to check, from the real failures of a real start (a closed port, a database that
 * does not exist on the test server), never showing the password.
 */
class PostgresqlFailureAnalyzerTests {

	@TempDir
	Path home;

	@Test
	void aServerThatDoesNotAnswerIsNamedWithoutTheSecretsAndTheSettingToCheck() {
		String url = "jdbc:postgresql://127.0.0.1:9/dilxc?password=hunter2";

		FailureAnalysis analysis = analyse(url);

		assertThat(analysis.getDescription())
			.startsWith("Cannot reach the PostgreSQL database jdbc:postgresql://127.0.0.1:9/dilxc: ")
			.doesNotContain("hunter2");
		assertThat(analysis.getAction()).contains("spring.datasource.url").contains("pg_hba.conf");
	}

	@Test
	void aDatabaseThatDoesNotExistIsNamedWithTheCommandThatCreatesIt() {
		String url = TestStore.SERVER + "dilxc_missing_database";

		FailureAnalysis analysis = analyse(url);

		assertThat(analysis.getDescription()).startsWith("The PostgreSQL database in " + url + " does not exist");
		assertThat(analysis.getAction()).contains("createdb --owner postgres");
	}

	@Test
	void aUrlOfAnotherDatabaseIsRefusedNamingBothThatWork() {
		FailureAnalysis analysis = analyse("jdbc:mysql://db/dilxc");

		assertThat(analysis.getDescription()).contains("an H2 database (the default) or a PostgreSQL one")
			.contains("not 'jdbc:mysql://db/dilxc'");
		assertThat(analysis.getAction()).contains("spring.datasource.url");
	}

	private FailureAnalysis analyse(String url) {
		String[] args = { "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
				"--spring.datasource.password=", "--dilxc.data-dir=" + this.home.resolve("data"),
				"--dilxc.socket=" + this.home.resolve("run/daemon.sock"), "--dilxc.jobs.worker-enabled=false",
				"--spring.datasource.hikari.connection-timeout=2000" };
		Throwable failure = catchThrowable(
				() -> new SpringApplicationBuilder(DaemonApplication.class).web(WebApplicationType.NONE)
					.run(args)
					.close());
		assertThat(failure).as("the start fails").isNotNull();
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("test",
					java.util.Map.of("spring.datasource.url", url, "spring.datasource.username", "postgres")));
		FailureAnalysis analysis = new PostgresqlFailureAnalyzer(environment).analyze(failure);
		assertThat(analysis).as("analysed: " + failure).isNotNull();
		return analysis;
	}

}
