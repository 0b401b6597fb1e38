package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import dev.dilxc.api.JobState;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.cluster.ThisDaemon;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.QueryPlans;
import dev.dilxc.daemon.testing.QueryPlans.Plan;

/**
 * Every query a client command or the worker runs reads the history tables through an
 * index, so a year of history answers as fast as a new database. The statements are the
 * ones the code really runs (recorded by H2), against a seeded history so H2 weighs its
 * choices as it would in use.
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK)
class QueryPlanTests {

	private static final int JOBS = 2000;

	@TempDir
	static Path data;

	@Autowired
	private ThisDaemon daemon;

	@Autowired
	private WebApplicationContext context;

	@Autowired
	private JobQueue queue;

	@Autowired
	private JobRepository jobs;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private DataSource dataSource;

	private MockMvc mvc;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("spring.quartz.auto-startup", () -> "false");
	}

	@BeforeEach
	void seedHistory() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).build();
		if (this.jdbc.sql("SELECT COUNT(*) FROM jobs").query(Integer.class).single() >= JOBS) {
			return;
		}
		// Finished jobs over five sandboxes, a few queued and one running; every third
		// made by schedule 1.
		this.jdbc.sql("""
				INSERT INTO jobs (sandbox, state, prompt, restore_policy, timeout_seconds, submitted_at, started_at,
				  finished_at, session_id, schedule_id, active_sandbox, daemon_id)
				SELECT 'plan-' || MOD(X, 5),
				  CASE WHEN X > :jobs - 5 THEN 'QUEUED' WHEN X = :jobs - 5 THEN 'RUNNING'
				       WHEN MOD(X, 7) = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END,
				  'prompt ' || X, 'NEVER', 3600,
				  TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00Z' + X * INTERVAL '1' HOUR,
				  TIMESTAMP WITH TIME ZONE '2026-01-01 00:01:00Z' + X * INTERVAL '1' HOUR,
				  TIMESTAMP WITH TIME ZONE '2026-01-01 00:02:00Z' + X * INTERVAL '1' HOUR,
				  'session-' || X, CASE WHEN MOD(X, 3) = 0 THEN 1 END,
				  CASE WHEN X = :jobs - 5 THEN 'plan-' || MOD(X, 5) END, CASE WHEN X = :jobs - 5 THEN :daemon END
				FROM SYSTEM_RANGE(1, :jobs)
				""").param("jobs", JOBS).param("daemon", this.daemon.id()).update();
		this.jdbc.sql("""
				INSERT INTO job_history (job_id, at, state, event, detail)
				SELECT j.id, j.submitted_at, j.state, 'STATE', 'step ' || X FROM jobs j, SYSTEM_RANGE(1, 3)
				""").update();
		this.jdbc.sql("""
				INSERT INTO job_output (job_id, seq, at, stream, text)
				SELECT j.id, X, j.submitted_at, 'stdout', 'line ' || X FROM jobs j, SYSTEM_RANGE(1, 10)
				""").update();
		this.jdbc.sql("""
				INSERT INTO job_changes (job_id, git_repository, files, captured_at, session_path, session_transcript)
				SELECT id, TRUE, '', submitted_at, '/s.jsonl', X'00' FROM jobs WHERE MOD(id, 10) = 0
				""").update();
		this.jdbc.sql("ANALYZE").update();
	}

	@Test
	void jobsListWithoutFiltersReadsTheNewestOffThePrimaryKey() {
		assertThat(mainStatement(plans(() -> this.queue.list(null, null, 50))).sortedReads()).isEqualTo(2);
	}

	@Test
	void jobsListByStateReadsTheNewestOffAnIndexEvenForTheCommonestState() {
		for (JobState state : List.of(JobState.SUCCEEDED, JobState.FAILED, JobState.QUEUED)) {
			Plan plan = mainStatement(plans(() -> this.queue.list(state, null, 50)));
			assertThat(plan.indexCondition("JOBS")).as(state.name()).startsWith("STATE = ");
			assertThat(plan.sortedReads()).as(state.name()).isEqualTo(2);
		}
	}

	@Test
	void jobsListBySandboxReadsTheNewestOffAnIndex() {
		Plan plan = mainStatement(plans(() -> this.queue.list(null, "plan-3", 50)));
		assertThat(plan.indexCondition("JOBS")).startsWith("SANDBOX = ");
		assertThat(plan.sortedReads()).isEqualTo(2);
	}

	@Test
	void jobsListByStateAndSandboxReadsTheNewestOffAnIndex() {
		Plan plan = mainStatement(plans(() -> this.queue.list(JobState.FAILED, "plan-3", 50)));
		assertThat(plan.indexCondition("JOBS")).contains("STATE = ").contains("SANDBOX = ");
		assertThat(plan.sortedReads()).isEqualTo(2);
	}

	@Test
	void jobsListOverHttpRunsTheSameIndexedStatements() throws Exception {
		plans(() -> perform("/api/jobs?state=FAILED&sandbox=plan-2"));
		plans(() -> perform("/api/jobs?sandbox=plan-2&limit=1000"));
	}

	@Test
	void jobDetailsReadItsRowAndHistoryByIndex() {
		plans(() -> this.queue.details(JOBS / 2));
	}

	@Test
	void aJobsOutputLineCountIsReadOffTheEndOfItsOutputNotCountedLineByLine() {
		// One read however much output: the job's last line, newest first off the primary
		// key.
		assertThat(mainStatement(plans(() -> this.queue.view(JOBS / 2))).sortedReads()).isEqualTo(1);
	}

	@Test
	void logsPagesAreReadOffTheOutputPrimaryKeyInOrder() {
		List<Plan> first = plans(() -> this.queue.output(JOBS / 2, 0, 1000));
		List<Plan> late = plans(() -> this.queue.output(JOBS / 2, 8, 1000));
		assertThat(first).filteredOn((plan) -> plan.sql().contains("FROM job_output WHERE"))
			.singleElement()
			.satisfies((plan) -> assertThat(plan.indexSorted()).isTrue());
		assertThat(late).hasSameSizeAs(first);
	}

	@Test
	void aSandboxsUnfinishedJobsAndTheQueueDepthAreReadByIndexNotFilteredInJava() {
		Plan unfinished = mainStatement(plans(() -> assertThat(this.queue.unfinished("plan-1")).isNotEmpty()));
		assertThat(unfinished.indexCondition("JOBS")).contains("SANDBOX = ");
		assertThat(plans(() -> assertThat(this.queue.queueDepth()).isEqualTo(5))).singleElement()
			.satisfies((plan) -> assertThat(plan.sql()).contains("COUNT(*)"));
		plans(this.queue::active);
	}

	@Test
	void theWorkersClaimQueriesUseIndexes() {
		plans(() -> assertThat(this.jobs.countActive()).isEqualTo(1));
		plans(() -> assertThat(this.jobs.claimable(4)).extracting(JobRow::sandbox).doesNotContain("plan-0"));
	}

	@Test
	void aResumeFindsItsSessionsTranscriptByIndex() {
		plans(() -> assertThat(this.jobs.transcriptOfSession("plan-0", "session-10")).isPresent());
	}

	@Test
	void aSchedulesJobsAreFoundByIndex() {
		Instant midnight = Instant.parse("2026-02-01T00:00:00Z");
		plans(() -> this.queue.unfinishedOfSchedule(1));
		plans(() -> this.queue.costOfSchedule(1, midnight));
		assertThat(mainStatement(plans(() -> this.queue.lastOfSchedule(1))).sortedReads()).isEqualTo(2);
	}

	@Test
	void theMorningReportReadsItsWindowByIndex() {
		plans(() -> perform("/api/report?since=2026-02-01T00:00:00Z&until=2026-02-02T00:00:00Z"));
		plans(() -> perform("/api/report"));
	}

	@Test
	void aSchedulesDetailsAndTheScheduleListReadEventsByIndex() throws Exception {
		String created = this.mvc.perform(post("/api/schedules").contentType(MediaType.APPLICATION_JSON).content("""
				{"cron":"0 2 * * *","timeZone":"UTC","overlap":"QUEUE","prompt":"nightly","sandbox":"plan-1"}
				""")).andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
		long id = Long.parseLong(created.replaceAll("(?s).*?\"id\":(\\d+).*", "$1"));
		plans(() -> perform("/api/schedules/" + id));
		plans(() -> perform("/api/schedules"));
	}

	/**
	 * The plans of the history-table statements {@code action} ran, each checked to use
	 * no table scan.
	 */
	private List<Plan> plans(Runnable action) {
		List<Plan> plans = QueryPlans.of(this.dataSource, QueryPlans.HISTORY_TABLES, action);
		assertThat(plans).as("statements on the history tables").isNotEmpty();
		assertThat(plans).allSatisfy((plan) -> assertThat(plan.tableScans()).as(plan.plan())
			.doesNotContainAnyElementsOf(QueryPlans.HISTORY_TABLES));
		return plans;
	}

	/**
	 * The statement that reads the jobs (the one with the job row's columns). Its
	 * index-ordered reads are the jobs themselves when a LIMIT picks the newest, and each
	 * job's last output line.
	 */
	private static Plan mainStatement(List<Plan> plans) {
		assertThat(plans).filteredOn((plan) -> plan.sql().contains("FROM jobs j")).hasSize(1);
		return plans.stream().filter((plan) -> plan.sql().contains("FROM jobs j")).findFirst().orElseThrow();
	}

	private void perform(String uri) {
		try {
			this.mvc.perform(get(uri)).andExpect(status().isOk());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
