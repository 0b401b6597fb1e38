package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import dev.dilxc.api.JobHistoryEntry;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.ProblemTypes;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.leases.SandboxLease;
import dev.dilxc.daemon.leases.SandboxLeases;
import dev.dilxc.daemon.leases.SandboxQuarantines;
import dev.dilxc.daemon.leases.SandboxQuarantines.Quarantine;
import dev.dilxc.daemon.testing.Await;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.FakeAnthropicApi.Answer;
import dev.dilxc.daemon.testing.Lxc;
import dev.dilxc.daemon.testing.ScriptedSandbox;
import dev.dilxc.daemon.testing.SteppableClock;
import dev.dilxc.daemon.testing.TestBackend;
import dev.dilxc.daemon.testing.TestSandbox;

/**
 * One lease per sandbox and quarantine, on real LXD with the real Claude Code CLI:
 * operations and jobs never act on a sandbox at once, and a sandbox whose restore failed
 * is never handed to the next job. Faults that cannot be made on demand (a restore that
 * fails) come from a wrapper around the real {@code lxc} that the daemon is pointed at;
 * everything else is the real thing.
 */
@SpringBootTest(classes = { DaemonApplication.class, SandboxLeaseIntegrationTests.Clocks.class },
		webEnvironment = SpringBootTest.WebEnvironment.MOCK,
		properties = "spring.main.allow-bean-definition-overriding=true")
class SandboxLeaseIntegrationTests {

	@TestConfiguration(proxyBeanMethods = false)
	static class Clocks {

		@Bean
		SteppableClock clock() {
			return new SteppableClock();
		}

	}

	private static final String API_KEY = "sk-ant-lease-SECRET-5e1b9c3a7d";

	@RegisterExtension
	static final ScriptedSandbox agent = new ScriptedSandbox("dilxc-lease", API_KEY);

	@TempDir
	static Path data;

	/** Holds the wrapper and the files that switch its faults on. */
	@TempDir
	static Path faults;

	@Autowired
	private WebApplicationContext context;

	@Autowired
	private JobQueue queue;

	@Autowired
	private JobWorker worker;

	@Autowired
	private SteppableClock clock;

	@Autowired
	private SandboxLeases leases;

	@Autowired
	private SandboxQuarantines quarantines;

