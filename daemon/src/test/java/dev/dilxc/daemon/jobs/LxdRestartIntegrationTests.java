package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dilxc.api.JobHistoryEntry;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.leases.SandboxQuarantines;
import dev.dilxc.daemon.leases.SandboxQuarantines.Quarantine;
import dev.dilxc.daemon.lxd.ExecSession;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.sandboxes.AgentSandbox;
import dev.dilxc.daemon.testing.TestBackend;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.FakeAnthropicApi.Answer;
import dev.dilxc.daemon.testing.LxdDaemon;
import dev.dilxc.daemon.testing.ScriptedSandbox;
import dev.dilxc.daemon.testing.SteppableClock;
import dev.dilxc.daemon.testing.TestSandbox;

/**
 * The machine's real LXD daemon killed mid-job (SIGKILL, as a crash or a package
 * upgrade's restart does it) with the real Claude Code CLI running in a real sandbox: the
 * job tells LXD's absence apart from an agent failure, waits for LXD within
 * {@code dilxc.jobs.lxd-return-timeout}, then ends the agent, restores and ends
 * INTERRUPTED; past the bound, or when the daemon itself starts while LXD is down, the
 * sandbox is quarantined and the daemon's retry puts it right once LXD answers. LXD is
 * started again after every test.
 */
@SpringBootTest(classes = { DaemonApplication.class, LxdRestartIntegrationTests.Clocks.class },
		webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = "spring.main.allow-bean-definition-overriding=true")
class LxdRestartIntegrationTests {

	/** LXD or Incus, as the run chose: what the reasons name. */
	private static final String BACKEND = TestBackend.current().displayName();

	@TestConfiguration(proxyBeanMethods = false)
	static class Clocks {

		@Bean
		SteppableClock clock() {
			return new SteppableClock();
		}

	}

	private static final String API_KEY = "sk-ant-lxdrestart-SECRET-8c2d4e6f0a";

	/**
	 * Long enough for a restart that takes 20 s plus LXD's own start, short enough to
	 * outwait in a test.
	 */
	private static final Duration RETURN_BOUND = Duration.ofSeconds(45);

	/**
	 * A process of the agent's tree that lives on whatever happens to the CLI's own
	 * stdout.
	 */
	private static final String SLEEPER = "env -i setsid nohup sleep 4327 > /dev/null 2>&1 &";

	@RegisterExtension
	static final ScriptedSandbox agent = new ScriptedSandbox("dilxc-lxdrestart", API_KEY);

	@TempDir
	static java.nio.file.Path data;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private JobQueue queue;

	@Autowired
	private JobWorker worker;

	@Autowired
	private SteppableClock clock;

	@Autowired
	private SandboxQuarantines quarantines;

	@Autowired
	private JobRepository jobs;

	@Autowired
	private JobRecovery recovery;

