package dev.dilxc.daemon.lxd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.daemon.process.ProcessResult;

/** Each command's argv and how it reads LXD's JSON. */
class LxdCommandTests {

	private static final InstanceName BOX = new InstanceName("box-1");

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void execPutsUserCwdAndEnvBeforeTheSeparatorAndArgvAfterItUntouched() {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("HOME", "/home/ubuntu");
		ExecRequest request = new ExecRequest(List.of("sh", "-c", "echo \"$1\"", "x", "$(rm -rf /); `id`"), 1000, 1000,
				"/home/ubuntu/project", env, Duration.ofSeconds(5));
		assertThat(new LxdCommand.Exec(BOX, request).arguments()).containsExactly("exec", "box-1",
				"--force-noninteractive", "--user", "1000", "--group", "1000", "--cwd", "/home/ubuntu/project", "--env",
				"HOME=/home/ubuntu", "--", "sh", "-c", "echo \"$1\"", "x", "$(rm -rf /); `id`");
	}

	@Test
	void snapshotVerbsNameInstanceAndSnapshot() {
		assertThat(new LxdCommand.CreateSnapshot(BOX, "dilxc-job-3").arguments()).containsExactly("snapshot", "box-1",
				"dilxc-job-3");
		assertThat(new LxdCommand.RestoreSnapshot(BOX, "dilxc-job-3").arguments()).containsExactly("restore", "box-1",
				"dilxc-job-3");
		assertThat(new LxdCommand.DeleteSnapshot(BOX, "dilxc-job-3").arguments()).containsExactly("delete",
				"box-1/dilxc-job-3");
	}

	@Test
	void getInstanceReadsStatusFromQueryJson() {
		ProcessResult result = new ProcessResult(List.of(), 0, """
				{"name":"box-1","status":"Running","status_code":103,"type":"container"}""", "", Duration.ZERO);
		assertThat(new LxdCommand.GetInstance(BOX).response(result, this.json))
			.isEqualTo(new Instance(BOX, InstanceStatus.RUNNING));
	}

	@Test
	void listSnapshotsReadsNamesAndDatesOldestFirst() {
		ProcessResult result = new ProcessResult(List.of(), 0, """
				[{"name":"b","created_at":"2026-11-27T04:00:02Z","stateful":false},
				 {"name":"box-1/a","created_at":"2026-11-27T04:00:01.5Z"}]""", "", Duration.ZERO);
		assertThat(new LxdCommand.ListSnapshots(BOX).response(result, this.json)).containsExactly(
				new InstanceSnapshot("a", Instant.parse("2026-11-27T04:00:01.5Z")),
				new InstanceSnapshot("b", Instant.parse("2026-11-27T04:00:02Z")));
	}

	@Test
	void instanceNameWhenNotAnLxdNameIsRejectedBeforeAnyCommand() {
		for (String bad : List.of("", "-x", "1abc", "a;b", "../x", "a b", "x-", "a".repeat(64))) {
			assertThatIllegalArgumentException().isThrownBy(() -> new InstanceName(bad)).withMessageContaining("valid");
		}
		assertThat(new InstanceName("a").value()).isEqualTo("a");
		assertThat(new InstanceName("dilxc-2").value()).isEqualTo("dilxc-2");
	}

	// --- instances: argv
	// ------------------------------------------------------------------------------

	@Test
	void createIsLxcInitWithOneArgvElementPerConfigKeySoSpacesAndNewlinesSurvive() {
		InstanceSpec spec = new InstanceSpec(BOX, "dilxc-golden", "default", Map.of("raw.idmap",
				"both 1000 1000\nboth 1001 1001", "security.nesting", "true", "user.dilxc.project", "/srv/my project"));
		assertThat(new LxdCommand.CreateInstance(spec).arguments()).containsExactly("init", "dilxc-golden", "box-1",
				"--storage", "default", "-c", "raw.idmap=both 1000 1000\nboth 1001 1001", "-c", "security.nesting=true",
				"-c", "user.dilxc.project=/srv/my project");
		// init, never launch: creation does not start the instance.
		assertThat(new LxdCommand.CreateInstance(new InstanceSpec(BOX, "img", null, Map.of())).arguments())
			.containsExactly("init", "img", "box-1");
	}

