package dev.dilxc.daemon.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.jobs.JobQueue;
import dev.dilxc.daemon.testing.Await;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.FakeAnthropicApi;
import dev.dilxc.daemon.testing.Lxc;
import dev.dilxc.daemon.testing.ScriptedSandbox;
import dev.dilxc.daemon.testing.SteppableClock;
import dev.dilxc.daemon.testing.TestSandbox;

/**
 * Real jobs in a real sandbox from {@code dilxc-golden} (the real Claude Code CLI, only
 * the model scripted) with the daemon's own worker and sender loops running, as in
 * production: the end of each job reaches a real webhook receiver on 127.0.0.1, and a
 * receiver that hangs never holds up the next job.
 */
@SpringBootTest(classes = { DaemonApplication.class, NotificationsIntegrationTests.Clocks.class },
		webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = "spring.main.allow-bean-definition-overriding=true")
class NotificationsIntegrationTests {

	@TestConfiguration(proxyBeanMethods = false)
	static class Clocks {

		@Bean
		SteppableClock clock() {
			return new SteppableClock();
		}

	}

	private static final String API_KEY = "sk-ant-test-NOTIFY-5c8e2a61f0";

	private static final Duration JOB_LIMIT = Duration.ofMinutes(4);

	private static final WebhookReceiver receiver = WebhookReceiver.start();

	@RegisterExtension
	static final ScriptedSandbox agent = new ScriptedSandbox("notify-it", API_KEY);

	@TempDir
	static Path data;

	@Autowired
	private JobQueue queue;

	@Autowired
	private Notifications notifications;

	@Autowired
	private SteppableClock clock;

	@Autowired
	private JsonMapper json;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.registerWithWorker(registry, () -> data, () -> agent.sandbox().name());
		registry.add("dilxc.sandboxes.kill-grace", () -> "2s");
		registry.add("dilxc.notifications.webhook-url", () -> receiver.url("/dilxc"));
		registry.add("dilxc.notifications.webhook-headers.Authorization", () -> "Bearer it-secret-0b7d");
		registry.add("dilxc.notifications.webhook-timeout", () -> "10m");
	}

	@BeforeAll
	static void initWorkingCopy() {
		// As init leaves it: the working copy is a git repository with one commit.
		Lxc.run("exec", agent.sandbox().name(), "--user", "1000", "--group", "1000", "--cwd", TestSandbox.PROJECT,
				"--env", "HOME=/home/ubuntu", "--", "sh", "-c",
				"printf 'one\\n' > a.txt && git init -q && git add -A"
						+ " && git -c user.name=init -c user.email=init@example.com commit -q -m initial")
			.orFail("git init in the working copy");
	}

	/**
	 * The sandbox and the fake API go after this, in the extension's after-all callback.
	 */
	@AfterAll
	static void stopReceiver() {
		receiver.close();
	}

	@Test
	void realJobsEndReachesTheWebhookWithItsSummaryAndChanges() throws Exception {
		agent.api()
			.scriptBashThenFinish("echo made-by-agent > " + TestSandbox.PROJECT + "/created.txt", "Created the file.");

		JobView submitted = this.queue
			.submit(new SubmitJobRequest("create the file", null, RestorePolicy.ON_FAILURE, 300L));
		await("the webhook got job " + submitted.id(), () -> !receiver.requestsFor(submitted.id()).isEmpty());

		JobView job = this.queue.view(submitted.id());
		assertThat(job.state()).as(job.reason()).isEqualTo(JobState.SUCCEEDED);
		List<WebhookReceiver.Request> requests = receiver.requestsFor(job.id());
		assertThat(requests).hasSize(1);
		assertThat(requests.get(0).header("Authorization")).isEqualTo("Bearer it-secret-0b7d");
		JsonNode body = this.json.readTree(requests.get(0).body());
		assertThat(body.path("event").asString()).isEqualTo("job.finished");
		assertThat(this.json.treeToValue(body.path("job"), JobView.class)).usingRecursiveComparison()
			.withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
			.isEqualTo(job);
		assertThat(body.path("summary").asString())
			.startsWith("job " + job.id() + " SUCCEEDED in sandbox " + agent.sandbox().name() + " after ")
			.contains("s ($")
			.endsWith("): the agent finished: success");
		assertThat(body.at("/changes/gitRepository").asBoolean()).isTrue();
		assertThat(body.at("/changes/files")).extracting(JsonNode::asString).containsExactly("created.txt");
		assertThat(body.at("/changes/diffStat").asString()).contains("created.txt");
		assertThat(body.path("job").path("resultText").asString()).isEqualTo("Created the file.");
		await("job " + job.id() + "'s notification delivered", () -> delivered(job));
		assertThat(requests.get(0).body()).doesNotContain(API_KEY);
	}

	@Test
	void hangingWebhookNeverHoldsUpTheWorkerWhichRunsTheNextJob() throws Exception {
		agent.api().whenEmpty(FakeAnthropicApi.Answer.text("First done."));
		JobView first = this.queue.submit(new SubmitJobRequest("first", null, RestorePolicy.NEVER, 300L));
		receiver.answer(first.id(), WebhookReceiver.HANG);
		await("the webhook got job " + first.id() + " and hangs", () -> !receiver.requestsFor(first.id()).isEmpty());
		assertThat(this.queue.view(first.id()).state()).isEqualTo(JobState.SUCCEEDED);

		// The notification of the first job is stuck in the receiver; the worker runs the
		// next job regardless.
		JobView second = this.queue.submit(new SubmitJobRequest("second", null, RestorePolicy.NEVER, 300L));
		await("job " + second.id() + " ran", () -> this.queue.view(second.id()).state().isTerminal());
		assertThat(this.queue.view(second.id()).state()).isEqualTo(JobState.SUCCEEDED);
		// Nor does it hold up the next job's notification.
		await("job " + second.id() + "'s notification delivered", () -> delivered(second));
		assertThat(this.notifications.ofJob(first.id()).get(0).attempts()).as("the first try is still hanging")
			.isZero();

		// Once the receiver lets go, the first try fails and is retried after the
		// backoff.
		receiver.release();
		await("job " + first.id() + "'s first try failed",
				() -> this.notifications.ofJob(first.id()).get(0).attempts() == 1);
		assertThat(this.notifications.ofJob(first.id()).get(0).lastError()).isNotNull();
		this.clock.advance(Duration.ofMinutes(1));
		await("job " + first.id() + "'s notification delivered on the retry", () -> delivered(first));
		assertThat(this.notifications.ofJob(first.id()).get(0).attempts()).isEqualTo(2);
	}

	/**
	 * Whether the job's webhook notification is delivered (the row is written just after
	 * the job's end).
	 */
	private boolean delivered(JobView job) {
		return this.notifications.ofJob(job.id()).stream().anyMatch((n) -> n.deliveredAt() != null);
	}

	/**
	 * Bounded polling for a real asynchronous effect: a job in a real sandbox, a real
	 * HTTP request.
	 */
	private static void await(String what, BooleanSupplier condition) {
		Await.until(what, JOB_LIMIT, Duration.ofMillis(100), condition);
	}

}
