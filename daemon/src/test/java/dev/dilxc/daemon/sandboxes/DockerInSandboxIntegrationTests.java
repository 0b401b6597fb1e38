package dev.dilxc.daemon.sandboxes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

import dev.dilxc.daemon.testing.Await;
import dev.dilxc.daemon.testing.GoldenSandbox;
import dev.dilxc.daemon.testing.Lxc;

/**
 * The Docker engine inside a sandbox, driven from the host by Testcontainers (a Docker
 * client nobody here wrote) through an LXD proxy device that exposes the sandbox's
 * {@code /var/run/docker.sock} as a host socket.
 *
 * <p>
 * Testcontainers finds the engine through the {@code DOCKER_HOST} system property, which
 * docker-java reads like the environment variable: set here once the socket exists, so
 * neither {@code ~/.testcontainers.properties} nor a fixed path is needed. Ryuk (the
 * reaper container) is disabled by failsafe's {@code TESTCONTAINERS_RYUK_DISABLED}: its
 * image cannot be pulled here, and the sandbox is deleted afterwards anyway.
 */
class DockerInSandboxIntegrationTests {

	private static final DockerImageName BUSYBOX = DockerImageName.parse(GoldenSandbox.BUSYBOX_IMAGE);

	private static Path socketDir;

	private static GoldenSandbox sandbox;

	@BeforeAll
	static void exposeTheSandboxesDocker() throws IOException, InterruptedException {
		assertThat(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))
			.as("run through failsafe, which sets TESTCONTAINERS_RYUK_DISABLED=true (no registry for Ryuk's image)")
			.isEqualTo("true");
		// A unix socket path must stay under 108 bytes: a short private dir in /tmp.
		socketDir = Files.createTempDirectory(Path.of("/tmp"), "prov-",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		sandbox = GoldenSandbox.launch("prov-docker");
		sandbox.importBusyboxImage(socketDir);
		Path socket = socketDir.resolve("docker.sock");
		Lxc.run("config", "device", "add", sandbox.name(), "docker", "proxy", "listen=unix:" + socket,
				"connect=unix:/var/run/docker.sock", "bind=host", "mode=0600")
			.orFail("add docker proxy device");
		Await.until("proxy socket " + socket + " to appear", Duration.ofSeconds(30), Duration.ofMillis(100),
				() -> Files.exists(socket));
		System.setProperty("DOCKER_HOST", "unix://" + socket);
	}

	@AfterAll
	static void deleteSandbox() throws IOException {
		if (sandbox != null) {
			sandbox.close();
		}
		if (socketDir != null) {
			try (var files = Files.walk(socketDir)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
			}
		}
	}

	@Test
	void testcontainersTalksToTheEngineInsideTheSandbox() {
		var info = DockerClientFactory.instance().client().infoCmd().exec();

		// The engine's name is the sandbox's hostname: this is the nested Docker, not one
		// on the host.
		assertThat(info.getName()).isEqualTo(sandbox.name());
		assertThat(DockerClientFactory.instance().isDockerAvailable()).isTrue();
	}

	@Test
	void oneShotContainerDoesWorkAndItsLogsComeBack() {
		try (GenericContainer<?> job = new GenericContainer<>(BUSYBOX).withNetworkMode("none")
			.withCommand("sh", "-c", "mkdir -p /out && printf 'line %s\\n' 1 2 3 | tee /out/result && echo done >&2")
			.withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
			job.start();

			assertThat(job.getLogs(OutputFrame.OutputType.STDOUT)).isEqualTo("line 1\nline 2\nline 3\n");
			assertThat(job.getLogs(OutputFrame.OutputType.STDERR)).isEqualTo("done\n");
		}
	}

	@Test
	void execInARunningContainerReturnsOutputAndExitCode() throws Exception {
		try (GenericContainer<?> box = longRunning()) {
			box.start();

			ExecResult ok = box.execInContainer("sh", "-c",
					"echo out; echo err >&2; printf '%s' \"$((6 * 7))\" > /tmp/n");
			ExecResult failed = box.execInContainer("sh", "-c", "exit 3");

			assertThat(ok.getExitCode()).isZero();
			assertThat(ok.getStdout()).isEqualTo("out\n");
			assertThat(ok.getStderr()).isEqualTo("err\n");
			assertThat(failed.getExitCode()).isEqualTo(3);
		}
	}

	@Test
	void filesGoInAndComeOutThroughTheProxy() throws Exception {
		try (GenericContainer<?> box = longRunning().withCopyToContainer(Transferable.of("from the host\n"),
				"/tmp/in.txt")) {
			box.start();
			box.execInContainer("sh", "-c", "cat /tmp/in.txt > /tmp/out.txt && echo and back >> /tmp/out.txt");

			String copied = box.copyFileFromContainer("/tmp/out.txt",
					(in) -> new String(in.readAllBytes(), StandardCharsets.UTF_8));

			assertThat(copied).isEqualTo("from the host\nand back\n");
		}
	}

	@Test
	void followedLogsStreamWhileTheContainerRuns() throws Exception {
		ToStringConsumer consumer = new ToStringConsumer();
		try (GenericContainer<?> box = new GenericContainer<>(BUSYBOX).withNetworkMode("none")
			.withCommand("sh", "-c", "echo started; sleep 600")) {
			box.start();
			box.followOutput(consumer, OutputFrame.OutputType.STDOUT);

			Await.until("the container's first line", Duration.ofSeconds(20), Duration.ofMillis(100),
					consumer::toUtf8String, (output) -> output.contains("started"));
			assertThat(consumer.toUtf8String()).isEqualTo("started\n");
		}
	}

	private static GenericContainer<?> longRunning() {
		return new GenericContainer<>(BUSYBOX).withNetworkMode("none").withCommand("sleep", "600");
	}

}
