package dev.dilxc.daemon.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.jobs.JobFinished;
import dev.dilxc.daemon.jobs.JobQueue;
import dev.dilxc.daemon.leases.SandboxQuarantines;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.SteppableClock;

/**
 * Notifications against the real database, a real HTTP receiver on 127.0.0.1 and a real
 * command, with the sender stepped by hand and time stepped on a {@link SteppableClock}.
 * Jobs are stored through the queue and their end is announced the way the worker
 * announces it: a {@link JobFinished} event.
 */
@SpringBootTest(classes = { DaemonApplication.class, NotificationsTests.Clocks.class },
		webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = "spring.main.allow-bean-definition-overriding=true")
@ExtendWith(OutputCaptureExtension.class)
class NotificationsTests {

	@TestConfiguration(proxyBeanMethods = false)
	static class Clocks {

		@Bean
		SteppableClock clock() {
			return new SteppableClock();
		}

	}

	/**
	 * The auth header's value and the token in the URL's path: neither may reach a log.
	 */
	static final String SECRET = "Bearer s3cr3t-4a7f-header-value";

	static final String URL_TOKEN = "T0KEN-in-the-path-91c2";

	private static final WebhookReceiver receiver = WebhookReceiver.start();

	@TempDir
	static Path data;

	@Autowired
	private JobQueue queue;

	@Autowired
	private ApplicationEventPublisher events;

	@Autowired
	private NotificationSender sender;

	@Autowired
	private Notifications notifications;

	@Autowired
	private SteppableClock clock;

	@Autowired
	private SandboxQuarantines quarantines;

	@Autowired
	private NotificationOutbox outbox;

	@Autowired
	private JsonMapper json;

