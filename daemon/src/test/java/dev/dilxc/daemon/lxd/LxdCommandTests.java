package dev.dilxc.daemon.lxd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

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
}
