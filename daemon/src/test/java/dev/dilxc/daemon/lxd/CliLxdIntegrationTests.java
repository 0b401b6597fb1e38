package dev.dilxc.daemon.lxd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.daemon.process.ProcessResult;
import dev.dilxc.daemon.process.ProcessRunner;
import dev.dilxc.daemon.testing.TestBackend;
import dev.dilxc.daemon.testing.Await;
import dev.dilxc.daemon.testing.Lxc;
import dev.dilxc.daemon.testing.TestSandbox;

/**
 * {@link CliLxd} against the real LXD of this machine and the test image. One running
 * instance serves the device, config and file tests; the lifecycle tests make their own.
 * Every instance is named {@code lxd-...} and deleted at the end, also on failure. What
 * LXD did is checked through the plain {@code lxc} CLI ({@link Lxc}), not through the
 * adapter under test.
 */
class CliLxdIntegrationTests {

	private static final int UBUNTU = 1000;

	private static InstanceName shared;

	private final RecordingRunner runner = new RecordingRunner();

	private final CliLxd lxd = new CliLxd(this.runner,
			new LxdProperties(LxdProperties.BackendChoice.valueOf(TestBackend.current().name()), null,
					Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofSeconds(20)),
			JsonMapper.builder().build());

	@TempDir
	Path host;

	@BeforeAll
	static void launchSharedInstance() {
		TestSandbox.requireLxd();
		shared = new InstanceName(uniqueName());
		Lxc.run("launch", TestSandbox.IMAGE, shared.value()).orFail("lxc launch " + shared);
		awaitExec(shared);
	}

	@AfterAll
	static void deleteSharedInstance() {
		if (shared != null) {
			Lxc.run("delete", "--force", shared.value());
		}
	}

	@BeforeEach
	void forgetCalls() {
		this.runner.commands.clear();
	}

	// --- instances
	// ------------------------------------------------------------------------------

	@Test
	void createLeavesInstanceStoppedWithItsConfigAndStartAndStopAreIdempotent() {
		InstanceName name = new InstanceName(uniqueName());
		try {
			this.lxd.createInstance(new InstanceSpec(name, TestSandbox.IMAGE, "default", Map.of("security.nesting",
					"true", "raw.idmap", "both 1000 1000", "user.dilxc.project", "/srv/my project")));
			InstanceDetails created = this.lxd.describeInstance(name);
			assertThat(created.status()).isEqualTo(InstanceStatus.STOPPED);
			assertThat(created.config()).containsEntry("raw.idmap", "both 1000 1000")
				.containsEntry("user.dilxc.project", "/srv/my project")
				.containsEntry("security.nesting", "true");
			// --storage makes LXD give the instance a local root disk on that pool.
			assertThat(created.devices()).containsOnlyKeys("root");
			assertThat(created.devices().get("root")).containsEntry("type", "disk").containsEntry("pool", "default");
			assertThat(created.memoryUsageBytes()).isNull();
			assertThat(created.processes()).isNull();
			assertThat(created.createdAt()).isAfter(java.time.Instant.now().minus(Duration.ofMinutes(5)));

			this.lxd.startInstance(name);
			this.lxd.startInstance(name);
			InstanceDetails running = this.lxd.describeInstance(name);
			assertThat(running.isRunning()).isTrue();
			assertThat(running.processes()).isPositive();
			assertThat(running.memoryUsageBytes()).isPositive();
			assertThat(running.ipv4()).isEmpty();
			assertThat(status(name)).isEqualTo("Running");

			this.lxd.stopInstance(name);
			this.lxd.stopInstance(name);
			assertThat(status(name)).isEqualTo("Stopped");

			// A restart of a stopped instance leaves it running, as a restart of a
			// running one does.
			this.lxd.restartInstance(name);
			assertThat(status(name)).isEqualTo("Running");
			String initPid = initPid(name);
			this.lxd.restartInstance(name);
			assertThat(status(name)).isEqualTo("Running");
			assertThat(initPid(name)).isNotEqualTo(initPid);

			assertThat(this.lxd.listInstances()).anySatisfy((details) -> {
				assertThat(details.name()).isEqualTo(name);
				assertThat(details.isRunning()).isTrue();
				assertThat(details.config()).containsEntry("user.dilxc.project", "/srv/my project");
			});

			this.lxd.deleteInstance(name);
			assertThat(Lxc.run("query", "/1.0/instances/" + name).exitCode()).isNotZero();
			assertThatExceptionOfType(InstanceNotFoundException.class).isThrownBy(() -> this.lxd.describeInstance(name))
				.satisfies((ex) -> assertThat(ex.name()).isEqualTo(name));
		}
		finally {
			Lxc.run("delete", "--force", name.value());
		}
	}