	@Autowired
	private JdbcClient jdbc;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("dilxc.notifications.sender-enabled", () -> "false");
		registry.add("dilxc.notifications.webhook-url",
				() -> receiver.url("/hooks/" + URL_TOKEN + "?key=" + URL_TOKEN));
		registry.add("dilxc.notifications.webhook-headers.Authorization", () -> SECRET);
		registry.add("dilxc.notifications.webhook-timeout", () -> "1s");
		registry.add("dilxc.notifications.webhook-max-attempts", () -> "3");
		registry.add("dilxc.notifications.command[0]", () -> hook().toString());
		registry.add("dilxc.notifications.command[1]", () -> "first argument");
		registry.add("dilxc.notifications.command-timeout", () -> "10s");
	}

	@AfterAll
	static void stopReceiver() {
		receiver.close();
	}

	@Test
	void webhookReceivesTheDocumentedBodyForAFinishedJob() throws Exception {
		JobView job = finished(JobState.FAILED, "the agent reported an error: API Error: 500\nsecond line");

		this.events.publishEvent(new JobFinished(job));
		step();

		List<WebhookReceiver.Request> requests = receiver.requestsFor(job.id());
		assertThat(requests).hasSize(1);
		WebhookReceiver.Request request = requests.get(0);
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.path()).isEqualTo("/hooks/" + URL_TOKEN + "?key=" + URL_TOKEN);
		assertThat(request.header("Content-Type")).isEqualTo("application/json");
		assertThat(request.header("Authorization")).isEqualTo(SECRET);
		assertThat(request.header("X-Dilxc-Event")).isEqualTo("job.finished");
		assertThat(request.header("X-Dilxc-Attempt")).isEqualTo("1");

		ObjectNode expected = this.json.createObjectNode();
		expected.put("event", "job.finished");
		expected.set("job", this.json.valueToTree(job));
		expected.put("summary", "job " + job.id() + " FAILED in sandbox web after 3m 2s ($0.42): "
				+ "the agent reported an error: API Error: 500");
		expected.putNull("changes");
		JsonNode body = this.json.readTree(request.body());
		// Through text, so numbers compare as the receiver parses them.
		assertThat(body).isEqualTo(this.json.readTree(this.json.writeValueAsString(expected)));
		assertThat(body.properties()).extracting(java.util.Map.Entry::getKey)
			.containsExactly("event", "job", "summary", "changes");
		// The job as the API shows it: ISO-8601 instants, numbers as numbers, the prompt
		// as submitted.
		assertThat(body.at("/job/id").asLong()).isEqualTo(job.id());
		assertThat(body.at("/job/state").asString()).isEqualTo("FAILED");
		assertThat(body.at("/job/prompt").asString()).isEqualTo("notify me about web");
		assertThat(body.at("/job/finishedAt").asString()).isEqualTo(job.finishedAt().toString());
		assertThat(body.at("/job/costUsd").decimalValue()).isEqualByComparingTo("0.4213");
		assertThat(body.at("/job/trigger").asString()).isEqualTo("manual");

		Notification webhook = webhookOf(job);
		assertThat(webhook.deliveredAt()).isNotNull();
		assertThat(webhook.attempts()).isEqualTo(1);
		assertThat(webhook.nextAttemptAt()).isNull();
		assertThat(webhook.lastError()).isNull();
	}

	@Test
	void webhookAnswering500TwiceThen200IsDeliveredOnTheThirdAttemptAtTheBackoffTimes() throws Exception {
		JobView job = finished(JobState.SUCCEEDED, "the agent finished: success");
		receiver.answer(job.id(), 500, 500, 200);
		this.events.publishEvent(new JobFinished(job));
		Backoff backoff = new Backoff(Duration.ofSeconds(30), Duration.ofHours(1), 3);

		Instant next = failsOnceAndIsDueWithin(job, backoff.shortest(1), backoff.longest(1));
		assertThat(webhookOf(job).lastError()).isEqualTo("HTTP 500");
		notTriedBefore(job, next, 1);
		next = failsOnceAndIsDueWithin(job, backoff.shortest(2), backoff.longest(2));
		notTriedBefore(job, next, 2);
		this.clock.advance(Duration.ofSeconds(2));
		step();

		Notification webhook = webhookOf(job);
		assertThat(webhook.deliveredAt()).isNotNull();
		assertThat(webhook.attempts()).isEqualTo(3);
		assertThat(webhook.nextAttemptAt()).isNull();
		List<WebhookReceiver.Request> requests = receiver.requestsFor(job.id());
		assertThat(requests).extracting((request) -> request.header("X-Dilxc-Attempt")).containsExactly("1", "2", "3");
		assertThat(requests).extracting(WebhookReceiver.Request::body).containsOnly(webhook.payload());
		assertThat(requests).extracting((request) -> request.header("X-Dilxc-Delivery"))
			.containsOnly(String.valueOf(webhook.id()));
	}

	@Test
	void hangingReceiverTimesOutAndNeverHoldsUpWhoAnnouncedTheJob() throws Exception {
		JobView hanging = finished(JobState.TIMED_OUT, "the agent did not finish within the job's timeout of 5m");
		JobView next = finished(JobState.SUCCEEDED, "the agent finished: success");
		receiver.answer(hanging.id(), WebhookReceiver.HANG);

		long before = System.nanoTime();
		this.events.publishEvent(new JobFinished(hanging));
		this.events.publishEvent(new JobFinished(next));
		// Announcing only writes rows: it does not wait for any receiver.
		assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(500));

		before = System.nanoTime();
		step();
		Duration round = Duration.ofNanos(System.nanoTime() - before);

		assertThat(round).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofSeconds(5));
		Notification timedOut = webhookOf(hanging);
		assertThat(timedOut.deliveredAt()).isNull();
		assertThat(timedOut.attempts()).isEqualTo(1);
		assertThat(timedOut.lastError()).startsWith("no answer from http://127.0.0.1:")
			.endsWith("within 1000 ms (dilxc.notifications.webhook-timeout)");
		// The other job's notifications went out in the same round, and so did the
		// hanging job's command.
		assertThat(webhookOf(next).deliveredAt()).isNotNull();
		assertThat(commandOf(hanging).deliveredAt()).isNotNull();
	}

	@Test
	void commandHookGetsThePayloadOnStdinAndTheJobInItsEnvironment() throws Exception {
		JobView job = finished(JobState.CANCELLED, "cancelled on request while the agent ran");

		this.events.publishEvent(new JobFinished(job));
		step();

		Notification command = commandOf(job);
		assertThat(command.deliveredAt()).isNotNull();
		assertThat(command.attempts()).isEqualTo(1);
		assertThat(Files.readString(hookOutput(job, "stdin"))).isEqualTo(command.payload())
			.isEqualTo(webhookOf(job).payload());
		assertThat(Files.readAllLines(hookOutput(job, "env"))).containsExactly(String.valueOf(job.id()), "CANCELLED",
				"web", "first argument", "job.finished");
	}

	@Test
	void failingCommandHookIsLoggedWithItsStderrAndRetriedNotThrown(CapturedOutput output) throws Exception {
		JobView job = finished(JobState.FAILED, "broken");
		Files.writeString(hookOutput(job, "fail"), "");

		this.events.publishEvent(new JobFinished(job));
		List<NotificationSender.Attempt> attempts = step();

		assertThat(attempts).filteredOn((a) -> a.notification().jobId() == job.id()).hasSize(2);
		Notification command = commandOf(job);
		assertThat(command.deliveredAt()).isNull();
		assertThat(command.attempts()).isEqualTo(1);
		assertThat(command.nextAttemptAt()).isNotNull();
		assertThat(command.lastError()).isEqualTo(hook() + " exited with 3; stderr: hook broke: disk full");
		assertThat(output).contains("Notifying job " + job.id() + " by command " + hook() + " failed (attempt 1 of 3): "
				+ hook() + " exited with 3; stderr: hook broke: disk full");
		assertThat(webhookOf(job).deliveredAt()).isNotNull();
	}

	@Test
	void sameJobAnnouncedTwiceIsNotifiedOncePerChannel() throws Exception {
		JobView job = finished(JobState.INTERRUPTED, "the daemon stopped");

		this.events.publishEvent(new JobFinished(job));
		this.events.publishEvent(new JobFinished(job));
		step();

		assertThat(this.notifications.ofJob(job.id())).extracting(Notification::channel)
			.containsExactly(Channel.WEBHOOK, Channel.COMMAND);
		assertThat(receiver.requestsFor(job.id())).hasSize(1);
	}

	@Test
	void headerValueAndUrlTokenNeverReachTheLogs(CapturedOutput output) throws Exception {
		JobView job = finished(JobState.FAILED, "to log");
		receiver.answer(job.id(), 503, 401, 500);
		this.events.publishEvent(new JobFinished(job));

		for (int i = 0; i < 3; i++) {
			step();
			this.clock.advance(Duration.ofHours(2));
		}

		Notification webhook = webhookOf(job);
		assertThat(webhook.gaveUpAt()).isNotNull();
		assertThat(webhook.attempts()).isEqualTo(3);
		assertThat(webhook.lastError()).isEqualTo("HTTP 500");
		assertThat(receiver.requestsFor(job.id()))
			.allSatisfy((r) -> assertThat(r.header("Authorization")).isEqualTo(SECRET));
		assertThat(output).contains("Gave up notifying job " + job.id() + " by webhook " + receiver.url("")
				+ " after 3 attempt(s): HTTP 500");
		assertThat(output).doesNotContain("s3cr3t").doesNotContain(URL_TOKEN);
		assertThat(webhook.lastError()).doesNotContain("s3cr3t").doesNotContain(URL_TOKEN);
	}

	@Test
	void quarantinedSandboxIsAnnouncedOnBothChannelsWithTheJobItHappenedTo() throws Exception {
		JobView job = finished(JobState.FAILED, "the agent reported an error");
		this.events.publishEvent(new JobFinished(job));
		try {
			this.quarantines.quarantine(job.sandbox(), job.id(), SandboxQuarantines.Step.RESTORE,
					"restoring dilxc-job-" + job.id() + " failed: lxc said no\nsecond line", true,
					this.clock.instant().plusSeconds(30));
			step();

			// The job's end and the quarantine are two notifications of the same job on
			// each channel.
			assertThat(this.notifications.ofJob(job.id())).hasSize(2);
			List<Notification> quarantined = this.notifications.quarantineOfJob(job.id());
			assertThat(quarantined).extracting(Notification::channel).containsExactly(Channel.WEBHOOK, Channel.COMMAND);
			assertThat(quarantined).allSatisfy((n) -> {
				assertThat(n.event()).isEqualTo("sandbox.quarantined");
				assertThat(n.deliveredAt()).isNotNull();
			});
			WebhookReceiver.Request request = receiver.requestsFor(job.id())
				.stream()
				.filter((r) -> "sandbox.quarantined".equals(r.header("X-Dilxc-Event")))
				.toList()
				.getFirst();
			JsonNode body = this.json.readTree(request.body());
			assertThat(body.properties()).extracting(java.util.Map.Entry::getKey)
				.containsExactly("event", "job", "summary", "quarantine");
			assertThat(body.path("event").asString()).isEqualTo("sandbox.quarantined");
			assertThat(body.path("summary").asString())
				.isEqualTo("sandbox web needs attention: RESTORE failed: restoring dilxc-job-" + job.id()
						+ " failed: lxc said no");
			assertThat(body.at("/job/id").asLong()).isEqualTo(job.id());
			assertThat(body.at("/quarantine/sandbox").asString()).isEqualTo("web");
			assertThat(body.at("/quarantine/jobId").asLong()).isEqualTo(job.id());
			assertThat(body.at("/quarantine/step").asString()).isEqualTo("RESTORE");
			assertThat(body.at("/quarantine/needsRestore").asBoolean()).isTrue();
			assertThat(body.at("/quarantine/nextAttemptAt").asString()).isNotEmpty();
			assertThat(Files.readString(quarantineHookOutput(job.id(), "stdin"))).isEqualTo(request.body());
			assertThat(Files.readAllLines(quarantineHookOutput(job.id(), "env")))
				.containsExactly(String.valueOf(job.id()), "QUEUED", "web", "first argument", "sandbox.quarantined");
		}
		finally {
			this.quarantines.release(job.sandbox());
		}
	}

	@Test
	void quarantineNoJobCausedIsAnnouncedWithANullJob() throws Exception {
		String sandbox = "no-job-box";
		try {
			this.quarantines.quarantine(sandbox, null, SandboxQuarantines.Step.LXD_UNREACHABLE,
					"LXD did not come back within 5m", false, this.clock.instant().plusSeconds(30));
			List<Notification> rows = this.outbox.ofEvent("sandbox.quarantined")
				.stream()
				.filter((n) -> n.payload().contains("\"sandbox\":\"" + sandbox + "\""))
				.toList();
			assertThat(rows).extracting(Notification::channel)
				.containsExactlyInAnyOrder(Channel.WEBHOOK, Channel.COMMAND);
			assertThat(rows).allSatisfy((n) -> assertThat(n.jobId()).isNull());
			JsonNode body = this.json.readTree(rows.getFirst().payload());
			assertThat(body.path("job").isNull()).isTrue();
			assertThat(body.path("summary").asString()).isEqualTo(
					"sandbox no-job-box needs attention: LXD_UNREACHABLE failed: LXD did not come back within 5m");
			step();
			assertThat(Files.readAllLines(quarantineHookOutput(null, "env"))).containsExactly("", "", sandbox,
					"first argument", "sandbox.quarantined");
			// A second quarantine of the same sandbox while it is quarantined is no new
			// announcement.
			this.quarantines.quarantine(sandbox, null, SandboxQuarantines.Step.KILL, "again", false,
					this.clock.instant().plusSeconds(30));
			assertThat(this.outbox.ofEvent("sandbox.quarantined")
				.stream()
				.filter((n) -> n.payload().contains("\"sandbox\":\"" + sandbox + "\""))).hasSize(2);
		}
		finally {
			this.quarantines.release(sandbox);
		}
	}

	/**
	 * One try of the job's webhook that fails; returns when it is due again, checked
	 * against the backoff.
	 */
	private Instant failsOnceAndIsDueWithin(JobView job, Duration shortest, Duration longest) throws Exception {
		int before = receiver.requestsFor(job.id()).size();
		Instant start = this.clock.instant();
		step();
		Instant end = this.clock.instant();
		assertThat(receiver.requestsFor(job.id())).hasSize(before + 1);
		Instant next = webhookOf(job).nextAttemptAt();
		assertThat(next).isBetween(start.plus(shortest), end.plus(longest));
		return next;
	}

	/** Steps the clock to just before {@code next}: the sender does not try yet. */
	private void notTriedBefore(JobView job, Instant next, int tries) throws Exception {
		this.clock.advance(Duration.between(this.clock.instant(), next).minusSeconds(1));
		step();
		assertThat(receiver.requestsFor(job.id())).hasSize(tries);
		this.clock.advance(Duration.ofSeconds(2));
	}

	private List<NotificationSender.Attempt> step() throws InterruptedException {
		return this.sender.pollOnce();
	}

	private Notification webhookOf(JobView job) {
		return this.notifications.ofJob(job.id())
			.stream()
			.filter((n) -> n.channel() == Channel.WEBHOOK)
			.findFirst()
			.orElseThrow();
	}

	private Notification commandOf(JobView job) {
		return this.notifications.ofJob(job.id())
			.stream()
			.filter((n) -> n.channel() == Channel.COMMAND)
			.findFirst()
			.orElseThrow();
	}

	private JobView finished(JobState state, String reason) {
		return FinishedJobs.finished(this.queue, state, reason);
	}

	private static Path hookOutput(JobView job, String what) {
		return data.resolve("hook").resolve("job.finished-" + job.id() + "." + what);
	}

	private static Path quarantineHookOutput(Long jobId, String what) {
		return data.resolve("hook").resolve("sandbox.quarantined-" + ((jobId != null) ? jobId : "") + "." + what);
	}

	/**
	 * A command that keeps what it got (stdin, environment, first argument) and fails
	 * when told to.
	 */
	static Path hook() {
		Path directory = data.resolve("hook");
		Path script = directory.resolve("notify.sh");
		try {
			if (!Files.exists(script)) {
				Files.createDirectories(directory);
				Files.writeString(script,
						"""
								#!/bin/sh
								dir=$(dirname "$0")
								cat > "$dir/$DILXC_EVENT-$DILXC_JOB_ID.stdin"
								printf '%s\\n%s\\n%s\\n%s\\n%s\\n' "$DILXC_JOB_ID" "$DILXC_JOB_STATE" "$DILXC_SANDBOX" "$1" "$DILXC_EVENT" > "$dir/$DILXC_EVENT-$DILXC_JOB_ID.env"
								if [ -e "$dir/$DILXC_EVENT-$DILXC_JOB_ID.fail" ]; then
									echo "hook broke: disk full" >&2
									exit 3
								fi
								""");
				Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
			}
			return script;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
