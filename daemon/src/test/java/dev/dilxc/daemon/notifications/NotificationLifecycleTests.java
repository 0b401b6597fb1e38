package dev.dilxc.daemon.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.jobs.JobFinished;
import dev.dilxc.daemon.jobs.JobQueue;
import dev.dilxc.daemon.testing.Await;
import dev.dilxc.daemon.testing.SteppableClock;

/**
 * Notifications across daemon starts and stops, each daemon a real application context on
 * the same data directory: undelivered rows survive a restart, the sender stops without
 * waiting for a hanging receiver, an unreachable webhook is given up, and bad settings
 * stop the start with what to fix.
 */
@ExtendWith(OutputCaptureExtension.class)
class NotificationLifecycleTests {

	@Configuration(proxyBeanMethods = false)
	static class Clocks {

		@Bean
		SteppableClock clock() {
			return new SteppableClock();
		}

	}

	@TempDir
	Path directory;

	private WebhookReceiver receiver;

	private final List<ConfigurableApplicationContext> daemons = new ArrayList<>();

	@BeforeEach
	void startReceiver() {
		this.receiver = WebhookReceiver.start();
	}

	@AfterEach
	void stopAll() {
		this.daemons.forEach(ConfigurableApplicationContext::close);
		this.receiver.close();
	}

	@Test
	void undeliveredNotificationsAreDeliveredAfterARestart() throws Exception {
		String url = "dilxc.notifications.webhook-url=" + this.receiver.url("/hook");
		ConfigurableApplicationContext first = daemon(url);
		JobView failedOnce = FinishedJobs.finished(first.getBean(JobQueue.class), JobState.FAILED, "first");
		JobView neverTried = FinishedJobs.finished(first.getBean(JobQueue.class), JobState.SUCCEEDED, "second");
		this.receiver.answer(failedOnce.id(), 503);
		first.publishEvent(new JobFinished(failedOnce));
		first.getBean(NotificationSender.class).pollOnce();
		first.publishEvent(new JobFinished(neverTried));
		first.close();

		ConfigurableApplicationContext second = daemon(url);
		second.getBean(SteppableClock.class).advance(Duration.ofMinutes(1));
		second.getBean(NotificationSender.class).pollOnce();

		Notifications notifications = second.getBean(Notifications.class);
		assertThat(notifications.ofJob(failedOnce.id())).singleElement().satisfies((n) -> {
			assertThat(n.deliveredAt()).isNotNull();
			assertThat(n.attempts()).isEqualTo(2);
		});
		assertThat(notifications.ofJob(neverTried.id())).singleElement().satisfies((n) -> {
			assertThat(n.deliveredAt()).isNotNull();
			assertThat(n.attempts()).isEqualTo(1);
		});
		assertThat(this.receiver.requestsFor(failedOnce.id())).hasSize(2);
		assertThat(this.receiver.requestsFor(neverTried.id())).hasSize(1);
	}

	@Test
	void senderThreadDeliversWhenAJobEndsAndStopsWithoutWaitingForAHangingReceiver() throws Exception {
		String[] settings = { "dilxc.notifications.webhook-url=" + this.receiver.url("/hook"),
				"dilxc.notifications.sender-enabled=true", "dilxc.notifications.webhook-timeout=5m" };
		ConfigurableApplicationContext first = daemon(settings);
		Notifications notifications = first.getBean(Notifications.class);
		JobView answered = FinishedJobs.finished(first.getBean(JobQueue.class), JobState.SUCCEEDED, "answered");
		first.publishEvent(new JobFinished(answered));
		awaitRequests(answered, 1);
		JobView hanging = FinishedJobs.finished(first.getBean(JobQueue.class), JobState.FAILED, "hangs");
		this.receiver.answer(hanging.id(), WebhookReceiver.HANG);
		first.publishEvent(new JobFinished(hanging));
		awaitRequests(hanging, 1);

		long before = System.nanoTime();
		first.close();
		assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(10));

