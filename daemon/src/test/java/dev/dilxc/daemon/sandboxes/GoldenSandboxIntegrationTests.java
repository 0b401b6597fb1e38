package dev.dilxc.daemon.sandboxes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dilxc.api.CheckReport;
import dev.dilxc.api.CheckResult;
import dev.dilxc.api.HostAuth;
import dev.dilxc.api.TerminalCommand;
import dev.dilxc.api.TerminalKind;
import dev.dilxc.api.TerminalRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.testing.Await;
import dev.dilxc.daemon.testing.DaemonTestProperties;

/**
 * What needs Docker inside the sandbox, on a sandbox from the golden image: the health
 * check's Docker probe, {@code docker ARGS} in the project directory, and {@code logs}
 * following every running container (the original followed exactly one). Container images
 * are made locally with {@code docker import}: no registry is reachable.
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class GoldenSandboxIntegrationTests {

	/**
	 * Makes a two-binary image from the sandbox's own sh and sleep (with their
	 * libraries).
	 */
	private static final String TINY_IMAGE = """
			set -e
			d=$(mktemp -d); cd "$d"
			for f in /bin/sh /bin/sleep $(ldd /bin/sh /bin/sleep | grep -o '/[^ :]*' | sort -u); do cp --parents -L "$f" .; done
			tar -c . | docker import - ops-tiny:1 >/dev/null
			""";

	private static OpsSandbox sandbox;

	@TempDir
	static Path data;

	@Autowired
	private TerminalCommands terminals;

	@Autowired
	private SandboxChecks checks;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
	}

	@BeforeAll
	static void launch() {
		sandbox = OpsSandbox.launch(OpsSandbox.GOLDEN_IMAGE);
		awaitDocker();
	}

	@AfterAll
	static void remove() {
		if (sandbox != null) {
			sandbox.close();
		}
	}

	@Test
	void healthFindsDockerRunningOnTheGoldenImage() {
		CheckReport report = this.checks.health(sandbox.name());

		CheckResult docker = report.checks()
			.stream()
			.filter((c) -> c.name().equals("Docker"))
			.findFirst()
			.orElseThrow();
		assertThat(docker.ok()).as(docker.detail()).isTrue();
		assertThat(docker.detail()).startsWith("ok (engine ");
	}

	@Test
	void gitAuthMountsTheHostsGhConfigAndSaysWhenGhIsNotLoggedIn(@TempDir Path gh) {
		try {
			CheckReport report = this.checks.gitAuth(sandbox.name(), new HostAuth(null, gh.toString()));

			CheckResult github = report.checks()
				.stream()
				.filter((c) -> c.name().equals("GitHub CLI"))
				.findFirst()
				.orElseThrow();
			assertThat(github.ok()).isFalse();
			assertThat(github.detail()).startsWith("NOT AUTHENTICATED");
			assertThat(github.fix()).isEqualTo("authenticate on the host: gh auth login");
			assertThat(sandbox.device("gh-config", "source")).isEqualTo(gh.toString());
		}
		finally {
			dev.dilxc.daemon.testing.Lxc.run("config", "device", "remove", sandbox.name(), "gh-config");
		}
	}

	@Test
	void dockerLogsWithNoContainerAndNoComposeFileSaysSoAndExitsNonZero() throws Exception {
		TerminalCommand logs = this.terminals.terminal(sandbox.name(),
				new TerminalRequest(TerminalKind.DOCKER_LOGS, List.of(), false, false, null));

		SandboxOperationsIntegrationTests.Ran ran = SandboxOperationsIntegrationTests.run(logs.argv());

		assertThat(ran.exitCode()).isEqualTo(1);
		assertThat(ran.output())
			.contains("no Docker container is running in this sandbox, and /home/ubuntu/project has no compose file");
	}

	@Test
	void dockerRunsInTheProjectDirectoryAndLogsFollowsEveryRunningContainer() throws Exception {
		sandbox.root("sh", "-c", TINY_IMAGE);
		// The docker CLI reads a relative --env-file from its working directory: the
		// project's, not $HOME.
		sandbox.writeFile(OpsSandbox.PROJECT + "/ops.env", "OPS_MARK=from-the-project\n", "0644");
		TerminalCommand run = this.terminals.terminal(sandbox.name(),
				new TerminalRequest(TerminalKind.DOCKER, List.of("run", "--rm", "--network", "none", "--env-file",
						"ops.env", "ops-tiny:1", "/bin/sh", "-c", "echo mark-$OPS_MARK"), false, false, null));
		SandboxOperationsIntegrationTests.Ran ran = SandboxOperationsIntegrationTests.run(run.argv());
		assertThat(ran.exitCode()).as(ran.output()).isZero();
		assertThat(ran.output()).contains("mark-from-the-project");

		for (String name : List.of("ops-one", "ops-two")) {
			sandbox.root("docker", "run", "-d", "--name", name, "--network", "none", "ops-tiny:1", "/bin/sh", "-c",
					"echo hello-from-" + name + "; sleep 300");
		}
		TerminalCommand logs = this.terminals.terminal(sandbox.name(),
				new TerminalRequest(TerminalKind.DOCKER_LOGS, List.of(), false, false, null));
		assertThat(logs.argv()).contains("-T");

		List<String> lines = follow(logs.argv(), List.of("ops-one  hello-from-ops-one", "ops-two  hello-from-ops-two"));

		assertThat(lines).contains("ops-one  hello-from-ops-one", "ops-two  hello-from-ops-two");
	}

	/**
	 * Runs the argv until every expected line was printed (or 60 s passed), then ends the
	 * client.
	 */
	private static List<String> follow(List<String> argv, List<String> expected) throws Exception {
		Process process = new ProcessBuilder(new ArrayList<>(argv)).redirectErrorStream(true).start();
		List<String> lines = new CopyOnWriteArrayList<>();
		Thread reader = Thread.ofVirtual().start(() -> {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					lines.add(line.strip());
				}
			}
			catch (java.io.IOException ex) {
				// the client was ended
			}
		});
		try {
			Await.until("the client to print " + expected + " (or exit)", Duration.ofSeconds(60),
					Duration.ofMillis(100), () -> List.copyOf(lines),
					(seen) -> seen.containsAll(expected) || !process.isAlive());
		}
		finally {
			process.destroy();
			process.waitFor(10, TimeUnit.SECONDS);
			reader.join(5000);
		}
		return lines;
	}

	private static void awaitDocker() {
		Await.until("Docker to start in the golden sandbox " + sandbox.name(), Duration.ofSeconds(90),
				Duration.ofMillis(500),
				() -> dev.dilxc.daemon.testing.Lxc.run("exec", sandbox.name(), "--", "docker", "info"),
				(result) -> result.exitCode() == 0);
	}

}