	@Test
	void createWithATakenNameThrowsInstanceExistsAndLeavesTheInstanceAlone() {
		Map<String, String> before = config(shared);
		assertThatExceptionOfType(InstanceExistsException.class)
			.isThrownBy(() -> this.lxd.createInstance(new InstanceSpec(shared, TestSandbox.IMAGE, null, Map.of())))
			.withMessageContaining(shared.value());
		assertThat(status(shared)).isEqualTo("Running");
		assertThat(config(shared)).isEqualTo(before);
	}

	@Test
	void createFromAMissingImageThrowsImageNotFoundAndCreatesNothing() {
		InstanceName name = new InstanceName(uniqueName());
		try {
			assertThatExceptionOfType(ImageNotFoundException.class)
				.isThrownBy(() -> this.lxd.createInstance(new InstanceSpec(name, "lxd-no-such-image", null, Map.of())))
				.withMessageContaining("lxd-no-such-image");
			assertThat(Lxc.run("query", "/1.0/instances/" + name).exitCode()).isNotZero();
		}
		finally {
			Lxc.run("delete", "--force", name.value());
		}
	}

	@Test
	void verbsOnAMissingInstanceThrowInstanceNotFound() {
		InstanceName missing = new InstanceName("lxd-missing-" + UUID.randomUUID().toString().substring(0, 8));
		List<Runnable> verbs = List.of(() -> this.lxd.describeInstance(missing), () -> this.lxd.startInstance(missing),
				() -> this.lxd.stopInstance(missing), () -> this.lxd.restartInstance(missing),
				() -> this.lxd.deleteInstance(missing), () -> this.lxd.setConfig(missing, Map.of("user.a", "b")),
				() -> this.lxd.addDevice(missing, "d", "none", Map.of()),
				() -> this.lxd.writeFile(missing, "/tmp/x", new byte[] { 1 }, 0, 0, 0600),
				() -> this.lxd.pullFile(missing, "/etc/hostname", this.host.resolve("x")));
		for (Runnable verb : verbs) {
			assertThatExceptionOfType(InstanceNotFoundException.class).isThrownBy(verb::run)
				.satisfies((ex) -> assertThat(ex.name()).isEqualTo(missing));
		}
	}

	@Test
	void execOfACommandTheInstanceLacksIsExit127NotAMissingInstance() {
		ExecResult missing = this.lxd.exec(shared,
				ExecRequest.asRoot(java.time.Duration.ofSeconds(30), "no-such-command-xyz"));
		assertThat(missing.exitCode()).isEqualTo(127);
		ExecResult notExecutable = this.lxd.exec(shared,
				ExecRequest.asRoot(java.time.Duration.ofSeconds(30), "/etc/hostname"));
		assertThat(notExecutable.exitCode()).isEqualTo(126);
	}

	// --- config and devices
	// ----------------------------------------------------------------------

	@Test
	void setConfigWritesEveryKeyIncludingValuesWithSpacesAndNewlines() {
		this.lxd.setConfig(shared, Map.of("user.lxd-test.a", "one two", "user.lxd-test.b", "line1\nline2"));
		assertThat(config(shared)).containsEntry("user.lxd-test.a", "one two")
			.containsEntry("user.lxd-test.b", "line1\nline2");
		assertThat(this.lxd.describeInstance(shared).config()).containsEntry("user.lxd-test.a", "one two");
	}