		ConfigurableApplicationContext second = daemon(settings[0]);
		assertThat(second.getBean(Notifications.class).ofJob(answered.id())).singleElement()
			.satisfies((n) -> assertThat(n.deliveredAt()).isNotNull());
		// The abandoned try was not counted, and the row is still due.
		assertThat(second.getBean(Notifications.class).ofJob(hanging.id())).singleElement().satisfies((n) -> {
			assertThat(n.attempts()).isZero();
			assertThat(n.nextAttemptAt()).isNotNull();
		});
		second.getBean(NotificationSender.class).pollOnce();
		assertThat(second.getBean(Notifications.class).ofJob(hanging.id())).singleElement()
			.satisfies((n) -> assertThat(n.deliveredAt()).isNotNull());
		assertThat(notifications).isNotNull();
	}

	@Test
	void unreachableWebhookIsTriedAtTheBackoffThenGivenUpKeepingTheLastError(CapturedOutput output) throws Exception {
		String closed = WebhookReceiver.closedPort().toString();
		ConfigurableApplicationContext daemon = daemon("dilxc.notifications.webhook-url=" + closed,
				"dilxc.notifications.webhook-max-attempts=3");
		JobView job = FinishedJobs.finished(daemon.getBean(JobQueue.class), JobState.FAILED, "nobody listens");
		NotificationSender sender = daemon.getBean(NotificationSender.class);
		SteppableClock clock = daemon.getBean(SteppableClock.class);
		daemon.publishEvent(new JobFinished(job));

		List<Instant> retries = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			assertThat(sender.pollOnce()).hasSize(1);
			Notification notification = daemon.getBean(Notifications.class).ofJob(job.id()).get(0);
			retries.add(notification.nextAttemptAt());
			clock.advance(Duration.ofHours(2));
		}
		assertThat(sender.pollOnce()).isEmpty();

		Notification notification = daemon.getBean(Notifications.class).ofJob(job.id()).get(0);
		assertThat(notification.attempts()).isEqualTo(3);
		assertThat(notification.deliveredAt()).isNull();
		assertThat(notification.gaveUpAt()).isNotNull();
		assertThat(notification.nextAttemptAt()).isNull();
		String target = closed.substring(0, closed.lastIndexOf('/'));
		assertThat(notification.lastError()).startsWith("cannot connect to " + target + ": ");
		assertThat(retries.get(0)).isNotNull();
		assertThat(retries.get(1)).isNotNull();
		assertThat(retries.get(2)).isNull();
		assertThat(output)
			.contains("Gave up notifying job " + job.id() + " by webhook " + target + " after 3 attempt(s)");
	}

	@Test
	void webhookUrlThatIsNotHttpStopsTheStartWithWhatToFix(CapturedOutput output) {
		assertThatThrownBy(() -> daemon("dilxc.notifications.webhook-url=ftp://files.example.com/drop/T0KEN-77"))
			.hasRootCauseInstanceOf(InvalidNotificationSettingsException.class);

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("dilxc.notifications.webhook-url must be an http or https URL, not 'ftp:'")
			.contains("Set dilxc.notifications.webhook-url to an absolute http:// or https:// URL")
			.doesNotContain("T0KEN-77");
	}

	@Test
	void headerWithALineBreakStopsTheStartWithoutShowingItsValue(CapturedOutput output) {
		assertThatThrownBy(() -> daemon("dilxc.notifications.webhook-url=" + this.receiver.url("/hook"),
				"dilxc.notifications.webhook-headers.Authorization=Bearer abc\nhunter2-secret"))
			.hasRootCauseInstanceOf(InvalidNotificationSettingsException.class);

		assertThat(output)
			.contains("dilxc.notifications.webhook-headers.Authorization is empty or contains a line break")
			.doesNotContain("hunter2-secret");
	}

	@Test
	void commandThatIsNotAnExecutableStopsTheStartWithWhatToFix(CapturedOutput output) {
		assertThatThrownBy(() -> daemon("dilxc.notifications.command=notify-send"))
			.hasRootCauseInstanceOf(InvalidNotificationSettingsException.class);

		assertThat(output).contains("dilxc.notifications.command 'notify-send' is not an absolute path")
			.contains("Set dilxc.notifications.command[0] to the absolute path of an executable file");
	}

	private void awaitRequests(JobView job, int count) {
		Await.until(count + " webhook request(s) for job " + job.id(), Duration.ofSeconds(10), Duration.ofMillis(20),
				() -> this.receiver.requestsFor(job.id()), (requests) -> requests.size() >= count);
		assertThat(this.receiver.requestsFor(job.id())).hasSize(count);
	}

	private ConfigurableApplicationContext daemon(String... settings) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(DaemonApplication.class, Clocks.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.allow-bean-definition-overriding=true",
					"dilxc.data-dir=" + this.directory.resolve("data"),
					"dilxc.socket=" + this.directory.resolve("run/daemon.sock"), "dilxc.jobs.worker-enabled=false",
					"dilxc.notifications.sender-enabled=false")
			.properties(settings)
			.run();
		this.daemons.add(context);
		return context;
	}

}
