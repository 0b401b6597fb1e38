package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.WebApplicationContext;

import dev.dilxc.api.DaemonStatus;
import dev.dilxc.api.JobState;
import dev.dilxc.api.ProblemTypes;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.SteppableClock;

/**
 * The retention sweep against the real H2 database: 10,000 seeded jobs over five
 * sandboxes, the clock stepped, one sweep run by hand; what it deletes, what it prunes,
 * what it must keep, and the daemon answering meanwhile.
 */
@SpringBootTest(classes = { DaemonApplication.class, RetentionTests.Clocks.class },
		webEnvironment = SpringBootTest.WebEnvironment.MOCK,
		properties = "spring.main.allow-bean-definition-overriding=true")
class RetentionTests {

	private static final int JOBS = 10_000;

	private static final int SANDBOXES = 5;

	/**
	 * Job i (0 = oldest) ended {@code (JOBS - i) * STEP} before the seed: 10,000 jobs
	 * over about 104 days.
	 */
	private static final Duration STEP = Duration.ofMinutes(15);

	@TestConfiguration(proxyBeanMethods = false)
	static class Clocks {

		@Bean
		SteppableClock clock() {
			return new SteppableClock();
		}

	}

	@TempDir
	static Path data;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("dilxc.retention.max-age", () -> "90d");
		registry.add("dilxc.retention.max-jobs-per-sandbox", () -> "1000");
		registry.add("dilxc.retention.bulk-max-age", () -> "14d");
		registry.add("dilxc.retention.batch-size", () -> "200");
		// A due notification keeps its job; the sender giving up on it (no webhook here)
		// would end that.
		registry.add("dilxc.notifications.sender-enabled", () -> "false");
	}

	@Autowired
	private Retention retention;

	@Autowired
	private JobQueue queue;

	@Autowired
	private JdbcTemplate jdbcTemplate;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private TransactionTemplate transactions;

	@Autowired
	private SteppableClock clock;

	@Autowired
	private WebApplicationContext context;

	private MockMvc mvc;

	private Instant seededAt;

	@BeforeEach
	void emptyHistory() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).build();
		for (String table : List.of("notifications", "sandbox_quarantine", "sandbox_leases", "schedule_events", "jobs",
				"schedules")) {
			this.jdbcTemplate.update("DELETE FROM " + table);
		}
	}

	@Test
	void sweepOfTenThousandJobsKeepsTheLimitsAndEveryJobStillNeeded() {
		seed();
		long scheduleId = schedule();
		long goneScheduleId = scheduleId + 1000;
		setJob(100, "schedule_id = " + scheduleId);
		setJob(200, "schedule_id = " + scheduleId);
		setJob(300, "schedule_id = " + goneScheduleId);
		unfinished(10, JobState.QUEUED, false);
		unfinished(21, JobState.QUEUED, false);
		unfinished(32, JobState.RUNNING, true);
		unfinished(43, JobState.SNAPSHOTTING, true);
		// A queued resume of job 400's session: its transcript is what the resume
		// restores.
		session(400, "sess-a", true);
		setJob(9990, "state = 'QUEUED', finished_at = NULL, resume_session_id = 'sess-a'");
		// A session whose newest job has its own transcript: the older one is not needed.
		session(500, "sess-b", true);
		session(505, "sess-b", true);
		this.jdbcTemplate.update("""
				INSERT INTO sandbox_quarantine (sandbox, job_id, step, error, needs_restore, since, next_attempt_at)
				VALUES ('box-0', ?, 'RESTORE', 'restore failed', TRUE, ?, ?)
				""", id(600), ts(this.seededAt), ts(this.seededAt));
		notification(700, null, this.seededAt); // still due
		notification(800, this.seededAt.minus(Duration.ofDays(100)), null);
		notification(9000, this.seededAt.minusSeconds(60), null);
		notification(9500, this.seededAt.minus(Duration.ofDays(100)), null);
		for (int day = 0; day < 200; day++) {
			event(scheduleId, this.seededAt.minus(Duration.ofDays(day)).minus(Duration.ofHours(12)), "ENQUEUED");
		}
		event(goneScheduleId, this.seededAt.minus(Duration.ofDays(150)), "ENQUEUED");
		this.clock.advance(Duration.ofDays(1));

		DaemonStatus.Sweep sweep = this.retention.sweep();

		assertThat(sweep.error()).isNull();
		// Kept: every sandbox's newest 1000 (i >= 5000), less none by age (all ended
		// within 90 days), plus the
		// nine old jobs still needed: four unfinished, the schedule's last run, the
		// transcript the resume needs,
		// the quarantined one, the one whose notification is due. The schedule's older
		// job, the removed
		// schedule's, the older transcript of sess-b and the one with a delivered
		// notification went.
		List<Long> needed = List.of(id(10), id(21), id(32), id(43), id(200), id(400), id(600), id(700));
		assertThat(count("SELECT COUNT(*) FROM jobs")).isEqualTo(5000 + needed.size());
		assertThat(count("SELECT COUNT(*) FROM jobs WHERE id < " + id(5000))).isEqualTo(needed.size());
		for (long kept : needed) {
			assertThat(this.queue.view(kept)).isNotNull();
		}
		for (int sandbox = 0; sandbox < SANDBOXES; sandbox++) {
			assertThat(count("SELECT COUNT(*) FROM jobs WHERE sandbox = 'box-" + sandbox + "' AND id >= " + id(5000)))
				.isEqualTo(1000);
		}
		assertThat(sweep.jobsDeleted()).isEqualTo(JOBS - 5000 - needed.size());
		// History goes with the job; the kept ones keep theirs.
		assertThat(count("SELECT COUNT(*) FROM job_history WHERE job_id NOT IN (SELECT id FROM jobs)")).isZero();
		assertThat(this.queue.details(id(200)).history()).extracting("event").startsWith("STATE", "STATE");
		// Jobs that ended more than 14 days ago lost output and diff but kept their
		// summary; newer ones have all.
		long prunedUpTo = id(8740);
		long intactFrom = id(8765);
		String unfinished = id(10) + ", " + id(21) + ", " + id(32) + ", " + id(43);
		assertThat(count("SELECT COUNT(*) FROM job_output WHERE job_id <= " + prunedUpTo + " AND job_id NOT IN ("
				+ unfinished + ", " + id(600) + ")"))
			.isZero();
		assertThat(count("SELECT COUNT(*) FROM job_changes WHERE job_id <= " + prunedUpTo + " AND job_id NOT IN ("
				+ unfinished + ", " + id(400) + ", " + id(600) + ")"))
			.isZero();
		assertThat(count("SELECT COUNT(*) FROM job_output WHERE job_id IN (" + unfinished + ")")).isEqualTo(12);
		assertThat(count("SELECT COUNT(*) FROM job_output WHERE job_id >= " + intactFrom))
			.isEqualTo(3L * (JOBS - 8765));
		assertThat(count("SELECT COUNT(*) FROM job_changes WHERE job_id >= " + intactFrom)).isEqualTo(JOBS - 8765);
		var summary = this.queue.view(id(6000));
		assertThat(summary.state()).isEqualTo(JobState.SUCCEEDED);
		assertThat(summary.costUsd()).isEqualByComparingTo("0.25");
		assertThat(summary.numTurns()).isEqualTo(3);
		assertThat(summary.filesChanged()).isEqualTo(2);
		assertThat(summary.reason()).isEqualTo("done");
		assertThat(this.queue.details(id(6000)).history()).extracting("event").contains("PRUNED");
		// The resume's transcript stays, though the job's diff and output were pruned;
		// the quarantined job is whole.
		assertThat(this.jdbcTemplate.queryForObject("SELECT session_transcript FROM job_changes WHERE job_id = ?",
				byte[].class, id(400)))
			.asString(StandardCharsets.UTF_8)
			.isEqualTo("transcript of sess-a");
		assertThat(count("SELECT COUNT(*) FROM job_output WHERE job_id = " + id(600))).isEqualTo(3);
		// Notifications: the due one and the recent delivered one stay.
		assertThat(this.jdbcTemplate.queryForList("SELECT job_id FROM notifications ORDER BY job_id", Long.class))
			.containsExactly(id(700), id(9000));
		// Schedule events: those of the last 90 days (days 0 to 88 ended in the middle of
		// a day) stay.
		assertThat(count("SELECT COUNT(*) FROM schedule_events")).isEqualTo(89);
		assertThat(sweep.notificationsDeleted()).as("job 800's went with its job").isEqualTo(1);
		assertThat(sweep.scheduleEventsDeleted()).isEqualTo(200 - 89 + 1);
		assertThat(this.retention.status().lastSweep()).isEqualTo(sweep);

		// A second sweep finds nothing more to do.
		DaemonStatus.Sweep again = this.retention.sweep();
		assertThat(
				again.jobsDeleted() + again.jobsPruned() + again.notificationsDeleted() + again.scheduleEventsDeleted())
			.isZero();
	}

	@Test
	void theNewestFiringOfAScheduleStaysHoweverOld() {
		this.seededAt = this.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		long scheduleId = schedule();
		for (int day = 100; day < 105; day++) {
			event(scheduleId, this.seededAt.minus(Duration.ofDays(day)), "ENQUEUED");
		}
		event(scheduleId, this.seededAt.minus(Duration.ofDays(95)), "PAUSED");

		this.retention.sweep();

		assertThat(this.jdbcTemplate.queryForList("SELECT kind FROM schedule_events", String.class))
			.containsExactly("ENQUEUED");
		assertThat(this.jdbcTemplate.queryForObject("SELECT at FROM schedule_events", OffsetDateTime.class).toInstant())
			.isEqualTo(this.seededAt.minus(Duration.ofDays(100)));
	}

	@Test
	void logsAndDiffOfAPrunedJobSayWhenRetentionPrunedThemAndHow() throws Exception {
		this.seededAt = this.clock.instant();
		insertJobs(List.of(job(1, 0, this.seededAt.minus(Duration.ofDays(20)))));
		this.retention.sweep();
		String date = this.clock.instant().atOffset(java.time.ZoneOffset.UTC).toLocalDate().toString();
		String message = "output, diff and transcript of job " + id(1) + " were pruned by retention on " + date
				+ " (dilxc.retention.bulk-max-age: 14d); its summary is kept: 'dilxc-client job " + id(1) + "'";

		this.mvc.perform(get("/api/jobs/" + id(1) + "/output"))
			.andExpect(status().isGone())
			.andExpect(jsonPath("$.type").value(ProblemTypes.PRUNED.toString()))
			.andExpect(jsonPath("$.detail").value(message));
		this.mvc.perform(get("/api/jobs/" + id(1) + "/changes"))
			.andExpect(status().isGone())
			.andExpect(jsonPath("$.detail").value(message));
		this.mvc.perform(get("/api/jobs/" + id(1)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.job.numTurns").value(3))
			.andExpect(jsonPath("$.job.filesChanged").value(2));
		this.mvc.perform(get("/api/system/status"))
			.andExpect(jsonPath("$.retention.maxJobsPerSandbox").value(1000))
			.andExpect(jsonPath("$.retention.lastSweep.jobsPruned").value(1))
			.andExpect(jsonPath("$.databaseBytes").isNumber());
	}

	@Test
	void logsOfAJobThatNeverHadOutputStayEmptyRatherThanPruned() throws Exception {
		this.seededAt = this.clock.instant();
		insertJobs(List.of(job(1, 0, this.seededAt.minus(Duration.ofDays(20)))));
		this.jdbcTemplate.update("DELETE FROM job_output");
		this.jdbcTemplate.update("DELETE FROM job_changes");

		assertThat(this.retention.sweep().jobsPruned()).isZero();

		this.mvc.perform(get("/api/jobs/" + id(1) + "/output"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.lines").isEmpty());
	}

	@Test
	void daemonAnswersRequestsWhileASweepRuns() throws Exception {
		seed();
		this.clock.advance(Duration.ofDays(1));
		// Small batches, so the sweep takes many short transactions and requests fall
		// between them.
		Retention slow = new Retention(this.jdbc, this.transactions,
				new RetentionProperties(Duration.ofDays(90), 1000, Duration.ofDays(14), 20, Duration.ofHours(1), false),
				this.clock);

		CompletableFuture<DaemonStatus.Sweep> sweep = CompletableFuture.supplyAsync(slow::sweep);
		int answeredDuringSweep = 0;
		while (!sweep.isDone()) {
			long started = System.nanoTime();
			this.mvc.perform(get("/api/jobs?limit=20"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.length()").value(20));
			assertThat(this.queue.list(null, "box-3", 5)).hasSize(5);
			long id = this.queue.submit(new SubmitJobRequest("meanwhile", "box-4", null, null)).id();
			this.queue.cancel(id);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
			if (!sweep.isDone()) {
				answeredDuringSweep++;
			}
		}

		assertThat(sweep.get(1, TimeUnit.MINUTES).error()).isNull();
		assertThat(answeredDuringSweep).isPositive();
		assertThat(count("SELECT COUNT(*) FROM jobs WHERE sandbox = 'box-0'")).isEqualTo(1000);
	}

	@Test
	void settingsOutOfRangeAreRefusedNamingTheKeyAndWhatIsAllowed() {
		assertThatIllegalArgumentException().isThrownBy(() -> settings(Duration.ofHours(12), 1000, Duration.ZERO, 500))
			.withMessageContaining("dilxc.retention.max-age must be at least 1d")
			.withMessageContaining("or 0 to keep jobs forever");
		assertThatIllegalArgumentException().isThrownBy(() -> settings(Duration.ofDays(90), -1, Duration.ZERO, 500))
			.withMessageContaining("dilxc.retention.max-jobs-per-sandbox")
			.withMessageContaining("0 for no limit");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> settings(Duration.ofDays(30), 1000, Duration.ofDays(60), 500))
			.withMessageContaining("dilxc.retention.bulk-max-age (60d) is longer than dilxc.retention.max-age");
		assertThatIllegalArgumentException().isThrownBy(() -> settings(Duration.ofDays(90), 1000, Duration.ZERO, 0))
			.withMessageContaining("dilxc.retention.batch-size must be between 1 and 10000, not 0");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetentionProperties(Duration.ZERO, 0, Duration.ZERO, 500, Duration.ZERO, true))
			.withMessageContaining("dilxc.retention.interval must be a positive duration");
		assertThat(settings(Duration.ZERO, 0, Duration.ZERO, 500).keepsEverything()).isTrue();
		assertThat(settings(Duration.ZERO, 0, Duration.ofDays(14), 500).keepsEverything()).isFalse();
	}

	@Test
	void noLimitsKeepEverything() {
		this.seededAt = this.clock.instant();
		insertJobs(List.of(job(1, 0, this.seededAt.minus(Duration.ofDays(400))),
				job(2, 0, this.seededAt.minus(Duration.ofDays(300)))));
		Retention none = new Retention(this.jdbc, this.transactions, settings(Duration.ZERO, 0, Duration.ZERO, 500),
				this.clock);

		DaemonStatus.Sweep sweep = none.sweep();

		assertThat(sweep.jobsDeleted() + sweep.jobsPruned()).isZero();
		assertThat(count("SELECT COUNT(*) FROM job_output")).isEqualTo(6);
	}

	private static RetentionProperties settings(Duration maxAge, int maxJobs, Duration bulk, int batch) {
		return new RetentionProperties(maxAge, maxJobs, bulk, batch, Duration.ofHours(1), true);
	}

	/**
	 * 10,000 finished jobs, round-robin over box-0..box-4, each with history, output and
	 * changes.
	 */
	private void seed() {
		this.seededAt = this.clock.instant();
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < JOBS; i++) {
			jobs.add(job(i, i % SANDBOXES, this.seededAt.minus(STEP.multipliedBy(JOBS - i))));
		}
		insertJobs(jobs);
	}

	/** A seeded job: its id is {@link #id(int)}. */
	private record Job(int index, int sandbox, Instant finishedAt) {
	}

	private static Job job(int index, int sandbox, Instant finishedAt) {
		return new Job(index, sandbox, finishedAt);
	}

	private void insertJobs(List<Job> jobs) {
		this.jdbcTemplate.batchUpdate("""
				INSERT INTO jobs (id, sandbox, state, prompt, restore_policy, timeout_seconds, submitted_at, started_at,
				  finished_at, cost_usd, num_turns, reason, files_changed)
				VALUES (?, ?, 'SUCCEEDED', 'do it', 'NEVER', 3600, ?, ?, ?, 0.25, 3, 'done', 2)
				""", jobs, 1000, (ps, job) -> {
			ps.setLong(1, id(job.index()));
			ps.setString(2, "box-" + job.sandbox());
			ps.setObject(3, ts(job.finishedAt().minusSeconds(600)));
			ps.setObject(4, ts(job.finishedAt().minusSeconds(500)));
			ps.setObject(5, ts(job.finishedAt()));
		});
		this.jdbcTemplate.execute("ALTER TABLE jobs ALTER COLUMN id RESTART WITH " + id(JOBS + 1000));
		List<Object[]> history = new ArrayList<>();
		List<Object[]> output = new ArrayList<>();
		List<Object[]> changes = new ArrayList<>();
		for (Job job : jobs) {
			long id = id(job.index());
			history.add(new Object[] { id, ts(job.finishedAt().minusSeconds(600)), "QUEUED", "submitted" });
			history.add(new Object[] { id, ts(job.finishedAt()), "SUCCEEDED", "done" });
			for (int seq = 1; seq <= 3; seq++) {
				output.add(new Object[] { id, seq, ts(job.finishedAt()), "line " + seq + " of job " + id });
			}
			changes.add(new Object[] { id, ts(job.finishedAt()) });
		}
		this.jdbcTemplate.batchUpdate(
				"INSERT INTO job_history (job_id, at, state, event, detail) VALUES (?, ?, ?, 'STATE', ?)", history);
		this.jdbcTemplate.batchUpdate(
				"INSERT INTO job_output (job_id, seq, at, stream, text) VALUES (?, ?, ?, 'stdout', ?)", output);
		this.jdbcTemplate.batchUpdate(
				"""
						INSERT INTO job_changes (job_id, git_repository, base_commit, status, diff_stat, diff, files, captured_at)
						VALUES (?, TRUE, 'abc123', ' M a.txt', ' a.txt | 2 +-', '--- a/a.txt\n+++ b/a.txt', 'a.txt\nb.txt', ?)
						""",
				changes);
	}

	/** Job ids start high, clear of those the tests' submits take from the identity. */
	private static long id(int index) {
		return 1_000_000L + index;
	}

	private void setJob(int index, String assignments) {
		this.jdbcTemplate.update("UPDATE jobs SET " + assignments + " WHERE id = ?", id(index));
	}

	private void unfinished(int index, JobState state, boolean active) {
		setJob(index, "state = '" + state + "', finished_at = NULL" + (active ? ", active_sandbox = sandbox" : ""));
	}

	private void session(int index, String session, boolean transcript) {
		setJob(index, "session_id = '" + session + "'");
		if (transcript) {
			this.jdbcTemplate.update(
					"UPDATE job_changes SET session_path = 'p.jsonl', session_transcript = ? WHERE job_id = ?",
					("transcript of " + session).getBytes(StandardCharsets.UTF_8), id(index));
		}
	}

	private void notification(int index, Instant deliveredAt, Instant due) {
		this.jdbcTemplate.update("""
				INSERT INTO notifications (job_id, channel, payload, created_at, next_attempt_at, delivered_at)
				VALUES (?, 'WEBHOOK', '{}', ?, ?, ?)
				""", id(index), ts(this.seededAt.minus(Duration.ofDays(200))), (due != null) ? ts(due) : null,
				(deliveredAt != null) ? ts(deliveredAt) : null);
	}

	private long schedule() {
		this.jdbcTemplate.update("""
				INSERT INTO schedules (cron, quartz_cron, time_zone, sandbox, prompt, restore_policy, timeout_seconds,
				  sync_project, overlap, catch_up_seconds, created_at, last_slot)
				VALUES ('0 3 * * *', '0 0 3 * * ?', 'UTC', 'box-0', 'nightly', 'NEVER', 3600, FALSE, 'SKIP', 0, ?, ?)
				""", ts(this.seededAt.minus(Duration.ofDays(300))), ts(this.seededAt));
		return this.jdbcTemplate.queryForObject("SELECT MAX(id) FROM schedules", Long.class);
	}

	private void event(long scheduleId, Instant at, String kind) {
		this.jdbcTemplate.update("INSERT INTO schedule_events (schedule_id, at, kind, detail) VALUES (?, ?, ?, 'x')",
				scheduleId, ts(at), kind);
	}

	private long count(String sql) {
		return this.jdbcTemplate.queryForObject(sql, Long.class);
	}

	private static OffsetDateTime ts(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
