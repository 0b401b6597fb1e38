package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dilxc.api.JobChanges;
import dev.dilxc.api.JobHistoryEntry;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.testing.DaemonTestProperties;

/**
 * Job origins (schedule slots, retry, resume), idempotent submits, the job options and
 * the per-schedule queries the schedules part relies on: real H2 with the Flyway schema,
 * no LXD.
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class JobOriginsTests {

	private static final AtomicLong SCHEDULES = new AtomicLong(1000);

	@TempDir
	static Path data;

	@Autowired
	private JobQueue queue;

	@Autowired
	private JobRepository jobs;

	@Autowired
	private JdbcClient jdbc;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("dilxc.jobs.default-sandbox", () -> "origin-box");
		registry.add("dilxc.jobs.max-budget-usd", () -> "25");
	}

	@Test
	void submitFromAScheduleStoresTriggerScheduleAndSlot() {
		long schedule = SCHEDULES.incrementAndGet();
		Instant slot = Instant.parse("2026-11-28T02:00:00Z");

		JobView job = this.queue.submit(new SubmitJobRequest("nightly", null, null, null),
				JobOrigin.schedule(schedule, slot));

		assertThat(job.trigger()).isEqualTo("schedule");
		assertThat(job.scheduleId()).isEqualTo(schedule);
		assertThat(job.scheduledFor()).isEqualTo(slot);
		assertThat(job.parentJobId()).isNull();
		assertThat(this.queue.details(job.id()).history()).extracting(JobHistoryEntry::detail)
			.containsExactly("submitted by schedule " + schedule + " for " + slot);
		assertThat(this.queue.submit(new SubmitJobRequest("by hand", null, null, null)).trigger()).isEqualTo("manual");
	}

	@Test
	void submitWithAKeyAlreadyUsedReturnsTheFirstJobAndStoresNothing() {
		JobOrigin origin = JobOrigin.schedule(SCHEDULES.incrementAndGet(), Instant.parse("2026-11-28T03:00:00Z"));
		int before = count();

		JobView first = this.queue.submit(new SubmitJobRequest("first", null, null, null), origin);
		JobView second = this.queue.submit(new SubmitJobRequest("second, with another prompt", null, null, null),
				origin);

		assertThat(second.id()).isEqualTo(first.id());
		assertThat(second.prompt()).isEqualTo("first");
		assertThat(count()).isEqualTo(before + 1);
	}

	@Test
	void submitWhenManyThreadsRaceWithOneKeyStoresExactlyOneJobAndAllGetIt() throws Exception {
		JobOrigin origin = JobOrigin.schedule(SCHEDULES.incrementAndGet(), Instant.parse("2026-11-28T04:00:00Z"));
		int before = count();
		CountDownLatch go = new CountDownLatch(1);
		List<Callable<Long>> racers = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			int n = i;
			racers.add(() -> {
				go.await();
				return this.queue.submit(new SubmitJobRequest("racer " + n, null, null, null), origin).id();
			});
		}
		List<Long> ids = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
			List<Future<Long>> results = racers.stream().map(pool::submit).toList();
			go.countDown();
			for (Future<Long> result : results) {
				ids.add(result.get());
			}
		}
		assertThat(ids).hasSize(8).containsOnly(ids.get(0));
		assertThat(count()).isEqualTo(before + 1);
	}

	@Test
	void submitWithMaxTurnsBudgetAndSyncStoresThemAndRejectsValuesOutOfRange() {
		JobView job = this.queue
			.submit(new SubmitJobRequest("guarded", null, null, null, 12, new BigDecimal("2.50"), true));
		assertThat(job.maxTurns()).isEqualTo(12);
		assertThat(job.maxBudgetUsd()).isEqualByComparingTo("2.5");
		assertThat(job.sync()).isTrue();
		assertThat(this.queue.view(job.id()).maxBudgetUsd()).isEqualByComparingTo("2.5");

		int before = count();
		for (int turns : new int[] { 0, -1, 10_001 }) {
			assertThatExceptionOfType(InvalidJobRequestException.class)
				.isThrownBy(() -> this.queue.submit(new SubmitJobRequest("x", null, null, null, turns, null, null)))
				.withMessage("max-turns must be between 1 and 10000, not " + turns + " (leave it out for no limit)");
		}
		for (String budget : new String[] { "0", "-1", "25.01" }) {
			assertThatExceptionOfType(InvalidJobRequestException.class)
				.isThrownBy(() -> this.queue
					.submit(new SubmitJobRequest("x", null, null, null, null, new BigDecimal(budget), null)))
				.withMessage(
						"max-budget-usd must be more than 0 and at most 25 (dilxc.jobs.max-budget-usd), not " + budget);
		}
		assertThat(count()).isEqualTo(before);
	}

	@Test
	void retryMakesAnIdenticalNewJobPointingAtItsParent() {
		JobView parent = this.queue.submit(new SubmitJobRequest("redo me", "retry-box", RestorePolicy.ALWAYS, 900L, 7,
				new BigDecimal("1.25"), true));

		JobView retry = this.queue.retry(parent.id());

		assertThat(retry.id()).isNotEqualTo(parent.id());
		assertThat(retry.trigger()).isEqualTo("retry");
		assertThat(retry.parentJobId()).isEqualTo(parent.id());
		assertThat(retry.state()).isEqualTo(JobState.QUEUED);
		assertThat(retry)
			.extracting(JobView::prompt, JobView::sandbox, JobView::restorePolicy, JobView::timeoutSeconds,
					JobView::maxTurns, JobView::sync)
			.containsExactly("redo me", "retry-box", RestorePolicy.ALWAYS, 900L, 7, true);
		assertThat(retry.maxBudgetUsd()).isEqualByComparingTo("1.25");
		assertThatExceptionOfType(JobNotFoundException.class).isThrownBy(() -> this.queue.retry(987654));
	}

	@Test
	void resumeWithoutASessionOrWithAnEmptyPromptIsRejectedClearly() {
		JobView parent = this.queue.submit(new SubmitJobRequest("first", "resume-box", RestorePolicy.NEVER, 600L));
		assertThatExceptionOfType(InvalidJobRequestException.class)
			.isThrownBy(() -> this.queue.resume(parent.id(), "go on"))
			.withMessageStartingWith("job " + parent.id() + " has no Claude Code session id");

		this.jobs.recordSession(parent.id(), "--fork-session");
		assertThatExceptionOfType(InvalidJobRequestException.class)
			.isThrownBy(() -> this.queue.resume(parent.id(), "go on"))
			.withMessageContaining("is not one Claude Code gives");

		this.jobs.recordSession(parent.id(), "3f1c1a52-0000-4000-8000-000000000001");
		assertThatExceptionOfType(InvalidJobRequestException.class)
			.isThrownBy(() -> this.queue.resume(parent.id(), "  "))
			.withMessageContaining(
					"the prompt is empty: say how the agent should go on, e.g. dilxc-client resume " + parent.id());

		JobView resumed = this.queue.resume(parent.id(), "go on");
		assertThat(resumed.trigger()).isEqualTo("resume");
		assertThat(resumed.parentJobId()).isEqualTo(parent.id());
		assertThat(resumed.sandbox()).isEqualTo("resume-box");
		assertThat(resumed.prompt()).isEqualTo("go on");
		assertThat(this.jobs.find(resumed.id()).orElseThrow().resumeSessionId())
			.isEqualTo("3f1c1a52-0000-4000-8000-000000000001");
	}

	@Test
	void unfinishedCostAndLastOfAScheduleSeeOnlyThatSchedulesJobs() {
		long schedule = SCHEDULES.incrementAndGet();
		long other = SCHEDULES.incrementAndGet();
		Instant slot = Instant.parse("2026-11-28T02:00:00Z");
		JobView done = this.queue.submit(new SubmitJobRequest("one", null, null, null),
				JobOrigin.schedule(schedule, slot));
		this.queue.cancel(done.id());
		this.jdbc.sql("UPDATE jobs SET cost_usd = 1.5 WHERE id = :id").param("id", done.id()).update();
		JobView queued = this.queue.submit(new SubmitJobRequest("two", null, null, null),
				JobOrigin.schedule(schedule, slot.plusSeconds(3600)));
		this.jdbc.sql("UPDATE jobs SET cost_usd = 0.25 WHERE id = :id").param("id", queued.id()).update();
		this.queue.submit(new SubmitJobRequest("other", null, null, null), JobOrigin.schedule(other, slot));

		assertThat(this.queue.unfinishedOfSchedule(schedule)).extracting(JobView::id).containsExactly(queued.id());
		assertThat(this.queue.lastOfSchedule(schedule)).map(JobView::id).contains(queued.id());
		assertThat(this.queue.costOfSchedule(schedule, Instant.EPOCH)).isEqualByComparingTo("1.75");
		assertThat(this.queue.costOfSchedule(schedule, Instant.now().plusSeconds(60))).isEqualByComparingTo("0");
		assertThat(this.queue.lastOfSchedule(SCHEDULES.incrementAndGet())).isEmpty();
		assertThat(this.queue.unfinishedOfSchedule(SCHEDULES.incrementAndGet())).isEmpty();
	}

	@Test
	void submittedBetweenIsHalfOpenAndOldestFirst() {
		Instant t = Instant.parse("2026-11-27T02:00:00Z");
		long a = this.jobs.insert("window-box", "a", RestorePolicy.NEVER, 60, t);
		long b = this.jobs.insert("window-box", "b", RestorePolicy.NEVER, 60, t.plusSeconds(60));
		this.jobs.insert("window-box", "c", RestorePolicy.NEVER, 60, t.plusSeconds(120));

		assertThat(this.queue.submittedBetween(t, t.plusSeconds(120))).extracting(JobView::id).containsExactly(a, b);
		assertThat(this.queue.submittedBetween(t.plusSeconds(1), t.plusSeconds(60))).isEmpty();
	}

	@Test
	void changesAreEmptyUntilCapturedAndUnknownJobsAreNotFound() {
		JobView job = this.queue.submit(new SubmitJobRequest("edit", null, null, null));
		assertThat(this.queue.changes(job.id())).isEmpty();
		assertThatExceptionOfType(JobNotFoundException.class).isThrownBy(() -> this.queue.changes(987655));

		Instant at = Instant.parse("2026-11-27T02:10:00Z");
		JobChanges changes = new JobChanges(job.id(), true, "abc123", " M a.txt\n?? b.txt", "2 files changed",
				"diff --git", false, List.of("a.txt", "b.txt"), at);
		this.jobs.recordChanges(
				new CapturedChanges(changes, "/home/ubuntu/.claude/projects/x/s.jsonl", new byte[] { 1, 2 }));

		assertThat(this.queue.changes(job.id())).contains(changes);
		assertThat(this.queue.view(job.id()).filesChanged()).isEqualTo(2);
		assertThat(this.jobs.transcript(job.id()))
			.hasValueSatisfying((t) -> assertThat(t.content()).containsExactly(1, 2));
	}

	private int count() {
		return this.jdbc.sql("SELECT COUNT(*) FROM jobs").query(Integer.class).single();
	}

}