	@Autowired
	private AgentSandbox agents;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("dilxc.jobs.default-sandbox", () -> agent.sandbox().name());
		registry.add("dilxc.sandboxes.kill-grace", () -> "2s");
		registry.add("dilxc.jobs.lxd-return-timeout", () -> RETURN_BOUND.toSeconds() + "s");
	}

	@AfterEach
	void lxdBackAndSandboxReleased() throws Exception {
		if (!LxdDaemon.answers()) {
			LxdDaemon.start();
		}
		this.quarantines.release(agent.sandbox().name());
	}

	@Test
	void lxdKilledMidJobAndBackAfter20SecondsEndsTheJobInterruptedRestoredWithNoAgentLeft() throws Exception {
		String name = agent.sandbox().name();
		JobView job = submit("delete, then think for a long time", RestorePolicy.ON_FAILURE);
		CompletableFuture<JobState> outcome = startDeletingThenThinking();
		assertThat(agent.sandbox().fileExists(TestSandbox.PROJECT + "/precious.txt")).isFalse();

		long killed = LxdDaemon.kill();
		Thread.sleep(20_000);
		assertThat(outcome).as("the job waits for LXD rather than ending as an agent failure").isNotDone();
		LxdDaemon.start();
		JobState state = outcome.get(3, TimeUnit.MINUTES);

		JobView ended = this.queue.view(job.id());
		assertThat(state).isEqualTo(JobState.INTERRUPTED);
		assertThat(ended.reason())
			.containsAnyOf(BACKEND + " became unreachable while the agent ran",
					BACKEND + " restarted while the agent ran")
			.contains("the agent was not re-run")
			.contains("leftover processes were ended")
			.contains("restored to dilxc-job-" + job.id());
		assertThat(ended.reason()).as("pid " + killed + " is gone").doesNotContain("no result event");
		assertThat(this.queue.details(job.id()).history()).extracting(JobHistoryEntry::event)
			.containsSubsequence("LXD_AWAY", "LXD_BACK")
			.doesNotContain("QUARANTINED");
		assertThat(agent.sandbox().processesMatching("claude")).as("no agent runs unwatched").isEmpty();
		assertThat(agent.sandbox().processesMatching("sleep 4327")).as("nor anything it started").isEmpty();
		assertThat(agent.sandbox().readFile(TestSandbox.PROJECT + "/precious.txt")).isEqualTo("keep me\n");
		assertThat(this.quarantines.find(name)).isEmpty();
	}

	@Test
	void lxdKeptDownPastTheBoundQuarantinesTheSandboxAndTheRetryRepairsItOnceLxdAnswers() throws Exception {
		String name = agent.sandbox().name();
		JobView job = submit("delete, then think for a long time", RestorePolicy.ON_FAILURE);
		CompletableFuture<JobState> outcome = startDeletingThenThinking();

		LxdDaemon.kill();
		JobState state = outcome.get(RETURN_BOUND.toSeconds() + 60, TimeUnit.SECONDS);

		JobView ended = this.queue.view(job.id());
		assertThat(state).isEqualTo(JobState.INTERRUPTED);
		assertThat(ended.reason()).contains(BACKEND + " became unreachable while the agent ran")
			.contains(BACKEND + " did not answer within 45s")
			.contains("sandbox quarantined");
		Quarantine quarantine = this.quarantines.find(name).orElseThrow();
		assertThat(quarantine.step()).isEqualTo(SandboxQuarantines.Step.LXD_UNREACHABLE);
		assertThat(quarantine.jobId()).isEqualTo(job.id());
		assertThat(quarantine.needsRestore()).isTrue();

		agent.api().reset();
		agent.api().whenEmpty(Answer.text("ok"));
		JobView next = submit("the next job", RestorePolicy.NEVER);
		assertThat(this.worker.pollOnce()).as("no job is claimed on a quarantined sandbox").isEmpty();
		this.clock.advance(Duration.ofSeconds(31));
		assertThat(this.worker.retryQuarantined()).as("the retry while LXD is still down")
			.singleElement()
			.satisfies((attempt) -> assertThat(attempt.get(2, TimeUnit.MINUTES)).isFalse());

		LxdDaemon.start();
		assertThat(agent.sandbox().processesMatching("sleep 4327")).as("the agent's tree ran on while LXD was away")
			.isNotEmpty();
		this.clock.advance(Duration.ofSeconds(61));
		assertThat(this.worker.retryQuarantined()).singleElement()
			.satisfies((attempt) -> assertThat(attempt.get(2, TimeUnit.MINUTES)).isTrue());

		assertThat(this.quarantines.find(name)).isEmpty();
		assertThat(agent.sandbox().processesMatching("claude")).as("the repair ended the agent").isEmpty();
		assertThat(agent.sandbox().processesMatching("sleep 4327")).as("and its tree").isEmpty();
		assertThat(agent.sandbox().readFile(TestSandbox.PROJECT + "/precious.txt")).isEqualTo("keep me\n");
		assertThat(this.queue.details(job.id()).history()).extracting(JobHistoryEntry::event)
			.containsSubsequence("LXD_AWAY", "QUARANTINED", "REPAIRED");
		assertThat(startOne().get(5, TimeUnit.MINUTES)).isEqualTo(JobState.SUCCEEDED);
		assertThat(this.queue.view(next.id()).state()).isEqualTo(JobState.SUCCEEDED);
	}

	@Test
	void aDaemonStartingWhileLxdIsDownQuarantinesItsInterruptedJobsSandboxAndRecoversItOnceLxdAnswers()
			throws Exception {
		String name = agent.sandbox().name();
		agent.api().enqueue(Answer.bash(SLEEPER));
		agent.api().whenEmpty(Answer.hang());
		// A job the previous daemon left RUNNING: its agent runs on in the sandbox,
		// nobody attached.
		long id = this.jobs.insert(name, "run through a reboot", RestorePolicy.NEVER, 600, this.clock.instant());
		assertThat(this.jobs.claim(this.jobs.find(id).orElseThrow(), this.clock.instant())).isTrue();
		this.jobs.transition(id, JobState.SNAPSHOTTING, JobState.RUNNING, this.clock.instant(), "agent starting");
		ExecSession session = this.agents.startAgent(new InstanceName(name), id, "run through a reboot", (line) -> {
		}, (line) -> {
		}, 1 << 20);
		assertThat(agent.api().awaitMainTurns(2, Duration.ofSeconds(90))).as("the agent ran its tool and asked again")
			.isTrue();

		// The daemon starts (a boot) before LXD answers: recovery cannot reach the
		// sandbox.
		LxdDaemon.kill();
		session.detach();
		DeadDaemon.leftBehind(this.jdbc, id);
		this.recovery.settleInterruptedJobs();

		JobView interrupted = this.queue.view(id);
		assertThat(interrupted.state()).isEqualTo(JobState.INTERRUPTED);
		assertThat(interrupted.reason()).contains("cleaning up the sandbox failed").contains("sandbox quarantined");
		assertThat(this.quarantines.find(name).orElseThrow().step()).isEqualTo(SandboxQuarantines.Step.RECOVERY);
		assertThat(this.queue.details(id).history()).extracting(JobHistoryEntry::event)
			.containsSubsequence("RECOVERY", "RECOVERY_FAILED", "QUARANTINED");

		LxdDaemon.start();
		assertThat(agent.sandbox().processesMatching("sleep 4327")).as("the agent's tree outlived both daemons")
			.isNotEmpty();
		this.clock.advance(Duration.ofSeconds(31));
		assertThat(this.worker.retryQuarantined()).singleElement()
			.satisfies((attempt) -> assertThat(attempt.get(2, TimeUnit.MINUTES)).isTrue());

		assertThat(this.quarantines.find(name)).isEmpty();
		assertThat(agent.sandbox().processesMatching("claude")).as("the retry ended the leftover agent").isEmpty();
		assertThat(agent.sandbox().processesMatching("sleep 4327")).as("and its tree").isEmpty();
		assertThat(this.queue.details(id).history()).extracting(JobHistoryEntry::event).contains("REPAIRED");
	}

	private JobView submit(String prompt, RestorePolicy policy) {
		return this.queue.submit(new SubmitJobRequest(prompt, null, policy, 900L));
	}

	/**
	 * Starts the submitted job with an agent that deletes precious.txt, leaves
	 * {@link #SLEEPER} and then waits on the API for ever; returns once it is waiting.
	 */
	private CompletableFuture<JobState> startDeletingThenThinking() {
		agent.sandbox().writeFile(TestSandbox.PROJECT + "/precious.txt", "keep me\n", "0644");
		agent.api().enqueue(Answer.bash("rm " + TestSandbox.PROJECT + "/precious.txt; " + SLEEPER));
		agent.api().whenEmpty(Answer.hang());
		CompletableFuture<JobState> outcome = startOne();
		assertThat(agent.api().awaitMainTurns(2, Duration.ofSeconds(90))).as("the agent ran its tool and asked again")
			.isTrue();
		return outcome;
	}

	private CompletableFuture<JobState> startOne() {
		List<CompletableFuture<JobState>> started = this.worker.pollOnce();
		assertThat(started).as("one job claimed").hasSize(1);
		return started.get(0);
	}

}
