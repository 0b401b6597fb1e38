package dev.dilxc.daemon.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import dev.dilxc.api.DaemonStatus;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.jobs.JobQueue;
import dev.dilxc.daemon.leases.SandboxQuarantines;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.TestStore;

import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/system/status} with no LXD client to run: the report still answers at
 * once, says LXD is unreachable and why, and counts the queue, the next schedule firing
 * and the data directory from the real H2 and Quartz store.
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK)
class DaemonStatusTests {

	private static final JsonMapper JSON = JsonMapper.builder().findAndAddModules().build();

	@TempDir
	static Path data;

	@Autowired
	private WebApplicationContext context;

	@Autowired
	private JobQueue queue;

	@Autowired
	private SandboxQuarantines quarantines;

	private MockMvc mvc;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("dilxc.lxd.executable", () -> "/nonexistent/lxc");
		registry.add("spring.quartz.auto-startup", () -> "false");
	}

	@BeforeEach
	void mockMvc() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).build();
	}

	@Test
	void statusSaysLxdIsDownAndStillCountsQueueSchedulesAndData() throws Exception {
		this.queue.submit(new SubmitJobRequest("first", "status-a", null, null));
		this.queue.submit(new SubmitJobRequest("second", "status-a", null, null));
		this.mvc.perform(post("/api/schedules").contentType(MediaType.APPLICATION_JSON).content("""
				{"cron":"0 3 * * *","timeZone":"UTC","sandbox":"status-b","prompt":"nightly"}
				""")).andExpect(status().isCreated());

		long started = System.nanoTime();
		DaemonStatus status = daemonStatus();
		long millis = (System.nanoTime() - started) / 1_000_000;

		assertThat(millis).as("answers at once when the LXD client is missing").isLessThan(3000);
		assertThat(status.lxdReachable()).isFalse();
		assertThat(status.lxdVersion()).isNull();
		assertThat(status.lxdError()).contains("/nonexistent/lxc").contains("is LXD installed");
		assertThat(status.version()).isNotBlank();
		assertThat(status.startedAt()).isNotNull();
		assertThat(status.uptimeSeconds()).isNotNegative();
		assertThat(status.queuedJobs()).isEqualTo(2);
		assertThat(status.runningJobs()).isEmpty();
		assertThat(status.nextSchedule()).isNotNull();
		assertThat(status.nextSchedule().sandbox()).isEqualTo("status-b");
		assertThat(status.nextSchedule().at().toString()).endsWith("T03:00:00Z");
		assertThat(status.dataDirectory()).isEqualTo(data.resolve("data").toString());
		assertThat(status.socket()).isEqualTo(data.resolve("run/daemon.sock").toString());
		assertThat(status.quarantined()).isEmpty();
		assertThat(status.newestBackup()).as("a new database: nothing backed up yet").isNull();
		assertThat(status.retention()).isEqualTo(new DaemonStatus.Retention(90 * 86_400, 1000, 14 * 86_400, null));
		DaemonStatus.Store store = status.store();
		assertThat(store.daemons()).as("this daemon alone shares the store")
			.singleElement()
			.satisfies((daemon) -> assertThat(daemon.id()).isEqualTo(store.daemon()));
		assertThat(store.daemon()).matches("[A-Za-z0-9._-]+:[0-9a-f]{6}");
		if (TestStore.current() == TestStore.H2) {
			assertThat(store.kind()).isEqualTo("H2");
			assertThat(store.location()).isEqualTo(data.resolve("data/dilxc.mv.db").toString());
			assertThat(store.clockSkewMillis()).isZero();
			assertThat(status.dataDirectoryBytes()).as("the H2 database file at least").isPositive();
			assertThat(status.databaseBytes()).as("dilxc.mv.db")
				.isPositive()
				.isLessThanOrEqualTo(status.dataDirectoryBytes());
		}
		else {
			assertThat(store.kind()).isEqualTo("PostgreSQL");
			assertThat(store.location()).startsWith(TestStore.SERVER + "dilxc_t_");
			assertThat(Math.abs(store.clockSkewMillis())).as("one host, one clock").isLessThan(1000);
			assertThat(status.databaseBytes()).as("pg_database_size").isGreaterThan(1_000_000);
			assertThat(status.warnings()).as("no clock warning on one host").isEmpty();
		}
	}

	@Test
	void statusListsTheQuarantinedSandboxesWithWhatFailedAndTheNextRetry() throws Exception {
		// The job is cancelled at once: the other test counts the queue.
		long jobId = this.queue.submit(new dev.dilxc.api.SubmitJobRequest("q", "status-q", null, null)).id();
		this.queue.cancel(jobId);
		Instant next = Instant.parse("2026-11-27T10:05:00Z");
		this.quarantines.quarantine("status-q", jobId, SandboxQuarantines.Step.KILL, "could not end the agent", false,
				next);
		try {
			assertThat(daemonStatus().quarantined()).singleElement().satisfies((quarantine) -> {
				assertThat(quarantine.sandbox()).isEqualTo("status-q");
				assertThat(quarantine.jobId()).isEqualTo(jobId);
				assertThat(quarantine.step()).isEqualTo("KILL");
				assertThat(quarantine.error()).isEqualTo("could not end the agent");
				assertThat(quarantine.needsRestore()).isFalse();
				assertThat(quarantine.nextAttemptAt()).isEqualTo(next);
				assertThat(quarantine.attempts()).isZero();
			});
			// Added after the older fields, so a client that predates them reads the rest
			// as before.
			String body = this.mvc.perform(get("/api/system/status")).andReturn().getResponse().getContentAsString();
			assertThat(JSON.readTree(body).properties()).extracting(java.util.Map.Entry::getKey)
				.endsWith("quarantined", "warnings", "newestBackup", "databaseBytes", "retention", "lxdBackend",
						"lxdBackendChoice", "store", "cluster");
		}
		finally {
			this.quarantines.release("status-q");
		}
	}

	private DaemonStatus daemonStatus() throws Exception {
		String body = this.mvc.perform(get("/api/system/status"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		return JSON.readValue(body, DaemonStatus.class);
	}

}