	@Test
	void devicesAreAddedChangedAndRemovedAndOnlyLocalOnesAreDescribed() throws Exception {
		Path source = Files.createDirectory(this.host.resolve("src"));
		this.lxd.addDevice(shared, "lxd-disk", "disk",
				Map.of("source", source.toString(), "path", "/mnt/lxd-disk", "readonly", "true"));
		try {
			assertThat(Lxc.exec(shared.value(), "sh", "-c", "grep ' /mnt/lxd-disk ' /proc/mounts")).contains(" ro");
			assertThatExceptionOfType(DeviceExistsException.class)
				.isThrownBy(() -> this.lxd.addDevice(shared, "lxd-disk", "disk",
						Map.of("source", source.toString(), "path", "/mnt/other")))
				.withMessageContaining("lxd-disk");

			this.lxd.setDevice(shared, "lxd-disk", Map.of("readonly", "false"));
			Map<String, Map<String, String>> devices = this.lxd.describeInstance(shared).devices();
			assertThat(devices).containsOnlyKeys("lxd-disk");
			assertThat(devices.get("lxd-disk")).containsEntry("type", "disk")
				.containsEntry("readonly", "false")
				.containsEntry("path", "/mnt/lxd-disk");
			assertThat(Lxc.exec(shared.value(), "sh", "-c", "grep ' /mnt/lxd-disk ' /proc/mounts")).contains(" rw");

			assertThatExceptionOfType(LxdOperationFailedException.class)
				.isThrownBy(() -> this.lxd.setDevice(shared, "lxd-no-such-device", Map.of("readonly", "true")))
				.withMessageContaining("Device doesn't exist");
		}
		finally {
			this.lxd.removeDevice(shared, "lxd-disk");
		}
		assertThat(Lxc.run("config", "device", "get", shared.value(), "lxd-disk", "path").exitCode()).isNotZero();
		this.lxd.removeDevice(shared, "lxd-disk");
	}

	@Test
	void serverReportsItsVersionAndIdmappedMountsOnlyWhenShiftedDisksReallyWork() throws Exception {
		LxdServer server = this.lxd.server();
		assertThat(server.version()).isEqualTo(Lxc.run("query", "/1.0")
			.orFail("query /1.0")
			.stdout()
			.replaceAll("(?s).*\"server_version\": \"([^\"]+)\".*", "$1"));
		Path source = Files.createDirectory(this.host.resolve("shifted"));
		boolean shiftWorks = Lxc
			.run("config", "device", "add", shared.value(), "lxd-shift", "disk", "source=" + source,
					"path=/mnt/lxd-shift", "shift=true")
			.exitCode() == 0;
		Lxc.run("config", "device", "remove", shared.value(), "lxd-shift");
		assertThat(server.idmappedMounts()).isEqualTo(shiftWorks);
	}

	@Test
	void imageExistsByAliasAndFingerprintAndNotForAnUnknownName() {
		String fingerprint = Lxc.run("query", "/1.0/images/aliases/" + TestSandbox.IMAGE)
			.orFail("alias")
			.stdout()
			.replaceAll("(?s).*\"target\": \"([0-9a-f]+)\".*", "$1");
		assertThat(this.lxd.imageExists(TestSandbox.IMAGE)).isTrue();
		assertThat(this.lxd.imageExists(fingerprint)).isTrue();
		assertThat(this.lxd.imageExists(fingerprint.substring(0, 12))).isTrue();
		assertThat(this.lxd.imageExists("lxd-no-such-image")).isFalse();
	}

	@Test
	void findStoragePoolReadsTheDriverAndIsEmptyForAnUnknownPool() {
		assertThat(this.lxd.findStoragePool("default")).contains(new StoragePool("default", "btrfs"));
		assertThat(this.lxd.findStoragePool("lxd-no-such-pool")).isEmpty();
	}

	// --- files
	// ------------------------------------------------------------------------------------------