	@Test
	void lifecycleVerbsNameTheInstanceAndStopShutsDownCleanlyUnlessForced() {
		assertThat(new LxdCommand.StartInstance(BOX).arguments()).containsExactly("start", "box-1");
		assertThat(new LxdCommand.StopInstance(BOX, false, 30).arguments()).containsExactly("stop", "box-1",
				"--timeout", "30");
		assertThat(new LxdCommand.StopInstance(BOX, true, 0).arguments()).containsExactly("stop", "box-1", "--force");
		assertThat(new LxdCommand.RestartInstance(BOX, false, 30).arguments()).containsExactly("restart", "box-1",
				"--timeout", "30");
		assertThat(new LxdCommand.RestartInstance(BOX, true, 0).arguments()).containsExactly("restart", "box-1",
				"--force");
		assertThat(new LxdCommand.DeleteInstance(BOX).arguments()).containsExactly("delete", "--force", "box-1");
		assertThat(new LxdCommand.StopInstance(BOX, false, 30).slow()).isTrue();
		assertThat(new LxdCommand.DescribeInstance(BOX).arguments()).containsExactly("query", "--wait",
				"/1.0/instances/box-1?recursion=1");
		assertThat(new LxdCommand.ListInstances().arguments()).containsExactly("query", "--wait",
				"/1.0/instances?recursion=2");
	}

	@Test
	void configAndDeviceVerbsPassEachKeyValueAsOneArgument() {
		assertThat(new LxdCommand.SetConfig(BOX, Map.of("user.b", "two words", "user.a", "1")).arguments())
			.containsExactly("config", "set", "box-1", "user.a=1", "user.b=two words");
		assertThat(new LxdCommand.AddDevice(BOX, "ssh-agent", "proxy",
				Map.of("listen", "unix:/tmp/ssh-agent.sock", "bind", "container", "mode", "0600"))
			.arguments()).containsExactly("config", "device", "add", "box-1", "ssh-agent", "proxy", "bind=container",
					"listen=unix:/tmp/ssh-agent.sock", "mode=0600");
		assertThat(new LxdCommand.SetDevice(BOX, "project", Map.of("readonly", "true")).arguments())
			.containsExactly("config", "device", "set", "box-1", "project", "readonly=true");
		assertThat(new LxdCommand.RemoveDevice(BOX, "project").arguments()).containsExactly("config", "device",
				"remove", "box-1", "project");
	}

	// --- instances: JSON
	// ------------------------------------------------------------------------------

	@Test
	void describeReadsStateLocalDevicesAndGlobalIpv4WithEthFirstFromRealJson() throws IOException {
		InstanceDetails details = new LxdCommand.DescribeInstance(new InstanceName("lxd-probe"))
			.response(fixture("instance-running.json"), this.json);
		assertThat(details.name()).isEqualTo(new InstanceName("lxd-probe"));
		assertThat(details.status()).isEqualTo(InstanceStatus.RUNNING);
		assertThat(details.createdAt()).isEqualTo(Instant.parse("2026-11-27T05:33:25.169966184Z"));
		assertThat(details.config()).containsEntry("security.nesting", "true").containsEntry("user.x", "a b");
		// Local devices only: the profile's root disk is in expanded_devices, not here.
		assertThat(details.devices()).containsOnlyKeys("project");
		assertThat(details.devices().get("project")).containsEntry("type", "disk")
			.containsEntry("path", "/home/ubuntu/project-src")
			.containsEntry("readonly", "true");
		// lo, IPv6 and link-local addresses left out; eth* before docker0 although LXD
		// lists docker0 first.
		assertThat(details.ipv4()).containsExactly("10.0.3.5 (eth0)", "172.17.0.1 (docker0)");
		assertThat(details.memoryUsageBytes()).isEqualTo(9404416L);
		assertThat(details.processes()).isEqualTo(5);
		// btrfs without quotas reports no disk usage.
		assertThat(details.diskUsageBytes()).isNull();
		assertThat(details.snapshots())
			.containsExactly(new InstanceSnapshot("s1", Instant.parse("2026-11-27T05:33:35.394054331Z")));
	}

