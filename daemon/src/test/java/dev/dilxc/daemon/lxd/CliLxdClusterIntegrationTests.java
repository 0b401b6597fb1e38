package dev.dilxc.daemon.lxd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.daemon.process.ProcessRunner;
import dev.dilxc.daemon.testing.Lxc;
import dev.dilxc.daemon.testing.TestBackend;
import dev.dilxc.daemon.testing.TestCluster;

/**
 * {@link CliLxd} in a real three-member cluster ({@link TestCluster}) of the current back
 * end: the adapter's client is member 1's (as a daemon on member 1 would have it), the
 * instance lives on member 2, so every call is one member 1 forwards. What the cluster
 * did is checked through member 2's own client, not through the adapter under test.
 * Instances are named {@code cliclu-...} and deleted at the end, also on failure.
 */
class CliLxdClusterIntegrationTests {

	private static final String PREFIX = System.getenv().getOrDefault("DILXC_TEST_PREFIX", "") + "cliclu-";

	private static final int UBUNTU = 1000;

	private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(30);

	private static TestCluster cluster;

	private static InstanceName onMember2;

	private static CliLxd lxd;

	@TempDir
	Path host;

	@BeforeAll
	static void placeAnInstanceOnMember2() {
		cluster = TestCluster.up();
		// What an earlier run killed midway left.
		cluster.deleteInstances(PREFIX);
		onMember2 = new InstanceName(PREFIX + UUID.randomUUID().toString().substring(0, 8));
		cluster.launchOn(2, onMember2.value());
		lxd = new CliLxd(new ProcessRunner(),
				new LxdProperties(LxdProperties.BackendChoice.valueOf(TestBackend.current().name()),
						cluster.client(1).toString(), Duration.ofSeconds(60), Duration.ofMinutes(10),
						Duration.ofSeconds(20)),
				JsonMapper.builder().build());
	}

	@AfterAll
	static void deleteTheInstances() {
		if (cluster != null) {
			cluster.deleteInstances(PREFIX);
		}
	}

	@Test
	void anInstanceOnMember2IsFoundRunningAndListedThroughMember1AndIsNotTheHostDaemons() {
		assertThat(cluster.location(onMember2.value())).isEqualTo("member2");
		assertThat(lxd.client().executable()).isEqualTo(cluster.client(1).toString());

		assertThat(lxd.findInstance(onMember2)).contains(new Instance(onMember2, InstanceStatus.RUNNING));
		assertThat(lxd.findInstance(new InstanceName(PREFIX + "missing"))).isEmpty();
		assertThat(lxd.listInstances()).anySatisfy((details) -> {
			assertThat(details.name()).isEqualTo(onMember2);
			assertThat(details.isRunning()).isTrue();
		});
		// The host's own daemon has no such instance: the adapter reached the cluster.
		assertThat(Lxc.run("query", "/1.0/instances/" + onMember2).exitCode()).isNotZero();
	}

	@Test
	void execThroughMember1RunsInTheInstanceOnMember2WithItsUserDirectoryEnvironmentExitCodeAndOutput() {
		ExecResult result = lxd.exec(onMember2,
				new ExecRequest(
						List.of("sh", "-c", "id -u; id -g; pwd; hostname; echo \"$GREETING\"; echo oops >&2; exit 7"),
						UBUNTU, UBUNTU, "/tmp", Map.of("GREETING", "hello from member1"), EXEC_TIMEOUT));

		assertThat(result.exitCode()).isEqualTo(7);
		assertThat(result.stdout()).isEqualTo("1000\n1000\n/tmp\n" + onMember2 + "\nhello from member1\n");
		assertThat(result.stderr()).isEqualTo("oops\n");
		assertThat(lxd.exec(onMember2, ExecRequest.asRoot(EXEC_TIMEOUT, "true")).exitCode()).isZero();
	}

