package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dilxc.api.JobHistoryEntry;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.OutputLine;
import dev.dilxc.api.OutputPage;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.testing.DaemonTestProperties;

/** Submit validation and cancel of queued jobs: no LXD involved, real H2. */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class JobQueueTests {

	@TempDir
	static Path data;

	@Autowired
	private JobQueue queue;

	@Autowired
	private JobRepository jobs;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("dilxc.jobs.default-sandbox", () -> "home-box");
	}

	@Test
	void submitWithOnlyAPromptUsesTheDefaults() {
		JobView job = this.queue.submit(new SubmitJobRequest("fix the tests", null, null, null));
		assertThat(job.state()).isEqualTo(JobState.QUEUED);
		assertThat(job.sandbox()).isEqualTo("home-box");
		assertThat(job.restorePolicy()).isEqualTo(RestorePolicy.ON_FAILURE);
		assertThat(job.timeoutSeconds()).isEqualTo(7200);
	}

	@Test
	void submitWhenPromptIsEmptyOrWhitespaceIsRejectedWithAnExample() {
		for (String prompt : new String[] { null, "", "   ", "\n\t " }) {
			assertThatExceptionOfType(InvalidJobRequestException.class)
				.isThrownBy(() -> this.queue.submit(new SubmitJobRequest(prompt, null, null, null)))
				.withMessageContaining("the prompt is empty");
		}
	}

	@Test
	void submitWhenPromptHasNulOrIsTooLargeIsRejectedAndNothingIsStored() {
		int before = this.queue.list(null, null, 1000).size();
		assertThatExceptionOfType(InvalidJobRequestException.class)
			.isThrownBy(() -> this.queue.submit(new SubmitJobRequest("a\0b", null, null, null)))
			.withMessageContaining("NUL");
		assertThatExceptionOfType(InvalidJobRequestException.class)
			.isThrownBy(() -> this.queue.submit(new SubmitJobRequest("x".repeat(100_001), null, null, null)))
			.withMessageContaining("100001 bytes");
		assertThat(this.queue.list(null, null, 1000)).hasSize(before);
	}

	@Test
	void submitWhenSandboxNameOrTimeoutIsInvalidSaysWhatIsAllowed() {
		assertThatExceptionOfType(InvalidJobRequestException.class)
			.isThrownBy(() -> this.queue.submit(new SubmitJobRequest("x", "a;rm -rf", null, null)))
			.withMessageContaining("not a valid sandbox name");
		assertThatExceptionOfType(InvalidJobRequestException.class)
			.isThrownBy(() -> this.queue.submit(new SubmitJobRequest("x", null, null, 0L)))
			.withMessageContaining("between 1s and 168h");
	}

	@Test
	void aFollowersLongPollAnswersAsSoonAsALineIsStoredAndAtOnceForAnEndedJob() throws Exception {
		long id = this.queue.submit(new SubmitJobRequest("follow me", null, null, null)).id();
		CountDownLatch asking = new CountDownLatch(1);
		CompletableFuture<dev.dilxc.api.OutputPage> follower = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> {
				asking.countDown();
				try {
					return this.queue.output(id, 0, 100, Duration.ofSeconds(25));
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			});
		asking.await();
		long stored = System.nanoTime();
		this.jobs.appendOutput(id, 1, Instant.now(), "stdout", "first line");

		OutputPage page = follower.get(10, TimeUnit.SECONDS);
		assertThat(page.lines()).extracting(OutputLine::text).containsExactly("first line");
		assertThat(Duration.ofNanos(System.nanoTime() - stored)).as("not the 25 s wait")
			.isLessThan(Duration.ofSeconds(10));

		// Nothing new and the job still queued: the wait runs out and the page is empty.
		assertThat(this.queue.output(id, 1, 100, Duration.ofMillis(50)).lines()).isEmpty();
		// An ended job has nothing more to wait for: answered at once, however long the
		// client would wait.
		this.queue.cancel(id);
		long asked = System.nanoTime();
		assertThat(this.queue.output(id, 1, 100, Duration.ofSeconds(25)).state()).isEqualTo(JobState.CANCELLED);
		assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void cancelWhenQueuedCancelsAtOnceAndWhenFinishedRefuses() {
		JobView job = this.queue.submit(new SubmitJobRequest("later", null, null, null));

		JobView cancelled = this.queue.cancel(job.id());

		assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
		assertThat(this.queue.details(job.id()).history()).extracting(JobHistoryEntry::detail)
			.containsExactly("submitted", "cancelled on request before it started");
		assertThatExceptionOfType(JobAlreadyFinishedException.class).isThrownBy(() -> this.queue.cancel(job.id()))
			.withMessage("job " + job.id() + " has already ended (CANCELLED)");
	}

	@Test
	void findWhenNoSuchJobSaysHowToListJobs() {
		assertThatExceptionOfType(JobNotFoundException.class).isThrownBy(() -> this.queue.view(424242))
			.withMessageContaining("dilxc-client jobs");
	}

	@Test
	void listFiltersByStateAndSandboxNewestFirst() {
		JobView a = this.queue.submit(new SubmitJobRequest("one", "box-a", null, null));
		JobView b = this.queue.submit(new SubmitJobRequest("two", "box-b", null, null));
		JobView c = this.queue.submit(new SubmitJobRequest("three", "box-a", null, null));
		this.queue.cancel(c.id());

		assertThat(this.queue.list(null, "box-a", 10)).extracting(JobView::id).containsExactly(c.id(), a.id());
		assertThat(this.queue.list(JobState.QUEUED, "box-a", 10)).extracting(JobView::id).containsExactly(a.id());
		assertThat(this.queue.list(JobState.QUEUED, null, 10)).extracting(JobView::id).startsWith(b.id(), a.id());
	}

}
