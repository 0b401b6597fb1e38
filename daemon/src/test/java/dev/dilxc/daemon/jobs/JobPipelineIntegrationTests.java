package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dilxc.api.JobDetails;
import dev.dilxc.api.JobHistoryEntry;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.OutputLine;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.lxd.ExecSession;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.sandboxes.AgentSandbox;
import dev.dilxc.daemon.testing.Await;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.FakeAnthropicApi.Answer;
import dev.dilxc.daemon.testing.Lxc;
import dev.dilxc.daemon.testing.ScriptedSandbox;
import dev.dilxc.daemon.testing.SteppableClock;
import dev.dilxc.daemon.testing.SteppableMonotonicClock;
import dev.dilxc.daemon.testing.TestBackend;
import dev.dilxc.daemon.testing.TestSandbox;

/**
 * The whole pipeline on real LXD: daemon services, a real container, btrfs snapshots, the
 * real Claude Code CLI inside it; only the model's answers are scripted. The worker is
 * stepped by hand.
 */
@SpringBootTest(classes = { DaemonApplication.class, JobPipelineIntegrationTests.Clocks.class },
		webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = "spring.main.allow-bean-definition-overriding=true")
class JobPipelineIntegrationTests {

	/**
	 * The daemon reads time from these clocks: the wall clock for what it stores, the
	 * monotonic one for deadlines. Tests jump to deadlines on the monotonic one instead
	 * of waiting for them, and move the wall clock to show that a jump of it decides
	 * nothing.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class Clocks {

		@Bean
		SteppableClock clock() {
			return new SteppableClock();
		}

		@Bean
		SteppableMonotonicClock monotonicClock() {
			return new SteppableMonotonicClock();
		}

	}

	private static final String API_KEY = "sk-ant-test-SECRET-4f9c2b7e1d";

	@RegisterExtension
	static final ScriptedSandbox agent = new ScriptedSandbox("dilxc-it", API_KEY);

	@TempDir
	static Path data;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private JobQueue queue;

	@Autowired
	private JobWorker worker;

	@Autowired
	private SteppableClock clock;

	@Autowired
	private SteppableMonotonicClock monotonic;

	@Autowired
	private JobRepository jobs;

	@Autowired
	private JobRecovery recovery;

	@Autowired
	private AgentSandbox agents;

	private static final java.time.format.DateTimeFormatter STALE = java.time.format.DateTimeFormatter
		.ofPattern("yyyyMMdd'T'HHmmss")
		.withZone(java.time.ZoneOffset.UTC);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("dilxc.jobs.default-sandbox", () -> agent.sandbox().name());
		registry.add("dilxc.snapshots.keep-per-sandbox", () -> "3");
		registry.add("dilxc.sandboxes.kill-grace", () -> "2s");
	}

	@Test
	void submitWhenAgentRunsBashToolCallSucceedsAndStoresEverything() throws Exception {
		agent.api()
			.scriptBashThenFinish("echo made-by-agent > " + TestSandbox.PROJECT + "/created.txt", "Created the file.");

		JobView job = runToEnd(submit("create the file", RestorePolicy.ON_FAILURE, 300));

		assertThat(job.state()).as(describe(job)).isEqualTo(JobState.SUCCEEDED);
		assertThat(agent.sandbox().readFile(TestSandbox.PROJECT + "/created.txt")).isEqualTo("made-by-agent\n");
		assertThat(agent.sandbox().snapshots()).contains("dilxc-job-" + job.id());
		assertThat(job.snapshot()).isEqualTo("dilxc-job-" + job.id());
		assertThat(job.sessionId()).isNotBlank();
		assertThat(job.costUsd()).isPositive();
		assertThat(job.numTurns()).isGreaterThanOrEqualTo(2);
		assertThat(job.resultSubtype()).isEqualTo("success");
		assertThat(job.resultIsError()).isFalse();
		assertThat(job.resultText()).isEqualTo("Created the file.");
		assertThat(job.exitCode()).isZero();
		assertThat(job.startedAt()).isAfterOrEqualTo(job.submittedAt());
		assertThat(job.finishedAt()).isAfterOrEqualTo(job.startedAt());

		List<OutputLine> output = this.queue.output(job.id(), 0, 5000).lines();
		assertThat(output).extracting(OutputLine::seq).startsWith(1L, 2L, 3L);
		assertThat(output).anySatisfy((line) -> assertThat(line.text()).contains("\"subtype\":\"init\""));
		assertThat(output).anySatisfy((line) -> assertThat(line.text()).contains("made-by-agent > "));
		assertThat(output.get(output.size() - 1).text()).contains("\"type\":\"result\"");
		assertThat(job.outputLines()).isEqualTo(output.size());

		JobDetails details = this.queue.details(job.id());
		assertThat(details.history()).extracting(JobHistoryEntry::state)
			.containsSubsequence(JobState.QUEUED, JobState.SNAPSHOTTING, JobState.RUNNING, JobState.SUCCEEDED);
		assertThat(details.history()).anySatisfy((entry) -> {
			assertThat(entry.event()).isEqualTo("SNAPSHOT");
			assertThat(entry.detail()).contains("dilxc-job-" + job.id());
		});
		// on-failure: a successful job keeps what the agent did and is not restored.
		assertThat(details.history()).noneMatch((entry) -> entry.event().equals("RESTORE"));
	}

	@Test
	void submitWhenApiAnswers500AfterADeletionFailsRestoresTheFileAndKeepsTheDeletionAsFailedSnapshot()
			throws Exception {
		agent.sandbox().writeFile(TestSandbox.PROJECT + "/precious.txt", "keep me\n", "0644");
		agent.api().enqueue(Answer.bash("rm " + TestSandbox.PROJECT + "/precious.txt"));
		agent.api().whenEmpty(Answer.httpError(500));

		JobView job = runToEnd(submit("clean up", RestorePolicy.ON_FAILURE, 300));

		assertThat(job.state()).as(describe(job)).isEqualTo(JobState.FAILED);
		assertThat(job.reason()).contains("sandbox restored to dilxc-job-" + job.id());
		assertThat(job.resultIsError()).isTrue();
		assertThat(agent.api().mainTurns()).hasSizeGreaterThanOrEqualTo(2); // the
																			// deletion
																			// really
																			// happened
																			// first
		assertThat(agent.sandbox().readFile(TestSandbox.PROJECT + "/precious.txt")).isEqualTo("keep me\n");
		String failed = "dilxc-job-" + job.id() + "-failed";
		assertThat(agent.sandbox().snapshots()).contains("dilxc-job-" + job.id(), failed);
		assertThat(this.queue.details(job.id()).history()).filteredOn((e) -> e.event().equals("RESTORE"))
			.extracting(JobHistoryEntry::detail)
			.containsExactly("kept the state the agent left as snapshot " + failed,
					"restored sandbox '" + agent.sandbox().name() + "' to snapshot dilxc-job-" + job.id());

		// The failed snapshot holds the agent's deletion: restore it, look, and go back.
		Lxc.restore(agent.sandbox().name(), failed).orFail("restore " + failed);
		assertThat(agent.sandbox().fileExists(TestSandbox.PROJECT + "/precious.txt")).isFalse();
		Lxc.restore(agent.sandbox().name(), "dilxc-job-" + job.id()).orFail("restore back");
		assertThat(agent.sandbox().fileExists(TestSandbox.PROJECT + "/precious.txt")).isTrue();
	}

	@Test
	void submitWhenApiIsOverloaded529FailsWithTheAgentsErrorAndRestores() throws Exception {
		agent.api().whenEmpty(Answer.httpError(529));

		JobView job = runToEnd(submit("anything", RestorePolicy.ON_FAILURE, 300));

		assertThat(job.state()).as(describe(job)).isEqualTo(JobState.FAILED);
		assertThat(job.reason()).startsWith("the agent reported an error");
		assertThat(job.exitCode()).isNotZero();
		assertThat(agent.sandbox().snapshots()).contains("dilxc-job-" + job.id() + "-failed");
	}

	@Test
	void submitWhenAgentHangsPastTimeoutEndsTimedOutWithNoAgentProcessLeft() throws Exception {
		agent.api().whenEmpty(Answer.hang());
		JobView submitted = submit("hang please", RestorePolicy.NEVER, 7200);
		CompletableFuture<JobState> outcome = startOne();
		assertThat(agent.api().awaitMainTurns(1, Duration.ofSeconds(60))).as("the agent reached the API").isTrue();
		assertThat(outcome).isNotDone();

		this.monotonic.advance(Duration.ofHours(2));

		assertThat(outcome.get(2, TimeUnit.MINUTES)).isEqualTo(JobState.TIMED_OUT);
		JobView job = this.queue.view(submitted.id());
		assertThat(job.reason()).contains("timeout of 2h");
		assertThat(agent.sandbox().processesMatching("claude")).isEmpty();
		assertThat(this.queue.details(job.id()).history())
			.anySatisfy((entry) -> assertThat(entry.event()).isEqualTo("PROCESSES_KILLED"));
	}

	@Test
	void submitWhenApiStreamStallsMidAnswerEndsTimedOutOnSilenceLongBeforeTheJobTimeout() throws Exception {
		agent.api().whenEmpty(Answer.hangMidStream("I am thinking"));
		JobView submitted = submit("stall", RestorePolicy.NEVER, 7200);
		CompletableFuture<JobState> outcome = startOne();
		assertThat(agent.api().awaitMainTurns(1, Duration.ofSeconds(60))).as("the agent reached the API").isTrue();

		this.monotonic.advance(Duration.ofMinutes(31));

		assertThat(outcome.get(2, TimeUnit.MINUTES)).isEqualTo(JobState.TIMED_OUT);
		JobView job = this.queue.view(submitted.id());
		assertThat(job.reason()).contains("printed nothing for 30m");
		assertThat(agent.sandbox().processesMatching("claude")).isEmpty();
	}

	@Test
	void wallClockJumpingForwardThreeHoursMidJobNeitherTimesItOutNorEndsItForSilence() throws Exception {
		// The agent's tool call waits, silent, until the test lets it go: the job is
		// mid-run for as long as needed.
		String release = "/tmp/dilxc-release-" + System.nanoTime();
		agent.api()
			.scriptBashThenFinish("while [ ! -e " + release + " ]; do sleep 0.2; done; echo released",
					"Waited it out.");
		JobView submitted = submit("wait for the release", RestorePolicy.NEVER, 3600);
		CompletableFuture<JobState> outcome = startOne();
		Await.until("the agent's tool call waiting", Duration.ofSeconds(90), Duration.ofMillis(200),
				() -> !agent.sandbox().processesMatching(release).isEmpty());

		// An NTP step or a laptop's clock set after resume: 3 h past the 1 h timeout and
		// the 30 m inactivity limit.
		long readingsBefore = this.monotonic.readings();
		this.clock.advance(Duration.ofHours(3));
		// Its loop reads the time twice a round: a few readings later it has decided on
		// the jumped clock.
		Await.until("the job looking at the time after the jump (or ending)", Duration.ofSeconds(30),
				Duration.ofMillis(200), () -> outcome.isDone() || this.monotonic.readings() > readingsBefore + 4);
		assertThat(outcome).as("the job still runs after the wall clock jumped").isNotDone();

		agent.sandbox().writeFile(release, "", "0644");

		assertThat(outcome.get(2, TimeUnit.MINUTES)).isEqualTo(JobState.SUCCEEDED);
		JobView job = this.queue.view(submitted.id());
		assertThat(job.resultText()).isEqualTo("Waited it out.");
		assertThat(job.exitCode()).isZero();
		assertThat(this.queue.output(job.id(), 0, 5000).lines())
			.anySatisfy((line) -> assertThat(line.text()).contains("released"));
		// What is stored and shown stays wall-clock time: the jump is in the job's times,
		// and decided nothing.
		assertThat(job.finishedAt()).isAfter(job.startedAt().plus(Duration.ofHours(3)));
	}

	@Test
	void processesAnEarlierDatabaseLeftUnderTheJobsIdAreEndedBeforeItsAgentStarts() throws Exception {
		// The bracket keeps pgrep from finding the shell that runs it.
		agent.api().scriptBashThenFinish("pgrep -f 'sleep 432[6]' || echo no-sleeper-when-the-agent-ran", "Looked.");
		JobView submitted = submit("look for a sleeper", RestorePolicy.NEVER, 300);
		// What a job with this id, from an earlier database, left running.
		Lxc.exec(agent.sandbox().name(), "sh", "-c",
				"env DILXC_JOB_ID=" + submitted.id() + " setsid nohup sleep 4326 </dev/null >/dev/null 2>&1 &");
		assertThat(agent.sandbox().processesMatching("sleep 4326")).as("the leftover runs").isNotEmpty();

		JobView job = runToEnd(submitted);

		assertThat(job.state()).as(describe(job)).isEqualTo(JobState.SUCCEEDED);
		assertThat(this.queue.output(job.id(), 0, 5000).lines())
			.anySatisfy((line) -> assertThat(line.text()).contains("\"tool_result\"", "no-sleeper-when-the-agent-ran"));
		assertThat(agent.sandbox().processesMatching("sleep 4326")).isEmpty();
	}

	@Test
	void submitWhenAgentLeavesADetachedProcessBehindEndsItWhenTheJobEnds() throws Exception {
		agent.api().scriptBashThenFinish("nohup setsid sleep 4321 > /dev/null 2>&1 &", "Started a background sleeper.");

		JobView job = runToEnd(submit("start something in the background", RestorePolicy.NEVER, 300));

		assertThat(job.state()).as(describe(job)).isEqualTo(JobState.SUCCEEDED);
		assertThat(agent.sandbox().processesMatching("sleep 4321")).isEmpty();
		assertThat(this.queue.details(job.id()).history())
			.anySatisfy((entry) -> assertThat(entry.detail()).contains("left running after it exited"));
	}

	@Test
	void submitWhenAgentLeavesAProcessThatClearedItsEnvironmentEndsItWhenTheJobEnds() throws Exception {
		agent.api()
			.scriptBashThenFinish(
					"cat /proc/self/cgroup; echo \"groups: $(id -un) $(id -Gn)\"; "
							+ "env -i setsid nohup sleep 4322 > /dev/null 2>&1 &",
					"Started a sleeper with no environment.");

		JobView job = runToEnd(submit("start something hidden in the background", RestorePolicy.NEVER, 300));

		assertThat(job.state()).as(describe(job)).isEqualTo(JobState.SUCCEEDED);
		assertThat(job.exitCode()).isZero();
		assertThat(job.resultText()).isEqualTo("Started a sleeper with no environment.");
		assertThat(agent.sandbox().processesMatching("sleep 4322")).isEmpty();
		assertThat(scopeState(job.id())).as("the job's scope is gone").isNotEqualTo("active");
		// The agent's tool really ran inside the job's scope, as ubuntu with its docker
		// group, and
		// stream-json came through as before.
		List<OutputLine> output = this.queue.output(job.id(), 0, 5000).lines();
		assertThat(output).anySatisfy((line) -> assertThat(line.text()).contains("/dilxc-job-" + job.id() + ".scope"));
		assertThat(output)
			.anySatisfy((line) -> assertThat(line.text()).containsPattern("groups: ubuntu ubuntu[^\"]* docker"));
		assertThat(output.get(output.size() - 1).text()).contains("\"type\":\"result\"");
		assertThat(this.queue.details(job.id()).history())
			.anySatisfy((entry) -> assertThat(entry.detail()).contains("left running after it exited"));
	}

	@Test
	void cancelWhileAProcessThatClearedItsEnvironmentRunsEndsCancelledWithNothingLeft() throws Exception {
		Answer bash = Answer.bash("env -i setsid nohup sleep 4323 > /dev/null 2>&1 &");
		agent.api().whenEmpty(Answer.dynamic((request) -> request.hasToolResult() ? Answer.hang() : bash));
		JobView submitted = submit("start a hidden sleeper, then hang", RestorePolicy.NEVER, 600);
		CompletableFuture<JobState> outcome = startOne();
		assertThat(agent.api().awaitMainTurns(2, Duration.ofSeconds(90))).as("the agent ran its tool and asked again")
			.isTrue();
		assertThat(agent.sandbox().processesMatching("sleep 4323")).as("the sleeper runs").isNotEmpty();

		this.queue.cancel(submitted.id());

		assertThat(outcome.get(2, TimeUnit.MINUTES)).isEqualTo(JobState.CANCELLED);
		JobView job = this.queue.view(submitted.id());
		assertThat(job.reason()).contains("cancelled on request");
		assertThat(agent.sandbox().processesMatching("sleep 4323")).isEmpty();
		assertThat(agent.sandbox().processesMatching("claude")).isEmpty();
		assertThat(scopeState(job.id())).as("the job's scope is gone").isNotEqualTo("active");
		assertThat(this.queue.details(job.id()).history()).extracting(JobHistoryEntry::state)
			.containsSubsequence(JobState.QUEUED, JobState.SNAPSHOTTING, JobState.RUNNING, JobState.CANCELLED);
		assertThat(this.queue.details(job.id()).history())
			.anySatisfy((entry) -> assertThat(entry.detail()).contains("agent process(es) in the sandbox"));
	}

	@Test
	void recoveryAfterTheDaemonDiedEndsTheAgentsScopeAlthoughItsLxcClientIsGone() throws Exception {
		Answer bash = Answer.bash("env -i setsid nohup sleep 4324 > /dev/null 2>&1 &");
		agent.api().whenEmpty(Answer.dynamic((request) -> request.hasToolResult() ? Answer.hang() : bash));
		long id = this.jobs.insert(agent.sandbox().name(), "run until the daemon dies", RestorePolicy.NEVER, 600,
				this.clock.instant());
		assertThat(this.jobs.claim(this.jobs.find(id).orElseThrow(), this.clock.instant())).isTrue();
		this.jobs.transition(id, JobState.SNAPSHOTTING, JobState.RUNNING, this.clock.instant(), "agent starting");
		ExecSession session = this.agents.startAgent(new InstanceName(agent.sandbox().name()), id,
				"run until the daemon dies", (line) -> {
				}, (line) -> {
				}, 1 << 20);
		try {
			assertThat(agent.api().awaitMainTurns(2, Duration.ofSeconds(90)))
				.as("the agent ran its tool and asked again")
				.isTrue();
			assertThat(agent.sandbox().processesMatching("sleep 4324")).as("the sleeper runs").isNotEmpty();

			// What a kill -9 of the daemon leaves: its lxc exec client dies without a
			// word to LXD.
			List<ProcessHandle> clients = ProcessHandle.current()
				.descendants()
				.filter((process) -> process.info().commandLine().orElse("").contains(" dilxc-prepare " + id + " "))
				.toList();
			assertThat(clients).as("the job's lxc exec client").hasSize(1);
			clients.get(0).destroyForcibly();
			clients.get(0).onExit().get(10, TimeUnit.SECONDS);
			assertThat(scopeState(id)).as("the scope outlives the client").isEqualTo("active");
			assertThat(agent.sandbox().processesMatching("sleep 4324")).as("the sleeper outlives the client")
				.isNotEmpty();
		}
		finally {
			DeadDaemon.leftBehind(this.jdbc, id);
			this.recovery.settleInterruptedJobs();
			session.detach();
		}

		JobView job = this.queue.view(id);
		assertThat(job.state()).isEqualTo(JobState.INTERRUPTED);
		assertThat(agent.sandbox().processesMatching("claude")).isEmpty();
		assertThat(agent.sandbox().processesMatching("sleep 4324")).isEmpty();
		assertThat(scopeState(id)).as("the job's scope is gone").isNotEqualTo("active");
		assertThat(this.queue.details(id).history())
			.anySatisfy((entry) -> assertThat(entry.detail()).startsWith("ended leftover agent process(es)"));
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void submitWhenSandboxRunsNoSystemdEndsLeftoversByTheirEnvironmentTagAndSaysSo(CapturedOutput log)
			throws Exception {
		try (TestSandbox bare = TestSandbox.launchWithoutSystemd("dilxc-nosd", agent.api(), API_KEY)) {
			agent.api()
				.scriptBashThenFinish("nohup setsid sleep 4325 > /dev/null 2>&1 &", "Started a background sleeper.");

			JobView job = runToEnd(this.queue
				.submit(new SubmitJobRequest("sleep in the background", bare.name(), RestorePolicy.NEVER, 300L)));

			assertThat(job.state()).as(describe(job)).isEqualTo(JobState.SUCCEEDED);
			assertThat(job.exitCode()).isZero();
			assertThat(bare.processesMatching("sleep 4325")).isEmpty();
			assertThat(this.queue.details(job.id()).history())
				.anySatisfy((entry) -> assertThat(entry.detail()).contains("left running after it exited"));
			assertThat(log.getOut()).contains("Sandbox " + bare.name() + " does not run systemd");
		}
	}

	@Test
	void cancelWhileAgentRunsEndsCancelledWithNoAgentProcessLeft() throws Exception {
		agent.api().whenEmpty(Answer.hang());
		JobView submitted = submit("hang until cancelled", RestorePolicy.ON_FAILURE, 600);
		CompletableFuture<JobState> outcome = startOne();
		assertThat(agent.api().awaitMainTurns(1, Duration.ofSeconds(60))).as("the agent reached the API").isTrue();
		assertThat(agent.sandbox().processesMatching("claude")).isNotEmpty();

		JobView cancelling = this.queue.cancel(submitted.id());
		assertThat(cancelling.cancelRequested()).isTrue();

		assertThat(outcome.get(2, TimeUnit.MINUTES)).isEqualTo(JobState.CANCELLED);
		JobView job = this.queue.view(submitted.id());
		assertThat(job.reason()).contains("cancelled on request");
		assertThat(agent.sandbox().processesMatching("claude")).isEmpty();
		assertThat(agent.sandbox().snapshots()).contains("dilxc-job-" + job.id() + "-failed");
	}

	@Test
	void submitWhenPromptHasShellSyntaxQuotesNewlinesUnicodeAndLeadingDashDeliversItByteForByte() throws Exception {
		String prompt = "--version -rf $(touch /tmp/pwned) `id` 'single' \"double\" ; echo hi && exit 1 | cat\n"
				+ "second line\twith tab — ünïcödé 🚀 \u202Eright-to-left\u202C \\ backslash $HOME %s\n";
		agent.api().whenEmpty(Answer.text("noted"));

		JobView job = runToEnd(submit(prompt, RestorePolicy.NEVER, 300));

		assertThat(job.state()).as(describe(job)).isEqualTo(JobState.SUCCEEDED);
		assertThat(agent.api().receivedPrompts()).isNotEmpty();
		assertThat(sha256(agent.api().receivedPrompts().get(0))).isEqualTo(sha256(prompt));
		assertThat(agent.sandbox().fileExists("/tmp/pwned")).isFalse();
		assertThat(job.prompt()).isEqualTo(prompt);
	}

	@Test
	void secretsFromAgentEnvReachTheApiButNeverTheStoredOutputOrLxdConfig() throws Exception {
		agent.api().scriptBashThenFinish("echo the key is $ANTHROPIC_API_KEY", "printed it: " + API_KEY);

		JobView job = runToEnd(submit("print the key", RestorePolicy.NEVER, 300));

		assertThat(job.state()).as(describe(job)).isEqualTo(JobState.SUCCEEDED);
		assertThat(agent.api().receivedApiKeys()).contains(API_KEY);
		List<OutputLine> output = this.queue.output(job.id(), 0, 5000).lines();
		assertThat(output).noneMatch((line) -> line.text().contains(API_KEY));
		assertThat(output).anyMatch((line) -> line.text().contains("the key is [masked]"));
		assertThat(job.resultText()).isEqualTo("printed it: [masked]");
		assertThat(Lxc.run("config", "show", agent.sandbox().name(), "--expanded").stdout()).doesNotContain(API_KEY);
	}

	@Test
	void twoJobsOnOneSandboxNeverOverlapAndRunInSubmissionOrder() throws Exception {
		agent.api().whenEmpty(Answer.delayed(Duration.ofSeconds(2), Answer.text("done")));
		JobView first = submit("first", RestorePolicy.NEVER, 300);
		JobView second = submit("second", RestorePolicy.NEVER, 300);

		List<CompletableFuture<JobState>> started = this.worker.pollOnce();
		assertThat(started).hasSize(1);
		assertThat(this.worker.pollOnce()).as("the sandbox is busy: nothing more may start").isEmpty();
		assertThat(this.queue.view(second.id()).state()).isEqualTo(JobState.QUEUED);
		assertThat(started.get(0).get(3, TimeUnit.MINUTES)).isEqualTo(JobState.SUCCEEDED);

		JobView secondDone = runClaimed();
		assertThat(secondDone.id()).isEqualTo(second.id());
		JobView firstDone = this.queue.view(first.id());
		assertThat(secondDone.state()).isEqualTo(JobState.SUCCEEDED);
		assertThat(secondDone.startedAt()).isAfterOrEqualTo(firstDone.finishedAt());
	}

	@Test
	void submitWhenSandboxIsMissingFailsAtOnceWithReasonAndNoSnapshot() throws Exception {
		JobView job = runToEnd(this.queue.submit(new SubmitJobRequest("hi", "no-such-sandbox", null, null)));

		assertThat(job.state()).isEqualTo(JobState.FAILED);
		assertThat(job.reason()).contains("sandbox 'no-such-sandbox' does not exist").contains("no snapshot was taken");
		assertThat(job.snapshot()).isNull();
		assertThat(job.startedAt()).isNull();
	}

	@Test
	void submitWhenSandboxIsStoppedFailsWithHowToStartItAndTakesNoSnapshot() throws Exception {
		try (TestSandbox stopped = TestSandbox.launch("dilxc-stopped", agent.api(), API_KEY)) {
			stopped.stop();
			JobView job = runToEnd(this.queue.submit(new SubmitJobRequest("hi", stopped.name(), null, null)));

			assertThat(job.state()).isEqualTo(JobState.FAILED);
			assertThat(job.reason()).contains("is stopped")
				.contains(TestBackend.current().client() + " start " + stopped.name());
			assertThat(stopped.snapshots()).isEmpty();
			assertThat(agent.api().mainTurns()).isEmpty();
		}
	}

	@Test
	void retentionKeepsTheNewestJobsSnapshotsAndNeverTouchesOthers() throws Exception {
		Lxc.snapshot(agent.sandbox().name(), "users-own").orFail("user snapshot");
		// Set aside by an earlier database: 31 days ago (past stale-max-age, 30d by
		// default) and yesterday.
		String old = "dilxc-job-900-failed-stale-" + STALE.format(this.clock.instant().minus(Duration.ofDays(31)));
		String recent = "dilxc-job-901-stale-" + STALE.format(this.clock.instant().minus(Duration.ofDays(1)));
		Lxc.snapshot(agent.sandbox().name(), old).orFail("old stale snapshot");
		Lxc.snapshot(agent.sandbox().name(), recent).orFail("recent stale snapshot");
		agent.api().whenEmpty(Answer.text("ok"));
		long last = 0;
		for (int i = 0; i < 4; i++) {
			last = runToEnd(submit("job " + i, RestorePolicy.NEVER, 300)).id();
		}
		// Retention's family: dilxc-job-N and its -failed/-after; "-stale-" ones go by
		// their age alone.
		List<String> ours = agent.sandbox()
			.snapshots()
			.stream()
			.filter((name) -> name.matches("dilxc-job-\\d+(-failed|-after)?"))
			.toList();
		assertThat(ours).contains("dilxc-job-" + last, "dilxc-job-" + (last - 1), "dilxc-job-" + (last - 2))
			.doesNotContain("dilxc-job-" + (last - 3));
		assertThat(ours.stream().map((name) -> name.replaceAll("-(failed|after)$", "")).distinct()).hasSize(3);
		assertThat(agent.sandbox().snapshots()).contains("users-own", recent).doesNotContain(old);
		Lxc.deleteSnapshot(agent.sandbox().name(), recent).orFail("clean up");
	}

	@Test
	void submitWhenSnapshotNamesAreTakenByAnEarlierDatabaseRenamesThemAsideAndRuns() throws Exception {
		agent.api().whenEmpty(Answer.httpError(500));
		JobView submitted = submit("after a database reset", RestorePolicy.ON_FAILURE, 300);
		String name = "dilxc-job-" + submitted.id();
		Lxc.snapshot(agent.sandbox().name(), name).orFail("leftover snapshot");
		Lxc.snapshot(agent.sandbox().name(), name + "-failed").orFail("leftover failed snapshot");

		JobView job = runToEnd(submitted);

		assertThat(job.state()).as(describe(job)).isEqualTo(JobState.FAILED);
		assertThat(job.reason()).contains("sandbox restored to " + name);
		assertThat(agent.sandbox().snapshots()).contains(name, name + "-failed")
			.anyMatch((snapshot) -> snapshot.startsWith(name + "-stale-"))
			.anyMatch((snapshot) -> snapshot.startsWith(name + "-failed-stale-"));
		assertThat(this.queue.details(job.id()).history())
			.filteredOn((entry) -> entry.detail().contains("earlier dilxc database"))
			.hasSize(2);
	}

	/**
	 * {@code systemctl is-active} of the job's scope in the test sandbox: "active" while
	 * it holds processes.
	 */
	private static String scopeState(long jobId) {
		return Lxc.run("exec", agent.sandbox().name(), "--", "systemctl", "is-active", "dilxc-job-" + jobId + ".scope")
			.stdout()
			.strip();
	}

	private JobView submit(String prompt, RestorePolicy policy, long timeoutSeconds) {
		return this.queue.submit(new SubmitJobRequest(prompt, null, policy, timeoutSeconds));
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

	private JobView runClaimed() throws Exception {
		List<JobView> before = this.queue.list(JobState.QUEUED, null, 10);
		long id = before.get(before.size() - 1).id();
		startOne().get(5, TimeUnit.MINUTES);
		return this.queue.view(id);
	}

	private String describe(JobView job) {
		return "job " + job.id() + " " + job.state() + ": " + job.reason() + "\n" + String.join("\n",
				this.queue.output(job.id(), 0, 200).lines().stream().map(OutputLine::text).toList());
	}

	private static String sha256(String text) throws Exception {
		return HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
	}

}