	@Test
	void snapshotsTakenThroughMember1AreListedAndARestoreBringsTheInstancesFileBack() {
		String file = "/root/cluster-snapshot-" + UUID.randomUUID().toString().substring(0, 6);
		String snapshot = "cliclu-" + UUID.randomUUID().toString().substring(0, 6);
		onMember2Exec("sh", "-c", "echo before > " + file);
		Instant taken = Instant.now();

		lxd.createSnapshot(onMember2, snapshot);
		try {
			assertThat(lxd.listSnapshots(onMember2)).anySatisfy((listed) -> {
				assertThat(listed.name()).isEqualTo(snapshot);
				assertThat(listed.createdAt()).isBetween(taken.minusSeconds(60), Instant.now().plusSeconds(60));
			});
			assertThat(cluster.run(2, "query", "/1.0/instances/" + onMember2 + "/snapshots"))
				.contains("/snapshots/" + snapshot + "\"");

			onMember2Exec("sh", "-c", "echo after > " + file);
			lxd.restoreSnapshot(onMember2, snapshot);

			assertThat(onMember2Exec("cat", file)).isEqualTo("before\n");
			assertThat(lxd.findInstance(onMember2)).contains(new Instance(onMember2, InstanceStatus.RUNNING));
		}
		finally {
			lxd.deleteSnapshot(onMember2, snapshot);
		}
		assertThat(lxd.listSnapshots(onMember2)).noneSatisfy((listed) -> assertThat(listed.name()).isEqualTo(snapshot));
	}

	@Test
	void pushAndPullThroughMember1CopyFilesAndDirectoriesToAndFromTheInstanceOnMember2() throws Exception {
		String dir = "/home/ubuntu/cluster-files-" + UUID.randomUUID().toString().substring(0, 6);
		Path file = Files.writeString(this.host.resolve("notes.txt"), "pushed through member1\n");
		Path tree = Files.createDirectories(this.host.resolve("tree/sub"));
		Files.writeString(tree.resolve("leaf.txt"), "leaf\n");

		lxd.pushFile(onMember2, file, dir + "/notes.txt", UBUNTU, UBUNTU);
		lxd.pushFile(onMember2, this.host.resolve("tree"), dir + "/tree", UBUNTU, UBUNTU);

		assertThat(onMember2Exec("cat", dir + "/notes.txt", dir + "/tree/sub/leaf.txt"))
			.isEqualTo("pushed through member1\nleaf\n");
		assertThat(onMember2Exec("stat", "-c", "%u:%g %n", dir + "/notes.txt", dir + "/tree/sub/leaf.txt"))
			.isEqualTo("1000:1000 " + dir + "/notes.txt\n1000:1000 " + dir + "/tree/sub/leaf.txt\n");

		onMember2Exec("sh", "-c",
				"mkdir -p " + dir + "/made/deep && printf 'made on member2\\n' > " + dir + "/made/deep/out.txt");
		Path pulledFile = this.host.resolve("out/out.txt");
		lxd.pullFile(onMember2, dir + "/made/deep/out.txt", pulledFile);
		Path pulledTree = this.host.resolve("made");
		lxd.pullFile(onMember2, dir + "/made", pulledTree);

		assertThat(pulledFile).hasContent("made on member2");
		assertThat(pulledTree.resolve("deep/out.txt")).hasContent("made on member2");
	}

	@Test
	void writeFileThroughMember1StoresTheExactBytesWithModeAndOwnerInTheInstanceOnMember2() throws Exception {
		String path = "/home/ubuntu/cluster-write-" + UUID.randomUUID().toString().substring(0, 6) + "/agent.env";
		byte[] content = ("KEY='\"$(id)`x`\n" + UUID.randomUUID() + "\n").getBytes(StandardCharsets.UTF_8);
		byte[] bytes = new byte[content.length + 2];
		System.arraycopy(content, 0, bytes, 0, content.length);
		bytes[content.length] = 0;
		bytes[content.length + 1] = (byte) 0xff;

		lxd.writeFile(onMember2, path, bytes, UBUNTU, UBUNTU, 0600);

		assertThat(onMember2Exec("sha256sum", path))
			.startsWith(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)) + " ");
		assertThat(onMember2Exec("stat", "-c", "%a %u:%g", path)).isEqualTo("600 1000:1000\n");
	}

	/**
	 * Runs a command as root in the instance through member 2's own client (not the
	 * adapter); fails on a non-zero exit.
	 */
	private static String onMember2Exec(String... command) {
		String[] args = new String[command.length + 3];
		args[0] = "exec";
		args[1] = onMember2.value();
		args[2] = "--";
		System.arraycopy(command, 0, args, 3, command.length);
		return cluster.run(2, args);
	}

}
