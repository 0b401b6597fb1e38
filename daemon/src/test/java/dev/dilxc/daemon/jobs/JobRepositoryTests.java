package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dilxc.api.JobHistoryEntry;
import dev.dilxc.api.JobState;
import dev.dilxc.api.OutputLine;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.TestStore;

/**
 * The queue's SQL against the real H2 file database with the Flyway schema, as in
 * production.
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class JobRepositoryTests {

	@TempDir
	static Path data;

	@Autowired
	private JobRepository jobs;

	@Autowired
	private JdbcClient jdbc;

	private final Instant now = Instant.parse("2026-11-27T02:00:00Z");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
	}

	@BeforeEach
	void emptyTables() {
		this.jdbc.sql("DELETE FROM jobs").update();
	}

	@Test
	void claimWhenSandboxAlreadyHasAnActiveJobIsRefusedByTheDatabase() {
		JobRow first = this.jobs.find(insert("a")).orElseThrow();
		JobRow second = this.jobs.find(insert("a")).orElseThrow();

		assertThat(this.jobs.claim(first, this.now)).isTrue();
		assertThat(this.jobs.claim(second, this.now)).isFalse();
		assertThat(this.jobs.find(second.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
	}

	@Test
	void claimWhenManyThreadsRaceForOneJobLetsExactlyOneWin() throws Exception {
		JobRow job = this.jobs.find(insert("a")).orElseThrow();
		CountDownLatch go = new CountDownLatch(1);
		List<Callable<Boolean>> racers = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			racers.add(() -> {
				go.await();
				return this.jobs.claim(job, this.now);
			});
		}
		try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
			List<Future<Boolean>> results = racers.stream().map(pool::submit).toList();
			go.countDown();
			long winners = 0;
			for (Future<Boolean> result : results) {
				winners += result.get() ? 1 : 0;
			}
			assertThat(winners).isEqualTo(1);
		}
		assertThat(this.jobs.history(job.id())).extracting(JobHistoryEntry::state)
			.containsExactly(JobState.QUEUED, JobState.SNAPSHOTTING);
	}

	@Test
	void claimableGivesTheOldestQueuedJobOfEachIdleSandboxOnly() {
		long a1 = insert("a");
		insert("a");
		long b1 = insert("b");
		long c1 = insert("c");
		insert("c");
		this.jobs.claim(this.jobs.find(c1).orElseThrow(), this.now);

		assertThat(this.jobs.claimable(10)).extracting(JobRow::id).containsExactly(a1, b1);
		assertThat(this.jobs.claimable(1)).extracting(JobRow::id).containsExactly(a1);
		assertThat(this.jobs.countActive()).isEqualTo(1);
	}

	@Test
	void transitionToTerminalStateReleasesTheSandboxForItsNextJob() {
		long first = insert("a");
		long second = insert("a");
		this.jobs.claim(this.jobs.find(first).orElseThrow(), this.now);
		this.jobs.transition(first, JobState.SNAPSHOTTING, JobState.RUNNING, this.now, "agent starting");
		assertThat(this.jobs.claimable(10)).isEmpty();

		this.jobs.transition(first, JobState.RUNNING, JobState.FAILED, this.now.plusSeconds(5), "it broke");

		JobRow done = this.jobs.find(first).orElseThrow();
		assertThat(done.reason()).isEqualTo("it broke");
		assertThat(done.startedAt()).isEqualTo(this.now);
		assertThat(done.finishedAt()).isEqualTo(this.now.plusSeconds(5));
		assertThat(this.jobs.claimable(10)).extracting(JobRow::id).containsExactly(second);
	}

	@Test
	void transitionWhenAnotherWriterMovedTheJobFirstThrowsWithTheActualState() {
		long id = insert("a");
		this.jobs.transition(id, JobState.QUEUED, JobState.CANCELLED, this.now, "cancelled");

		assertThatExceptionOfType(IllegalJobTransitionException.class)
			.isThrownBy(() -> this.jobs.transition(id, JobState.QUEUED, JobState.SNAPSHOTTING, this.now, "claim"))
			.satisfies((ex) -> assertThat(ex.from()).isEqualTo(JobState.CANCELLED));
		assertThat(this.jobs.history(id)).extracting(JobHistoryEntry::state)
			.containsExactly(JobState.QUEUED, JobState.CANCELLED);
	}

	@Test
	void transitionWhenNotInTheTableThrowsBeforeTouchingTheDatabase() {
		long id = insert("a");
		assertThatExceptionOfType(IllegalJobTransitionException.class)
			.isThrownBy(() -> this.jobs.transition(id, JobState.QUEUED, JobState.RUNNING, this.now, "skip"));
		assertThat(this.jobs.find(id).orElseThrow().state()).isEqualTo(JobState.QUEUED);
	}

	@Test
	void outputRecorderMasksSecretsAndStopsAtTheCapWithOneMarker() {
		long id = insert("a");
		OutputRecorder recorder = new OutputRecorder(id, this.jobs,
				java.time.Clock.fixed(this.now, java.time.ZoneOffset.UTC), dev.dilxc.daemon.MonotonicClock.SYSTEM,
				Set.of("sk-secret-123456", "sk-secret-123456-longer"), 60);

		recorder.append("stdout", "key sk-secret-123456-longer and sk-secret-123456");
		recorder.append("stderr", "0123456789");
		recorder.append("stdout", "this line passes the cap and is dropped");
		recorder.append("stdout", "so is this one");

		List<OutputLine> lines = this.jobs.output(id, 0, 100);
		assertThat(lines).extracting(OutputLine::text)
			.containsExactly("key [masked] and [masked]", "0123456789",
					"[dilxc] output truncated: the job's output passed the cap of 60 bytes (dilxc.jobs.max-output-bytes); later lines were not stored");
		assertThat(lines).extracting(OutputLine::stream).containsExactly("stdout", "stderr", "dilxc");
		assertThat(lines).extracting(OutputLine::seq).containsExactly(1L, 2L, 3L);
		assertThat(recorder.truncated()).isTrue();
		assertThat(this.jobs.output(id, 2, 100)).hasSize(1);
	}

	@Test
	void anOutputLineWithANulCharacterIsStoredOnEitherStore() {
		long id = insert("nul");

		this.jobs.appendOutput(id, 1, this.now, "stdout", "before\u0000after");
		this.jobs.addHistory(id, JobState.QUEUED, "NOTE", "detail\u0000too", this.now);

		// PostgreSQL's text refuses U+0000: it is stored as U+FFFD there, never failing
		// the job.
		String expected = (TestStore.current() == TestStore.POSTGRESQL) ? "before\uFFFDafter" : "before\u0000after";
		assertThat(this.jobs.output(id, 0, 10)).extracting(OutputLine::text).containsExactly(expected);
		assertThat(this.jobs.history(id)).extracting(JobHistoryEntry::detail)
			.contains((TestStore.current() == TestStore.POSTGRESQL) ? "detail\uFFFDtoo" : "detail\u0000too");
	}

	private long insert(String sandbox) {
		return this.jobs.insert(sandbox, "do it", RestorePolicy.ON_FAILURE, 60, this.now);
	}

}