	private MockMvc mvc;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("dilxc.jobs.default-sandbox", () -> agent.sandbox().name());
		registry.add("dilxc.sandboxes.kill-grace", () -> "2s");
		registry.add("dilxc.lxd.executable", () -> wrapper().toString());
	}

	/**
	 * The real {@code lxc} (or {@code incus}), except: a restore ({@code lxc restore},
	 * {@code incus snapshot restore}) fails while {@code fail-restore} exists, and waits
	 * until {@code release-restore} exists while {@code slow-restore} does.
	 */
	private static Path wrapper() {
		String client = TestBackend.current().client();
		Path script = faults.resolve(client);
		if (!Files.exists(script)) {
			String dir = faults.toString();
			try {
				Files.writeString(script,
						"""
								#!/bin/sh
								if [ "$1" = restore ] || [ "$1 $2" = "snapshot restore" ]; then
								  if [ -e '%1$s/fail-restore' ]; then echo 'Error: injected restore failure (test fault)' >&2; exit 1; fi
								  if [ -e '%1$s/slow-restore' ]; then
								    touch '%1$s/restore-started'
								    while [ ! -e '%1$s/release-restore' ]; do sleep 0.1; done
								  fi
								fi
								exec %2$s "$@"
								"""
							.formatted(dir, client));
				Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
			}
			catch (java.io.IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}
		return script;
	}

	@BeforeEach
	void setUp() throws Exception {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).build();
		for (String fault : List.of("fail-restore", "slow-restore", "release-restore", "restore-started")) {
			Files.deleteIfExists(faults.resolve(fault));
		}
	}

	@AfterEach
	void settle() {
		this.quarantines.release(agent.sandbox().name());
		for (JobView job : this.queue.unfinished(agent.sandbox().name())) {
			if (job.state() == JobState.QUEUED) {
				this.queue.cancel(job.id());
			}
		}
	}

	@Test
	void whileAJobRunsRestoreUpdateSyncStopAndDestroyAreRefusedBusyNamingTheJob() throws Exception {
		agent.api().whenEmpty(Answer.hang());
		Lxc.snapshot(agent.sandbox().name(), "before-lease").orFail("user snapshot");
		JobView job = submit("hang", RestorePolicy.NEVER);
		CompletableFuture<JobState> outcome = startOne();
		assertThat(agent.api().awaitMainTurns(1, Duration.ofSeconds(90))).as("the agent reached the API").isTrue();

		String base = "/api/sandboxes/" + agent.sandbox().name();
		assertBusy(this.mvc.perform(post(base + "/snapshots/before-lease/restore")).andReturn().getResponse(), job);
		assertBusy(this.mvc.perform(post(base + "/update").contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andReturn()
			.getResponse(), job);
		assertBusy(this.mvc
			.perform(post(base + "/sync").contentType(MediaType.APPLICATION_JSON)
				.content("{\"force\":true,\"dryRun\":false}"))
			.andReturn()
			.getResponse(), job);
		assertBusy(this.mvc.perform(post(base + "/stop")).andReturn().getResponse(), job);
		assertBusy(this.mvc.perform(post(base + "/snapshots").contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andReturn()
			.getResponse(), job);
		assertBusy(this.mvc.perform(delete(base)).andReturn().getResponse(), job);
		assertThat(agent.sandbox().processesMatching("claude")).as("the agent still runs, untouched").isNotEmpty();

		this.queue.cancel(job.id());
		assertThat(outcome.get(2, TimeUnit.MINUTES)).isEqualTo(JobState.CANCELLED);
		assertThat(this.leases.holder(agent.sandbox().name())).as("the job's lease ends with it").isEmpty();
		Lxc.deleteSnapshot(agent.sandbox().name(), "before-lease").orFail("delete user snapshot");
	}

	@Test
	void aJobQueuedWhileARestoreHoldsTheSandboxStartsRightAfterTheRestoreNotDuringIt() throws Exception {
		String name = agent.sandbox().name();
		agent.sandbox().writeFile(TestSandbox.PROJECT + "/state.txt", "snapshotted\n", "0644");
		Lxc.snapshot(name, "lease-race").orFail("user snapshot");
		agent.sandbox().writeFile(TestSandbox.PROJECT + "/state.txt", "changed after\n", "0644");
		Files.createFile(faults.resolve("slow-restore"));
		CompletableFuture<MockHttpServletResponse> restore = CompletableFuture.supplyAsync(() -> {
			try {
				return this.mvc.perform(post("/api/sandboxes/" + name + "/snapshots/lease-race/restore"))
					.andReturn()
					.getResponse();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		Await.until("the restore to start in LXD", Duration.ofSeconds(60), Duration.ofMillis(200),
				() -> Files.exists(faults.resolve("restore-started")));
		assertThat(this.leases.holder(name)).map(SandboxLease::purpose).contains("restore");

		agent.api().scriptBashThenFinish("cat " + TestSandbox.PROJECT + "/state.txt", "Read it.");
		JobView job = submit("read the state", RestorePolicy.NEVER);
		assertThat(this.worker.pollOnce()).as("no job starts while the restore holds the sandbox").isEmpty();
		assertThat(this.queue.view(job.id()).state()).isEqualTo(JobState.QUEUED);

		Files.createFile(faults.resolve("release-restore"));
		assertThat(restore.get(2, TimeUnit.MINUTES).getStatus()).isEqualTo(200);
		JobState state = startOne().get(5, TimeUnit.MINUTES);

		assertThat(state).isEqualTo(JobState.SUCCEEDED);
		assertThat(this.queue.output(job.id(), 0, 5000).lines())
			.as("the job saw the restored files, not a half-restored sandbox")
			.anySatisfy((line) -> assertThat(line.text()).contains("snapshotted"));
		Lxc.deleteSnapshot(name, "lease-race").orFail("delete user snapshot");
	}

	@Test
	void aFailedRestoreQuarantinesTheSandboxTheNextJobWaitsAndARepairLetsTheQueueMoveOn() throws Exception {
		String name = agent.sandbox().name();
		agent.sandbox().writeFile(TestSandbox.PROJECT + "/precious.txt", "keep me\n", "0644");
		agent.api().enqueue(Answer.bash("rm " + TestSandbox.PROJECT + "/precious.txt"));
		agent.api().whenEmpty(Answer.httpError(500));
		Files.createFile(faults.resolve("fail-restore"));

		JobView failed = runToEnd(submit("clean up", RestorePolicy.ON_FAILURE));

		assertThat(failed.state()).isEqualTo(JobState.FAILED);
		assertThat(failed.reason()).contains("restoring the sandbox FAILED")
			.contains("injected restore failure")
			.contains("sandbox quarantined");
		Quarantine quarantine = this.quarantines.find(name).orElseThrow();
		assertThat(quarantine.step()).isEqualTo(SandboxQuarantines.Step.RESTORE);
		assertThat(quarantine.jobId()).isEqualTo(failed.id());
		assertThat(quarantine.needsRestore()).isTrue();
		assertThat(this.queue.details(failed.id()).history()).extracting(JobHistoryEntry::event)
			.contains("QUARANTINED");
		this.mvc.perform(get("/api/quarantine"))
			.andExpect((result) -> assertThat(result.getResponse().getContentAsString()).contains(name)
				.contains("RESTORE")
				.contains("injected restore failure"));

		agent.api().reset();
		agent.api().whenEmpty(Answer.text("ok"));
		JobView next = submit("the next job", RestorePolicy.NEVER);
		assertThat(this.worker.pollOnce()).as("no job is claimed on a quarantined sandbox").isEmpty();
		assertThat(agent.sandbox().fileExists(TestSandbox.PROJECT + "/precious.txt")).isFalse();

		// The daemon's own retry: not before its backoff, and failing while the fault
		// lasts.
		assertThat(this.worker.retryQuarantined()).isEmpty();
		this.clock.advance(Duration.ofSeconds(31));
		assertThat(this.worker.retryQuarantined()).singleElement()
			.satisfies((attempt) -> assertThat(attempt.get(2, TimeUnit.MINUTES)).isFalse());
		assertThat(this.quarantines.find(name).orElseThrow().attempts()).isEqualTo(1);
		MockHttpServletResponse refused = this.mvc
			.perform(post("/api/sandboxes/" + name + "/repair").contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andReturn()
			.getResponse();
		assertThat(refused.getStatus()).isEqualTo(409);
		assertThat(refused.getContentAsString()).contains(ProblemTypes.SANDBOX_QUARANTINED.toString())
			.contains("injected restore failure")
			.contains("--force");
		assertThat(this.worker.pollOnce()).isEmpty();

		Files.delete(faults.resolve("fail-restore"));
		MockHttpServletResponse repaired = this.mvc
			.perform(post("/api/sandboxes/" + name + "/repair").contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andReturn()
			.getResponse();

		assertThat(repaired.getStatus()).as(repaired.getContentAsString()).isEqualTo(200);
		assertThat(repaired.getContentAsString()).contains("restored to dilxc-job-" + failed.id());
		assertThat(this.quarantines.find(name)).isEmpty();
		assertThat(agent.sandbox().readFile(TestSandbox.PROJECT + "/precious.txt")).isEqualTo("keep me\n");
		assertThat(this.queue.details(failed.id()).history()).extracting(JobHistoryEntry::event).contains("REPAIRED");
		assertThat(startOne().get(5, TimeUnit.MINUTES)).isEqualTo(JobState.SUCCEEDED);
		assertThat(this.queue.view(next.id()).state()).isEqualTo(JobState.SUCCEEDED);
	}

	@Test
	void theDaemonsRetryRepairsAQuarantinedSandboxOnceTheFaultIsGoneAndForceReleasesOneAsItIs() throws Exception {
		String name = agent.sandbox().name();
		agent.api().whenEmpty(Answer.httpError(500));
		Files.createFile(faults.resolve("fail-restore"));
		JobView failed = runToEnd(submit("fail", RestorePolicy.ON_FAILURE));
		assertThat(this.quarantines.find(name)).isPresent();

		Files.delete(faults.resolve("fail-restore"));
		this.clock.advance(Duration.ofSeconds(31));
		assertThat(this.worker.retryQuarantined()).singleElement()
			.satisfies((attempt) -> assertThat(attempt.get(2, TimeUnit.MINUTES)).isTrue());
		assertThat(this.quarantines.find(name)).isEmpty();
		assertThat(this.queue.view(failed.id()).restoredTo()).isEqualTo("dilxc-job-" + failed.id());

		// Released by hand: nothing is done to the sandbox, the queue moves on.
		this.quarantines.quarantine(name, failed.id(), SandboxQuarantines.Step.KILL, "test: looked at it", false,
				this.clock.instant().plusSeconds(30));
		MockHttpServletResponse forced = this.mvc
			.perform(post("/api/sandboxes/" + name + "/repair").contentType(MediaType.APPLICATION_JSON)
				.content("{\"force\":true}"))
			.andReturn()
			.getResponse();
		assertThat(forced.getStatus()).isEqualTo(200);
		assertThat(this.quarantines.find(name)).isEmpty();
		MockHttpServletResponse nothing = this.mvc
			.perform(post("/api/sandboxes/" + name + "/repair").contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andReturn()
			.getResponse();
		assertThat(nothing.getStatus()).isEqualTo(409);
		assertThat(nothing.getContentAsString()).contains("is not quarantined");
	}

	private void assertBusy(MockHttpServletResponse response, JobView job) throws Exception {
		assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(409);
		assertThat(response.getContentAsString()).contains(ProblemTypes.SANDBOX_BUSY.toString())
			.contains("job " + job.id());
	}

	private JobView submit(String prompt, RestorePolicy policy) {
		return this.queue.submit(new SubmitJobRequest(prompt, null, policy, 600L));
	}

	private CompletableFuture<JobState> startOne() {
		List<CompletableFuture<JobState>> started = this.worker.pollOnce();
		assertThat(started).as("one job claimed").hasSize(1);
		return started.get(0);
	}

	private JobView runToEnd(JobView submitted) throws Exception {
		startOne().get(5, TimeUnit.MINUTES);
		return this.queue.view(submitted.id());
	}

}