	@Test
	void pushFileCreatesParentsOwnedByTheUserAndReplacesAnExistingFile() throws Exception {
		String dir = "/home/ubuntu/lxd-push-" + UUID.randomUUID().toString().substring(0, 6);
		Path file = Files.writeString(this.host.resolve("notes.txt"), "first\n");
		this.lxd.pushFile(shared, file, dir + "/a/notes.txt", UBUNTU, UBUNTU);
		assertThat(Lxc.exec(shared.value(), "cat", dir + "/a/notes.txt")).isEqualTo("first\n");
		assertThat(owners(dir)).containsExactly("1000:1000 " + dir, "1000:1000 " + dir + "/a",
				"1000:1000 " + dir + "/a/notes.txt");

		// Over a root-owned file: replaced, and the new one is the user's.
		Lxc.exec(shared.value(), "sh", "-c", "echo old > " + dir + "/a/notes.txt && chown 0:0 " + dir + "/a/notes.txt");
		Files.writeString(file, "second\n");
		this.lxd.pushFile(shared, file, dir + "/a/notes.txt", UBUNTU, UBUNTU);
		assertThat(Lxc.exec(shared.value(), "cat", dir + "/a/notes.txt")).isEqualTo("second\n");
		assertThat(owners(dir + "/a/notes.txt")).containsExactly("1000:1000 " + dir + "/a/notes.txt");

		// Into an existing directory: under its own name, as cp does; no staging
		// directory left behind.
		this.lxd.pushFile(shared, file, dir + "/a", UBUNTU, UBUNTU);
		assertThat(Lxc.exec(shared.value(), "ls", "-A", dir + "/a")).isEqualTo("notes.txt\n");
	}

	@Test
	void pushDirectoryCopiesTheTreeOwnedByTheUserAndMergesIntoAnExistingOne() throws Exception {
		String dir = "/home/ubuntu/lxd-tree-" + UUID.randomUUID().toString().substring(0, 6);
		Path tree = Files.createDirectories(this.host.resolve("tree/sub/deeper"));
		tree = this.host.resolve("tree");
		Files.writeString(tree.resolve("top.txt"), "top\n");
		Files.writeString(tree.resolve("sub/deeper/leaf.txt"), "leaf\n");
		this.lxd.pushFile(shared, tree, dir, UBUNTU, UBUNTU);
		assertThat(owners(dir)).containsExactly("1000:1000 " + dir, "1000:1000 " + dir + "/sub",
				"1000:1000 " + dir + "/sub/deeper", "1000:1000 " + dir + "/sub/deeper/leaf.txt",
				"1000:1000 " + dir + "/top.txt");

		// Pushed again into its parent (trailing slash): merged, changed files replaced,
		// extra files kept.
		Lxc.exec(shared.value(), "sh", "-c", "echo mine > " + dir + "/extra.txt");
		Files.writeString(tree.resolve("top.txt"), "changed\n");
		String parent = dir.substring(0, dir.lastIndexOf('/') + 1);
		Path renamed = Files.move(tree, this.host.resolve(dir.substring(dir.lastIndexOf('/') + 1)));
		this.lxd.pushFile(shared, renamed, parent, UBUNTU, UBUNTU);
		assertThat(Lxc.exec(shared.value(), "cat", dir + "/top.txt", dir + "/extra.txt")).isEqualTo("changed\nmine\n");
		assertThat(owners(dir + "/top.txt")).containsExactly("1000:1000 " + dir + "/top.txt");
		assertThat(Lxc.exec(shared.value(), "sh", "-c", "ls -A /home/ubuntu | grep -c dilxc-push || true").strip())
			.isEqualTo("0");
	}