	@Test
	void describeOfAStoppedInstanceHasNoUsageAddressesOrSnapshots() throws IOException {
		InstanceDetails details = new LxdCommand.DescribeInstance(new InstanceName("lxd-probe2"))
			.response(fixture("instance-stopped.json"), this.json);
		assertThat(details.status()).isEqualTo(InstanceStatus.STOPPED);
		assertThat(details.isRunning()).isFalse();
		assertThat(details.config()).containsEntry("raw.idmap", "both 1000 1000")
			.containsEntry("user.dilxc.project", "/srv/p");
		assertThat(details.devices()).isEmpty();
		assertThat(details.ipv4()).isEmpty();
		assertThat(details.memoryUsageBytes()).isNull();
		assertThat(details.processes()).isNull();
		assertThat(details.snapshots()).isEmpty();
	}

	@Test
	void listReadsEveryInstanceSortedByName() throws IOException {
		List<InstanceDetails> instances = new LxdCommand.ListInstances().response(fixture("instances.json"), this.json);
		assertThat(instances).extracting((details) -> details.name().value())
			.containsExactly("lxd-probe", "lxd-probe2");
		assertThat(instances.get(0).ipv4()).containsExactly("10.0.3.5 (eth0)", "172.17.0.1 (docker0)");
		assertThat(instances.get(0).snapshots()).extracting(InstanceSnapshot::name).containsExactly("s1");
		assertThat(instances.get(1).status()).isEqualTo(InstanceStatus.STOPPED);
	}

	// --- host
	// ---------------------------------------------------------------------------------------------

	@Test
	void serverReadsVersionAndDoesNotTrustIdmappedMountsThatLxd502OverReports() throws IOException {
		// This machine's /1.0 says kernel_features.idmapped_mounts=true, yet shift=true
		// fails here.
		assertThat(new LxdCommand.GetServer().response(fixture("server.json"), this.json))
			.isEqualTo(new LxdServer("5.0.2", false, 16413, "vm", false, LxdServer.DEFAULT_IMAGE_REPLICAS));
		ProcessResult shiftfs = new ProcessResult(List.of(), 0, """
				{"environment":{"server_version":"5.21.1","kernel_features":{"shiftfs":"true"}}}""", "", Duration.ZERO);
		assertThat(new LxdCommand.GetServer().response(shiftfs, this.json)).isEqualTo(new LxdServer("5.21.1", true, 0));
		ProcessResult member = new ProcessResult(List.of(), 0, """
				{"config":{"cluster.images_minimal_replica":"-1"},
				 "environment":{"server_version":"5.0.2","server_name":"member1","server_clustered":true}}""", "",
				Duration.ZERO);
		assertThat(new LxdCommand.GetServer().response(member, this.json))
			.isEqualTo(new LxdServer("5.0.2", false, 0, "member1", true, -1));
		assertThat(new LxdCommand.GetServer().arguments()).containsExactly("query", "--wait", "/1.0");
	}

	@Test
	void storagePoolReadsNameAndDriver() throws IOException {
		LxdCommand.GetStoragePool command = new LxdCommand.GetStoragePool("default");
		assertThat(command.arguments()).containsExactly("query", "--wait", "/1.0/storage-pools/default");
		assertThat(command.response(fixture("storage-pool-default.json"), this.json))
			.isEqualTo(new StoragePool("default", "btrfs"));
		assertThat(new LxdCommand.GetStoragePool("a b/c").arguments()).last().isEqualTo("/1.0/storage-pools/a%20b%2Fc");
	}

	@Test
	void imageExistsMatchesAnAliasOrAFingerprintPrefixOnly() throws IOException {
		ProcessResult images = fixture("images.json");
		assertThat(new LxdCommand.ImageExists("dilxc-base").response(images, this.json)).isTrue();
		assertThat(new LxdCommand.ImageExists("fcd7d992c0ac").response(images, this.json)).isTrue();
		assertThat(new LxdCommand.ImageExists("dilxc-golden").response(images, this.json)).isFalse();
		assertThat(new LxdCommand.ImageExists("dilxc").response(images, this.json)).isFalse();
	}

	// --- files
	// ----------------------------------------------------------------------------------------------

