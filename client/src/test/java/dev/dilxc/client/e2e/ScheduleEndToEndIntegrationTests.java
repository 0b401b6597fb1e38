package dev.dilxc.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.client.e2e.ClientProcess.Run;
import dev.dilxc.daemon.testing.FakeAnthropicApi.Answer;
import dev.dilxc.daemon.testing.ScriptedSandbox;
import dev.dilxc.daemon.testing.TestSandbox;

/**
 * The overnight workflow through the packaged jars against real LXD: add a schedule, run
 * it, and read the morning report, the diff of a failed run that was rolled back, retry
 * it. Only the model is scripted.
 */
class ScheduleEndToEndIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@RegisterExtension
	static final ScriptedSandbox agent = new ScriptedSandbox("dilxc-sched-e2e", "sk-ant-sched-e2e-0123456789");

	@TempDir
	Path home;

	@Test
	void scheduleRunsThenTheReportDiffAndRetryTellWhatHappenedIncludingARolledBackFailure() throws Exception {
		try (DaemonProcess daemon = new DaemonProcess(Files.createDirectories(this.home.resolve("daemon"))).start()) {
			ClientProcess client = new ClientProcess(daemon.socket()).in(this.home);

			Run badCron = client.run("schedule", "add", "--cron", "61 * * * *", "--sandbox", agent.sandbox().name(),
					"--", "x");
			assertThat(badCron.exitCode()).as(badCron.err()).isEqualTo(2);
			assertThat(badCron.err()).contains("61");
			Run badZone = client.run("schedule", "add", "--cron", "@daily", "--tz", "Mars/Olympus", "--sandbox",
					agent.sandbox().name(), "--", "x");
			assertThat(badZone.exitCode()).as(badZone.err()).isEqualTo(2);
			assertThat(badZone.err()).contains("Mars/Olympus");

			Run add = client.run("schedule", "add", "--cron", "0 2 * * *", "--tz", "Europe/Berlin", "--sandbox",
					agent.sandbox().name(), "--restore", "never", "--max-turns", "5", "--", "write the nightly note");
			assertThat(add.exitCode()).as(add.err()).isZero();
			long scheduleId = Long.parseLong(add.out().strip());
			assertThat(add.err()).contains("next:");

			Run list = client.withEnv("COLUMNS", "250").run("schedules"); // wide enough
																			// that the
																			// prompt is
																			// not cut
			assertThat(list.exitCode()).isZero();
			assertThat(list.out()).contains("0 2 * * *")
				.contains(agent.sandbox().name())
				.contains("write the nightly note");

			// run-now: the same path a firing takes, followed like submit --wait.
			agent.api().scriptBashThenFinish("echo night > " + TestSandbox.PROJECT + "/night.txt", "Wrote the note.");
			Run runNow = client.run("schedule", "run-now", Long.toString(scheduleId), "--wait");
			assertThat(runNow.exitCode()).as(runNow.err() + runNow.out()).isZero();
			assertThat(agent.sandbox().readFile(TestSandbox.PROJECT + "/night.txt")).isEqualTo("night\n");

			// A manual job that fails after deleting work, restored on failure.
			agent.sandbox().writeFile(TestSandbox.PROJECT + "/keep.txt", "precious\n", "0644");
			agent.api().reset();
			agent.api()
				.enqueue(Answer.bash("rm " + TestSandbox.PROJECT + "/keep.txt && echo broken > " + TestSandbox.PROJECT
						+ "/broken.txt"));
			agent.api().whenEmpty(Answer.httpError(500));
			Run failed = client.run("submit", "--sandbox", agent.sandbox().name(), "--restore", "on-failure", "--wait",
					"--", "break things");
			assertThat(failed.exitCode()).as(failed.err()).isEqualTo(10);
			assertThat(agent.sandbox().readFile(TestSandbox.PROJECT + "/keep.txt")).isEqualTo("precious\n");
			assertThat(agent.sandbox().fileExists(TestSandbox.PROJECT + "/broken.txt")).isFalse();
			JsonNode jobs = JSON.readTree(client.run("jobs", "--all", "--json").out());
			long failedId = jobs.get(0).get("id").asLong();
			long scheduledId = jobs.get(1).get("id").asLong();
			assertThat(jobs.get(1).get("trigger").asString()).isEqualTo("schedule");
			assertThat(jobs.get(1).get("scheduleId").asLong()).isEqualTo(scheduleId);
			assertThat(jobs.get(0).get("restoredTo").asString()).isEqualTo("dilxc-job-" + failedId);

			// The morning: one report with both, the failure's diff still there after the
			// rollback.
			Run report = client.run("report", "--since", "1h");
			assertThat(report.exitCode()).as(report.err()).isZero();
			assertThat(report.out()).contains("schedule #" + scheduleId)
				.contains("SUCCEEDED")
				.contains("FAILED")
				.contains("Wrote the note.");
			JsonNode reportJson = JSON.readTree(client.run("report", "--since", "1h", "--json").out());
			assertThat(reportJson.get("totals").get("jobs").asInt()).isEqualTo(2);
			assertThat(reportJson.get("totals").get("restored").asInt()).isEqualTo(1);

			Run diff = client.run("diff", Long.toString(failedId));
			assertThat(diff.exitCode()).as(diff.err()).isZero();
			assertThat(diff.out()).contains("keep.txt").contains("broken.txt");
			Run scheduledDiff = client.run("diff", Long.toString(scheduledId));
			assertThat(scheduledDiff.out()).contains("night.txt");

			// retry: the same prompt and options, as a new job.
			agent.api().reset();
			agent.api().scriptBashThenFinish("true", "Nothing to break this time.");
			Run retry = client.run("retry", Long.toString(failedId), "--wait");
			assertThat(retry.exitCode()).as(retry.err() + retry.out()).isZero();
			JsonNode retried = JSON.readTree(client.run("jobs", "--all", "--json").out()).get(0);
			assertThat(retried.get("trigger").asString()).isEqualTo("retry");
			assertThat(retried.get("parentJobId").asLong()).isEqualTo(failedId);
			assertThat(retried.get("prompt").asString()).isEqualTo("break things");

			assertThat(client.run("schedule", "pause", Long.toString(scheduleId)).exitCode()).isZero();
			assertThat(client.run("schedule", "remove", Long.toString(scheduleId)).exitCode()).isZero();
			Run gone = client.run("schedule", "show", Long.toString(scheduleId));
			assertThat(gone.exitCode()).isEqualTo(3);
			assertThat(gone.err()).contains(Long.toString(scheduleId));
		}
	}

}
