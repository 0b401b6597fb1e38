package dev.dilxc.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.client.e2e.ClientProcess.Run;
import dev.dilxc.daemon.testing.FakeAnthropicApi.Answer;
import dev.dilxc.daemon.testing.ScriptedSandbox;
import dev.dilxc.daemon.testing.TestBackend;
import dev.dilxc.daemon.testing.TestSandbox;

/**
 * What a user does, end to end: the packaged daemon and client jars as separate
 * processes, a real LXD sandbox with the real Claude Code CLI, only the model scripted.
 */
class EndToEndIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@RegisterExtension
	static final ScriptedSandbox agent = new ScriptedSandbox("dilxc-e2e", "sk-ant-e2e-key-0123456789");

	@TempDir
	Path home;

	@Test
	void submitWaitRunsTheAgentAndTheMorningCommandsShowWhatHappened() throws Exception {
		agent.api().scriptBashThenFinish("echo overnight > " + TestSandbox.PROJECT + "/night.txt", "Wrote night.txt.");
		try (DaemonProcess daemon = daemon().start()) {
			ClientProcess client = new ClientProcess(daemon.socket());

			Run submit = client.run("submit", "--wait", "--timeout", "5m", "--", "write night.txt");

			assertThat(submit.exitCode()).as(submit.err() + submit.out()).isZero();
			assertThat(submit.out()).contains("echo overnight").contains("Wrote night.txt.");
			assertThat(agent.sandbox().readFile(TestSandbox.PROJECT + "/night.txt")).isEqualTo("overnight\n");
			long id = Long.parseLong(submit.err().replaceAll("(?s).*?job (\\d+).*", "$1"));

			JsonNode jobs = JSON.readTree(client.run("jobs", "--json").out());
			assertThat(jobs.get(0).get("id").asLong()).isEqualTo(id);
			assertThat(jobs.get(0).get("state").asString()).isEqualTo("SUCCEEDED");

			JsonNode details = JSON.readTree(client.run("job", Long.toString(id), "--json").out());
			assertThat(details.get("job").get("numTurns").asInt()).isGreaterThanOrEqualTo(2);
			assertThat(details.get("job").get("costUsd").asDouble()).isPositive();
			assertThat(details.get("history").size()).isGreaterThanOrEqualTo(4);

			Run raw = client.run("logs", Long.toString(id), "--raw");
			assertThat(raw.exitCode()).isZero();
			assertThat(raw.out().lines().reduce((a, b) -> b).orElseThrow()).startsWith("{")
				.contains("\"type\":\"result\"");

			Run table = client.run("jobs");
			assertThat(table.out()).contains("SUCCEEDED").contains("write night.txt");

			// status: the daemon's health first, then the sandbox; the daemon's log tags
			// the job's lines.
			Run status = client.run("@" + agent.sandbox().name(), "status");
			assertThat(status.exitCode()).as(status.err()).isZero();
			assertThat(status.out()).startsWith("Daemon:    dilxc ")
				.containsPattern("\n" + TestBackend.current().displayName() + ": +reachable \\("
						+ TestBackend.current().displayName() + " [0-9.]+; dilxc.lxd.backend: "
						+ TestBackend.current().setting() + "\\)\n")
				.contains("\nJobs:      0 queued, 0 running\n", "\nNext run:  none scheduled\n",
						"\nSocket:    " + daemon.socket() + "\n", "\n\nSandbox:   " + agent.sandbox().name());
			assertThat(Files.readString(daemon.log())).contains("[job " + id + "] [" + agent.sandbox().name() + "]")
				.contains("Job " + id + " ended SUCCEEDED");
		}
	}

	@Test
	void daemonKilledMidJobMarksItInterruptedOnRestartKillsTheAgentAndRestores() throws Exception {
		agent.sandbox().writeFile(TestSandbox.PROJECT + "/before-crash.txt", "original\n", "0644");
		agent.api().enqueue(Answer.bash("rm " + TestSandbox.PROJECT + "/before-crash.txt"));
		agent.api().whenEmpty(Answer.hang());
		DaemonProcess daemon = daemon().start();
		ClientProcess client = new ClientProcess(daemon.socket());
		long id;
		try {
			Run submit = client.run("submit", "--restore", "on-failure", "delete it and hang");
			assertThat(submit.exitCode()).as(submit.err()).isZero();
			id = Long.parseLong(submit.out().strip());
			assertThat(agent.api().awaitMainTurns(2, Duration.ofSeconds(90))).as("the agent ran its tool call")
				.isTrue();
			assertThat(agent.sandbox().fileExists(TestSandbox.PROJECT + "/before-crash.txt")).isFalse();

			daemon.kill9();

			// Killing the daemon (and so its lxc exec client) leaves the agent running in
			// the agent.sandbox().
			assertThat(agent.sandbox().processesMatching("claude")).isNotEmpty();
		}
		finally {
			daemon.close();
		}

		try (DaemonProcess restarted = daemon().start()) {
			JsonNode details = JSON
				.readTree(new ClientProcess(restarted.socket()).run("job", Long.toString(id), "--json").out());

			assertThat(details.get("job").get("state").asString()).isEqualTo("INTERRUPTED");
			assertThat(details.get("job").get("reason").asString()).contains("not re-run").contains("sandbox restored");
			assertThat(details.get("history").toString()).contains("RECOVERY").contains("PROCESSES_KILLED");
			assertThat(agent.sandbox().processesMatching("claude")).isEmpty();
			assertThat(agent.sandbox().readFile(TestSandbox.PROJECT + "/before-crash.txt")).isEqualTo("original\n");
			assertThat(agent.sandbox().snapshots()).contains("dilxc-job-" + id + "-failed");
		}
	}

	@Test
	void sigtermWithAJobRunningGivesItTheGraceThenInterruptsRestoresAndExits() throws Exception {
		agent.api().whenEmpty(Answer.hang());
		DaemonProcess daemon = daemon("--dilxc.jobs.shutdown-grace=2s").start();
		long id;
		try {
			id = Long.parseLong(new ClientProcess(daemon.socket()).run("submit", "hang until shutdown").out().strip());
			assertThat(agent.api().awaitMainTurns(1, Duration.ofSeconds(90))).as("the agent reached the API").isTrue();

			assertThat(daemon.terminate(Duration.ofSeconds(90))).as("the daemon exited after SIGTERM").isTrue();
		}
		finally {
			daemon.close();
		}
		assertThat(agent.sandbox().processesMatching("claude")).isEmpty();
		try (DaemonProcess restarted = daemon("--dilxc.jobs.worker-enabled=false").start()) {
			JsonNode details = JSON
				.readTree(new ClientProcess(restarted.socket()).run("job", Long.toString(id), "--json").out());
			assertThat(details.get("job").get("state").asString()).isEqualTo("INTERRUPTED");
			assertThat(details.get("job").get("reason").asString()).contains("the daemon shut down")
				.contains("sandbox restored");
			assertThat(details.get("history").toString()).doesNotContain("RECOVERY");
		}
	}

	@Test
	void daemonListensOnlyOnAPrivateUnixSocketNeverOnTcp() throws Exception {
		try (DaemonProcess daemon = daemon("--dilxc.jobs.worker-enabled=false").start()) {
			assertThat(java.nio.file.Files.getPosixFilePermissions(daemon.socket()))
				.isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
			assertThat(java.nio.file.Files.getPosixFilePermissions(daemon.socket().getParent()))
				.isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
			assertThat(daemon.listeningTcpSockets()).isEmpty();
		}
	}

	@Test
	void secondDaemonOnTheSameSocketOrDataRefusesToStartAndSaysWhatToDo() throws Exception {
		try (DaemonProcess first = daemon("--dilxc.jobs.worker-enabled=false").start()) {
			Run sameSocket = daemon().startExpectingRefusal(this.home.resolve("second.log"));
			assertThat(sameSocket.exitCode()).isNotZero();
			assertThat(sameSocket.out()).contains("Another dilxc daemon is already listening on " + first.socket())
				.contains("set DILXC_SOCKET")
				.doesNotContain("\tat org.springframework");

			Run sameData = daemon("--dilxc.jobs.worker-enabled=false").onSocket(this.home.resolve("other/daemon.sock"))
				.startExpectingRefusal(this.home.resolve("third.log"));
			assertThat(sameData.exitCode()).isNotZero();
			assertThat(sameData.out()).contains("The dilxc database is in use by another process")
				.contains("DILXC_DATA_DIR");
		}
	}

	@Test
	void jobAcknowledgedJustBeforeAKillIsStillThereAfterRestart() throws Exception {
		DaemonProcess daemon = daemon("--dilxc.jobs.worker-enabled=false").start();
		long id;
		try {
			Run submit = new ClientProcess(daemon.socket()).run("submit", "remember me");
			assertThat(submit.exitCode()).as(submit.err()).isZero();
			id = Long.parseLong(submit.out().strip());
			daemon.kill9();
		}
		finally {
			daemon.close();
		}
		try (DaemonProcess restarted = daemon("--dilxc.jobs.worker-enabled=false").start()) {
			Run job = new ClientProcess(restarted.socket()).run("job", Long.toString(id), "--json");
			assertThat(job.exitCode()).as(job.err()).isZero();
			JsonNode details = JSON.readTree(job.out());
			assertThat(details.get("job").get("prompt").asString()).isEqualTo("remember me");
			assertThat(details.get("job").get("state").asString()).isEqualTo("QUEUED");
		}
	}

	@Test
	void clientExitCodesAgainstARealDaemonSayWhatWentWrong() throws Exception {
		try (DaemonProcess daemon = daemon("--dilxc.jobs.worker-enabled=false").start()) {
			ClientProcess client = new ClientProcess(daemon.socket());

			Run blank = client.run("submit", "   ");
			assertThat(blank.exitCode()).isEqualTo(2);
			assertThat(blank.err()).contains("prompt");

			Run missing = client.run("job", "987654");
			assertThat(missing.exitCode()).isEqualTo(3);
			assertThat(missing.err()).contains("987654");

			Run badSandbox = client.run("submit", "--sandbox", "a;b", "hi");
			assertThat(badSandbox.exitCode()).isEqualTo(2);
			assertThat(badSandbox.err()).contains("not a valid sandbox name");

			long id = Long.parseLong(client.run("submit", "cancel me").out().strip());
			Run cancel = client.run("cancel", Long.toString(id));
			assertThat(cancel.exitCode()).isZero();
			assertThat(cancel.out()).contains("CANCELLED");
			Run again = client.run("cancel", Long.toString(id));
			assertThat(again.exitCode()).isEqualTo(4);
		}
	}

	private DaemonProcess daemon(String... extra) {
		String[] args = new String[extra.length + 2];
		args[0] = "--dilxc.jobs.default-sandbox=" + agent.sandbox().name();
		args[1] = "--dilxc.sandboxes.kill-grace=2s";
		System.arraycopy(extra, 0, args, 2, extra.length);
		return new DaemonProcess(this.home, args);
	}

}