	@Test
	void pushOfAFileSetsOwnerAndPushOfADirectoryIsRecursiveWithoutOwnerWhichLxdRefuses() {
		assertThat(new LxdCommand.PushFile(BOX, Path.of("/host/a.txt"), "/tmp/.dilxc-push.x/a.txt", false, 1000, 1000)
			.arguments()).containsExactly("file", "push", "-q", "--uid", "1000", "--gid", "1000", "/host/a.txt",
					"box-1/tmp/.dilxc-push.x/a.txt");
		assertThat(
				new LxdCommand.PushFile(BOX, Path.of("/host/dir"), "/tmp/.dilxc-push.x/", true, 1000, 1000).arguments())
			.containsExactly("file", "push", "-q", "-r", "/host/dir", "box-1/tmp/.dilxc-push.x/");
		assertThat(new LxdCommand.PullFile(BOX, "/home/ubuntu/dist", Path.of("/host/out")).arguments())
			.containsExactly("file", "pull", "-q", "-r", "box-1/home/ubuntu/dist", "/host/out/");
	}

	@Test
	void pushStagingPassesPathsAsArgumentsAndReadsTargetAndStagingDirectory() {
		LxdCommand.PreparePush prepare = new LxdCommand.PreparePush(BOX, "/home/ubuntu/my dir/", "a $(b).txt", 1000,
				1000);
		// Paths are positional parameters of a fixed script, never spliced into it.
		assertThat(prepare.arguments()).containsExactly("exec", "box-1", "--force-noninteractive", "--", "sh", "-c",
				LxdCommand.PreparePush.SCRIPT, "dilxc-push", "/home/ubuntu/my dir/", "a $(b).txt", "1000:1000");
		ProcessResult answer = new ProcessResult(List.of(), 0,
				"/home/ubuntu/my dir/a $(b).txt\n/home/ubuntu/my dir/.dilxc-push.Ab12Cd\n", "", Duration.ZERO);
		assertThat(prepare.response(answer, this.json)).isEqualTo(new LxdCommand.PreparePush.Staging(
				"/home/ubuntu/my dir/a $(b).txt", "/home/ubuntu/my dir/.dilxc-push.Ab12Cd"));
		assertThat(new LxdCommand.FinishPush(BOX, "/s/.dilxc-push.x/a", "/s/a", 1000, 1000).arguments())
			.containsExactly("exec", "box-1", "--force-noninteractive", "--", "sh", "-c", LxdCommand.FinishPush.SCRIPT,
					"dilxc-push", "/s/.dilxc-push.x/a", "/s/a", "1000:1000");
	}

	@Test
	void writeFileSendsContentOnStdinOnlyNeverOnArgvOrInToString() {
		byte[] secret = "ANTHROPIC_API_KEY=sk-ant-SECRET\n".getBytes(StandardCharsets.UTF_8);
		LxdCommand.WriteFile write = new LxdCommand.WriteFile(BOX, "/home/ubuntu/.config/dilxc/agent.env", secret, 1000,
				1000, 0600);
		assertThat(write.arguments()).containsExactly("exec", "box-1", "--force-noninteractive", "--", "sh", "-c",
				LxdCommand.WriteFile.SCRIPT, "dilxc-write", "/home/ubuntu/.config/dilxc/agent.env", "1000:1000", "600");
		assertThat(String.join(" ", write.arguments())).doesNotContain("SECRET");
		assertThat(write.stdin()).isEqualTo(secret);
		assertThat(write.toString()).doesNotContain("SECRET").contains("32 bytes");
		// Content lands in a file created under umask 077 before owner and mode are set,
		// then is renamed.
		assertThat(LxdCommand.WriteFile.SCRIPT).contains("umask 077", "cat > \"$tmp\"", "mv -fT \"$tmp\" \"$path\"");
	}

	@Test
	void cliErrorIsLxdsErrorLineEvenWhenAHintFollowsIt() {
		ProcessResult stop = new ProcessResult(List.of("lxc", "stop", "box-1"), 1, "",
				"Error: The instance is already stopped\nTry `lxc info --show-log box-1` for more info\n",
				Duration.ZERO);
		assertThat(new ProcessExitException(stop).cliError()).isEqualTo("The instance is already stopped");
		ProcessResult init = new ProcessResult(List.of("lxc", "init"), 1, "",
				"""
						Creating box-1
						The instance you are starting doesn't have any network attached to it.
						Error: Failed creating instance record: Add instance info to the database: This "instances" entry already exists
						""",
				Duration.ZERO);
		assertThat(new ProcessExitException(init).cliError()).endsWith("entry already exists");
		ProcessResult plain = new ProcessResult(List.of("sh"), 1, "", "mv: cannot overwrite directory\n",
				Duration.ZERO);
		assertThat(new ProcessExitException(plain).cliError()).isEqualTo("mv: cannot overwrite directory");
	}