	@Test
	void pushOfAMissingHostPathFailsBeforeCallingLxd() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.lxd.pushFile(shared, this.host.resolve("nope"), "/tmp/x", UBUNTU, UBUNTU))
			.withMessageContaining("nope")
			.withMessageContaining("no such file or directory");
		assertThat(this.runner.commands).isEmpty();
	}

	@Test
	void wordsThatLxcWouldReadAsFlagsOrPathsThatAreNotAbsoluteAreRefusedBeforeCallingLxd() throws Exception {
		Path file = Files.writeString(this.host.resolve("f"), "x");
		List<Runnable> bad = List.of(() -> this.lxd.createInstance(new InstanceSpec(shared, "--force", null, Map.of())),
				() -> this.lxd.createInstance(new InstanceSpec(shared, "img", "-p", Map.of())),
				() -> this.lxd.setConfig(shared, Map.of("-x", "y")),
				() -> this.lxd.addDevice(shared, "--all", "disk", Map.of()),
				() -> this.lxd.setDevice(shared, "d", Map.of("a=b", "c")), () -> this.lxd.removeDevice(shared, ""),
				() -> this.lxd.pushFile(shared, file, "relative/path", UBUNTU, UBUNTU),
				() -> this.lxd.pullFile(shared, "etc/hostname", this.host.resolve("h")),
				() -> this.lxd.writeFile(shared, "/tmp/a\nb", new byte[0], 0, 0, 0600));
		for (Runnable verb : bad) {
			assertThatIllegalArgumentException().isThrownBy(verb::run);
		}
		assertThat(this.runner.commands).isEmpty();
	}

	@Test
	void writeFileOntoADirectoryFailsAndLeavesItAlone() {
		String dir = "/home/ubuntu/lxd-wdir-" + UUID.randomUUID().toString().substring(0, 6);
		Lxc.exec(shared.value(), "mkdir", "-p", dir + "/keep");
		assertThatExceptionOfType(LxdOperationFailedException.class)
			.isThrownBy(() -> this.lxd.writeFile(shared, dir + "/keep", new byte[] { 'x' }, UBUNTU, UBUNTU, 0600));
		assertThat(
				Lxc.exec(shared.value(), "sh", "-c", "test -d " + dir + "/keep && ls -A " + dir + " " + dir + "/keep"))
			.doesNotContain("dilxc-write");
	}

	@Test
	void pullCopiesAFileOrADirectoryOut() throws Exception {
		String dir = "/home/ubuntu/lxd-pull-" + UUID.randomUUID().toString().substring(0, 6);
		Lxc.exec(shared.value(), "sh", "-c", "mkdir -p " + dir + "/d/sub && printf 'one\\n' > " + dir
				+ "/d/one.txt && printf 'two\\n' > " + dir + "/d/sub/two.txt");

		Path file = this.host.resolve("out/copy.txt");
		this.lxd.pullFile(shared, dir + "/d/one.txt", file);
		assertThat(file).hasContent("one");
		Lxc.exec(shared.value(), "sh", "-c", "printf 'uno\\n' > " + dir + "/d/one.txt");
		this.lxd.pullFile(shared, dir + "/d/one.txt", file);
		assertThat(file).hasContent("uno");

		Path copy = this.host.resolve("copy");
		this.lxd.pullFile(shared, dir + "/d", copy);
		assertThat(copy.resolve("one.txt")).hasContent("uno");
		assertThat(copy.resolve("sub/two.txt")).hasContent("two");

		Path into = Files.createDirectory(this.host.resolve("into"));
		this.lxd.pullFile(shared, dir + "/d", into);
		assertThat(into.resolve("d/sub/two.txt")).hasContent("two");
		try (var left = Files.list(this.host.resolve("out"))) {
			assertThat(left.map((p) -> p.getFileName().toString())).containsExactly("copy.txt");
		}

		assertThatExceptionOfType(LxdOperationFailedException.class)
			.isThrownBy(() -> this.lxd.pullFile(shared, dir + "/missing", this.host.resolve("m")))
			.withMessageContaining(dir + "/missing")
			.withMessageContaining("does not exist");
		assertThat(this.host.resolve("m")).doesNotExist();
	}

	@Test
	void pullingADirectoryAgainMergesIntoTheCopyWithLinksInsideItAsRelativeLinks() throws Exception {
		String dir = "/home/ubuntu/lxd-repull-" + UUID.randomUUID().toString().substring(0, 6);
		Lxc.exec(shared.value(), "sh", "-c", "mkdir -p " + dir + "/d/sub && printf 'one\\n' > " + dir + "/d/one.txt"
				+ " && ln -s ../one.txt " + dir + "/d/sub/up && ln -s sub " + dir + "/d/alias");
		Path into = Files.createDirectory(this.host.resolve("into"));
		Files.writeString(into.resolve("mine.txt"), "host\n");

		this.lxd.pullFile(shared, dir + "/d", into);
		Lxc.exec(shared.value(), "sh", "-c",
				"printf 'uno\\n' > " + dir + "/d/one.txt && echo two > " + dir + "/d/sub/two.txt");
		// lxc alone refuses a second recursive pull into the same place ("file exists").
		this.lxd.pullFile(shared, dir + "/d", into);

		assertThat(into.resolve("d/one.txt")).hasContent("uno");
		assertThat(into.resolve("d/sub/two.txt")).hasContent("two");
		assertThat(Files.readSymbolicLink(into.resolve("d/sub/up"))).isEqualTo(Path.of("../one.txt"));
		assertThat(Files.readSymbolicLink(into.resolve("d/alias"))).isEqualTo(Path.of("sub"));
		assertThat(into.resolve("d/alias/up")).hasContent("uno");
		assertThat(into.resolve("mine.txt")).hasContent("host");
		try (var left = Files.list(into)) {
			assertThat(left.map((p) -> p.getFileName().toString())).containsExactlyInAnyOrder("d", "mine.txt");
		}
	}

	@Test
	void pullOfALinkOutOfTheCopyThrowsUnsafePullAndLeavesNoStagingBehind() throws Exception {
		String dir = "/home/ubuntu/lxd-unsafe-" + UUID.randomUUID().toString().substring(0, 6);
		Path outside = Files.writeString(this.host.resolve("secret.txt"), "host secret\n");
		Lxc.exec(shared.value(), "sh", "-c", "mkdir -p " + dir + "/d && ln -s " + outside + " " + dir + "/d/x");
		Path out = Files.createDirectory(this.host.resolve("out"));

		assertThatExceptionOfType(UnsafePullException.class)
			.isThrownBy(() -> this.lxd.pullFile(shared, dir + "/d", out))
			.satisfies((ex) -> assertThat(ex.problems())
				.containsExactly("'" + dir + "/d/x' is a symbolic link to '" + outside + "', outside '" + dir + "/d'"));
		assertThat(out).isEmptyDirectory();
		assertThat(outside).hasContent("host secret");
	}

	@Test
	void pushOfADirectoryCarriesHostLinksAsLinksSoNoHostFileOutsideItReachesTheInstance() throws Exception {
		String dir = "/home/ubuntu/lxd-pushlinks-" + UUID.randomUUID().toString().substring(0, 6);
		Path secret = Files.writeString(this.host.resolve("secret.txt"), "host secret\n");
		Path tree = Files.createDirectory(this.host.resolve("tree"));
		Files.createDirectory(tree.resolve("sub"));
		Files.writeString(tree.resolve("in.txt"), "in\n");
		Files.createSymbolicLink(tree.resolve("abs"), secret);
		Files.createSymbolicLink(tree.resolve("sub/rel"), Path.of("../../secret.txt"));

		this.lxd.pushFile(shared, tree, dir + "/", UBUNTU, UBUNTU);

		assertThat(Lxc.exec(shared.value(), "readlink", dir + "/tree/abs", dir + "/tree/sub/rel"))
			.isEqualTo(secret + "\n../../secret.txt\n");
		assertThat(Lxc.exec(shared.value(), "sh", "-c",
				"cat " + dir + "/tree/in.txt; grep -rs 'host secret' " + dir + " /home/ubuntu/secret.txt || true"))
			.isEqualTo("in\n");
	}

	@Test
	void writeFileStoresExactBytesWithModeAndOwnerAndKeepsTheContentOffTheCommandLine() throws Exception {
		String dir = "/home/ubuntu/lxd-write-" + UUID.randomUUID().toString().substring(0, 6);
		String secret = "sk-ant-SECRET-" + UUID.randomUUID();
		byte[] content = ("ANTHROPIC_API_KEY=" + secret + "\nQUOTE='\"$(id)`x`\n").getBytes(StandardCharsets.UTF_8);
		byte[] withBinary = new byte[content.length + 3];
		System.arraycopy(content, 0, withBinary, 0, content.length);
		withBinary[content.length] = 0;
		withBinary[content.length + 1] = (byte) 0xff;
		withBinary[content.length + 2] = '\n';
		String path = dir + "/.config/dilxc/agent.env";

		this.lxd.writeFile(shared, path, withBinary, UBUNTU, UBUNTU, 0600);
		assertThat(Lxc.exec(shared.value(), "sha256sum", path)).startsWith(sha256(withBinary));
		assertThat(Lxc.exec(shared.value(), "stat", "-c", "%a %u:%g", path)).isEqualTo("600 1000:1000\n");
		assertThat(owners(dir)).contains("1000:1000 " + dir, "1000:1000 " + dir + "/.config",
				"1000:1000 " + dir + "/.config/dilxc");
		assertThat(this.runner.commands).isNotEmpty()
			.allSatisfy((argv) -> assertThat(String.join(" ", argv)).doesNotContain(secret));

		// Replacing it keeps the mode and owner asked for, whatever was there.
		Lxc.exec(shared.value(), "sh", "-c", "chmod 644 " + path + " && chown 0:0 " + path);
		this.lxd.writeFile(shared, path, "B=2\n".getBytes(StandardCharsets.UTF_8), UBUNTU, UBUNTU, 0600);
		assertThat(Lxc.exec(shared.value(), "cat", path)).isEqualTo("B=2\n");
		assertThat(Lxc.exec(shared.value(), "stat", "-c", "%a %u:%g", path)).isEqualTo("600 1000:1000\n");
		assertThat(Lxc.exec(shared.value(), "ls", "-A", dir + "/.config/dilxc")).isEqualTo("agent.env\n");
	}

	// --- helpers
	// ------------------------------------------------------------------------------------------

	/** "uid:gid path" of the path and everything under it, sorted by path. */
	private static List<String> owners(String path) {
		String out = Lxc.exec(shared.value(), "find", path, "-printf", "%U:%G %p\\n");
		List<String> lines = new ArrayList<>(out.lines().toList());
		Collections.sort(lines, java.util.Comparator.comparing((String line) -> line.substring(line.indexOf(' '))));
		return lines;
	}

	private static String status(InstanceName name) {
		return Lxc.run("query", "/1.0/instances/" + name)
			.orFail("query " + name)
			.stdout()
			.replaceAll("(?s).*\"status\": \"([A-Za-z]+)\".*", "$1");
	}

	private static String initPid(InstanceName name) {
		return Lxc.run("query", "/1.0/instances/" + name + "/state")
			.orFail("state " + name)
			.stdout()
			.replaceAll("(?s).*\"pid\": ([0-9]+).*", "$1");
	}

	private static Map<String, String> config(InstanceName name) {
		var node = JsonMapper.builder()
			.build()
			.readTree(Lxc.run("query", "/1.0/instances/" + name).orFail("query " + name).stdout())
			.path("config");
		Map<String, String> config = new java.util.TreeMap<>();
		node.properties().forEach((entry) -> config.put(entry.getKey(), entry.getValue().asString()));
		return config;
	}

	private static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

	private static String uniqueName() {
		return "lxd-it-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private static void awaitExec(InstanceName name) {
		Await.until(name + " to accept exec", Duration.ofSeconds(60), Duration.ZERO,
				() -> Lxc.run("exec", name.value(), "--", "true"), (result) -> result.exitCode() == 0);
	}

	/**
	 * The real runner, remembering every argv it ran, so tests can see what reached a
	 * command line.
	 */
	static final class RecordingRunner extends ProcessRunner {

		final List<List<String>> commands = Collections.synchronizedList(new ArrayList<>());

		@Override
		public ProcessResult run(List<String> command, byte[] stdin, Duration timeout) {
			this.commands.add(List.copyOf(command));
			return super.run(command, stdin, timeout);
		}

	}

}