	private static ProcessResult fixture(String name) throws IOException {
		try (InputStream in = LxdCommandTests.class.getResourceAsStream("/lxd/" + name)) {
			assertThat(in).as("fixture /lxd/" + name).isNotNull();
			return new ProcessResult(List.of(), 0, new String(in.readAllBytes(), StandardCharsets.UTF_8), "",
					Duration.ZERO);
		}
	}

	// --- cluster
	// ------------------------------------------------------------------------------------------

	@Test
	void createWithATargetPlacesTheInstanceOnThatMemberOrGroup() {
		assertThat(
				new LxdCommand.CreateInstance(new InstanceSpec(BOX, "img", "default", Map.of(), "member2")).arguments())
			.containsExactly("init", "img", "box-1", "--storage", "default", "--target", "member2");
		assertThat(new LxdCommand.CreateInstance(new InstanceSpec(BOX, "img", null, Map.of(), "@gpu")).arguments())
			.containsExactly("init", "img", "box-1", "--target", "@gpu");
	}

	@Test
	void poolSpaceOfOneMemberIsAskedWithTargetAndWithoutItIsTheAskedMembers() {
		assertThat(new LxdCommand.GetStoragePoolSpace("default", "member3").arguments()).containsExactly("query",
				"--wait", "/1.0/storage-pools/default/resources?target=member3");
		assertThat(new LxdCommand.GetStoragePoolSpace("default", null).arguments()).containsExactly("query", "--wait",
				"/1.0/storage-pools/default/resources");
	}

	@Test
	void clusterMembersAreReadWithStateMessageAndTheHostOfTheirAddressByName() {
		// As LXD 5.0.2 answered on the test cluster with member2 killed (trimmed).
		ProcessResult result = new ProcessResult(List.of(), 0, """
				[{"server_name":"member2","url":"https://127.42.1.2:8443","database":true,"status":"Offline",
				  "message":"No heartbeat for 31.1s (2026-12-07 02:40:11 +0000 UTC)"},
				 {"server_name":"member1","url":"https://127.42.1.1:8443","database":true,"status":"Online",
				  "message":"Fully operational"},
				 {"server_name":"member6","url":"https://[fd42::6]:8443","status":"Evacuated","message":""}]""", "",
				Duration.ZERO);

		List<ClusterMember> members = new LxdCommand.ListClusterMembers().response(result, this.json);

		assertThat(members).containsExactly(
				new ClusterMember("member1", "ONLINE", "Fully operational", "127.42.1.1"), new ClusterMember("member2",
						"OFFLINE", "No heartbeat for 31.1s (2026-12-07 02:40:11 +0000 UTC)", "127.42.1.2"),
				new ClusterMember("member6", "EVACUATED", "", "fd42::6"));
		assertThat(members.get(0).isOnline()).isTrue();
		assertThat(members.get(1).isOnline()).isFalse();
		assertThat(members.get(1).describe())
			.isEqualTo("member2 is OFFLINE (No heartbeat for 31.1s (2026-12-07 02:40:11 +0000 UTC))");
		assertThat(new LxdCommand.ListClusterMembers().arguments()).containsExactly("query", "--wait",
				"/1.0/cluster/members?recursion=1");
	}

	@Test
	void anInstancesLocationIsItsMemberInAClusterAndNullOnAServerAlone() {
		ProcessResult result = new ProcessResult(List.of(), 0, """
				[{"name":"a","status":"Running","location":"member2","created_at":"2026-12-07T01:00:00Z"},
				 {"name":"b","status":"Error","location":"member3","created_at":"2026-12-07T01:00:00Z"},
				 {"name":"c","status":"Stopped","location":"none","created_at":"2026-12-07T01:00:00Z"},
				 {"name":"d","status":"Stopped","created_at":"2026-12-07T01:00:00Z"}]""", "", Duration.ZERO);

		List<InstanceDetails> instances = new LxdCommand.ListInstances().response(result, this.json);

		assertThat(instances).extracting(InstanceDetails::location).containsExactly("member2", "member3", null, null);
		assertThat(instances.get(1).status()).isEqualTo(InstanceStatus.ERROR);
	}

}
