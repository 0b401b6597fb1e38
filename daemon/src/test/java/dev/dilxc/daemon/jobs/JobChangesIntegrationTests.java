package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import dev.dilxc.api.JobChanges;
import dev.dilxc.api.JobHistoryEntry;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.OutputLine;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.FakeAnthropicApi.Answer;
import dev.dilxc.daemon.testing.FakeAnthropicApi.RecordedRequest;
import dev.dilxc.daemon.testing.Lxc;
import dev.dilxc.daemon.testing.ScriptedSandbox;
import dev.dilxc.daemon.testing.SteppableClock;
import dev.dilxc.daemon.testing.TestSandbox;

/**
 * Issue #4's job features on real LXD with the real Claude Code CLI (only the model
 * scripted): change capture before a restore, the budget flags on the CLI's argv, sync
 * before the agent, retry, resume after a restore, and one JobFinished per job.
 */
@SpringBootTest(classes = { DaemonApplication.class, JobChangesIntegrationTests.Config.class },
		webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = "spring.main.allow-bean-definition-overriding=true")
class JobChangesIntegrationTests {

	@TestConfiguration(proxyBeanMethods = false)
	static class Config {

		@Bean
		SteppableClock clock() {
			return new SteppableClock();
		}

		@Bean
		FinishedJobs finishedJobs() {
			return new FinishedJobs();
		}

	}

	/** Records every JobFinished; hands nothing off because it does nothing slow. */
	static class FinishedJobs {

		final Queue<JobFinished> events = new ConcurrentLinkedQueue<>();

		@EventListener
		void on(JobFinished event) {
			this.events.add(event);
		}

		List<JobFinished> of(long id) {
			return this.events.stream().filter((e) -> e.job().id() == id).toList();
		}

	}

	private static final String API_KEY = "sk-ant-test-CHANGES-9d1e3a5b7c";

	private static final String PROJECT = TestSandbox.PROJECT;

	@RegisterExtension
	static final ScriptedSandbox agent = new ScriptedSandbox("dilxc-changes", API_KEY);

	private static String baseCommit;

	@TempDir
	static Path data;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private JobQueue queue;

	@Autowired
	private JobWorker worker;

	@Autowired
	private JobRepository jobs;

	@Autowired
	private JobRecovery recovery;

	@Autowired
	private FinishedJobs finished;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("dilxc.jobs.default-sandbox", () -> agent.sandbox().name());
		registry.add("dilxc.sandboxes.kill-grace", () -> "2s");
		registry.add("dilxc.jobs.max-diff-bytes", () -> "4KB");
	}

	@BeforeAll
	static void initWorkingCopy() {
		// As init leaves it: the working copy is a git repository with one commit.
		asUser("printf 'one\\n' > a.txt && printf 'two\\n' > b.txt && git init -q && git add -A"
				+ " && git -c user.name=init -c user.email=init@example.com commit -q -m initial");
		baseCommit = asUser("git rev-parse HEAD").strip();
	}

	@Test
	void changesShowAnEditANewFileAndACommittedChangeAgainstTheStartingCommitWithSecretsMasked() throws Exception {
		agent.api()
			.scriptBashThenFinish("cd " + PROJECT + " && echo edited >> a.txt && echo brand-new > new.txt"
					+ " && echo committed >> b.txt && git -c user.name=agent -c user.email=agent@example.com commit -q -m agent b.txt"
					+ " && printenv ANTHROPIC_API_KEY > key.txt", "Done.");

		JobView job = runToEnd(
				this.queue.submit(new SubmitJobRequest("edit things", null, RestorePolicy.ALWAYS, 300L)));

		assertThat(job.state()).as(describe(job)).isEqualTo(JobState.SUCCEEDED);
		JobChanges changes = this.queue.changes(job.id()).orElseThrow();
		assertThat(changes.gitRepository()).isTrue();
		assertThat(changes.baseCommit()).isEqualTo(baseCommit);
		assertThat(changes.files()).containsExactlyInAnyOrder("a.txt", "b.txt", "new.txt", "key.txt");
		assertThat(changes.status()).contains(" M a.txt", "?? new.txt", "?? key.txt").doesNotContain("b.txt");
		assertThat(changes.diffStat()).contains("a.txt", "b.txt", "new.txt", "4 files changed");
		assertThat(changes.diff()).contains("+edited", "+brand-new", "+committed", "+[masked]").doesNotContain(API_KEY);
		assertThat(changes.diffTruncated()).isFalse();
		assertThat(job.filesChanged()).isEqualTo(4);
		// always: the sandbox went back, the user's index was never written, and the
		// changes are still there.
		assertThat(job.restoredTo()).isEqualTo("dilxc-job-" + job.id());
		assertThat(agent.sandbox().fileExists(PROJECT + "/new.txt")).isFalse();
		assertThat(asUser("git status --porcelain")).isEmpty();
		assertThat(this.finished.of(job.id())).hasSize(1)
			.allSatisfy((e) -> assertThat(e.job().restoredTo()).isEqualTo("dilxc-job-" + job.id()));
	}

	@Test
	void aDiffLargerThanTheCapIsCutAndMarkedTruncated() throws Exception {
		agent.api().scriptBashThenFinish("cd " + PROJECT + " && seq 100000 100999 > big.txt", "Done.");

		JobView job = runToEnd(this.queue.submit(new SubmitJobRequest("big file", null, RestorePolicy.ALWAYS, 300L)));

		assertThat(job.state()).as(describe(job)).isEqualTo(JobState.SUCCEEDED);
		JobChanges changes = this.queue.changes(job.id()).orElseThrow();
		assertThat(changes.diffTruncated()).isTrue();
		assertThat(changes.diff()).startsWith("diff --git a/big.txt b/big.txt").hasSize(4096);
		assertThat(changes.files()).containsExactly("big.txt");
		assertThat(changes.diffStat()).contains("big.txt", "1000 +");
		assertThat(history(job)).filteredOn((e) -> e.event().equals("CHANGES"))
			.extracting(JobHistoryEntry::detail)
			.containsExactly("1 file(s) changed; the diff was cut at dilxc.jobs.max-diff-bytes");
	}

	@Test
	void failedJobIsRestoredButItsChangesStillShowWhatTheAgentDid() throws Exception {
		agent.api().enqueue(Answer.bash("cd " + PROJECT + " && echo broken >> a.txt && rm b.txt"));
		agent.api().whenEmpty(Answer.httpError(500));

		JobView job = runToEnd(
				this.queue.submit(new SubmitJobRequest("break it", null, RestorePolicy.ON_FAILURE, 300L)));

		assertThat(job.state()).as(describe(job)).isEqualTo(JobState.FAILED);
		assertThat(agent.sandbox().readFile(PROJECT + "/a.txt")).isEqualTo("one\n");
		assertThat(agent.sandbox().fileExists(PROJECT + "/b.txt")).isTrue();
		assertThat(job.restoredTo()).isEqualTo("dilxc-job-" + job.id());
		JobChanges changes = this.queue.changes(job.id()).orElseThrow();
		assertThat(changes.files()).containsExactlyInAnyOrder("a.txt", "b.txt");
		assertThat(changes.diff()).contains("+broken", "deleted file mode", "-two");
		assertThat(changes.status()).contains(" M a.txt", " D b.txt");
		assertThat(history(job)).filteredOn((e) -> e.event().equals("CHANGES"))
			.extracting(JobHistoryEntry::detail)
			.containsExactly("2 file(s) changed");
		assertThat(this.finished.of(job.id())).hasSize(1);
	}

	@Test
	void changesWhereTheWorkingCopyIsNoGitRepositoryListTheFilesChangedAddedAndDeletedSinceTheStart() throws Exception {
		asUser("mv .git /home/ubuntu/git-aside");
		try {
			agent.api()
				.scriptBashThenFinish(
						"cd " + PROJECT + " && echo more >> a.txt && mkdir -p sub && echo new > sub/c.txt && rm b.txt",
						"Done.");

			JobView job = runToEnd(
					this.queue.submit(new SubmitJobRequest("edit without git", null, RestorePolicy.ALWAYS, 300L)));

			assertThat(job.state()).as(describe(job)).isEqualTo(JobState.SUCCEEDED);
			JobChanges changes = this.queue.changes(job.id()).orElseThrow();
			assertThat(changes.gitRepository()).isFalse();
			assertThat(changes.baseCommit()).isNull();
			assertThat(changes.diff()).isNull();
			assertThat(changes.files()).containsExactly("a.txt", "b.txt", "sub/c.txt");
			assertThat(job.filesChanged()).isEqualTo(3);
		}
		finally {
			asUser("mv /home/ubuntu/git-aside .git");
		}
	}

	@Test
	void maxTurnsAndMaxBudgetArriveOnTheClisArgvAndARetryRunsTheSameJobAgain() throws Exception {
		// The CLI's own process: the wrappers around it carry the options too, and their
		// scripts.
		String ps = "ps -C claude -o args=";
		agent.api().enqueue(Answer.bash(ps)).whenEmpty(Answer.text("Looked."));

		JobView job = runToEnd(this.queue.submit(new SubmitJobRequest("show your argv", null, RestorePolicy.NEVER, 300L,
				7, new BigDecimal("3.50"), null)));

		assertThat(job.state()).as(describe(job)).isEqualTo(JobState.SUCCEEDED);
		assertThat(job.maxTurns()).isEqualTo(7);
		assertThat(output(job)).contains("--max-turns 7 --max-budget-usd 3.5 -- show your argv");

		agent.api().enqueue(Answer.bash(ps));
		JobView retry = runToEnd(this.queue.retry(job.id()));

		assertThat(retry.state()).as(describe(retry)).isEqualTo(JobState.SUCCEEDED);
		assertThat(retry.trigger()).isEqualTo("retry");
		assertThat(retry.parentJobId()).isEqualTo(job.id());
		assertThat(retry.prompt()).isEqualTo(job.prompt());
		assertThat(output(retry)).contains("--max-turns 7 --max-budget-usd 3.5 -- show your argv");
		assertThat(agent.api().receivedPrompts()).containsOnly("show your argv");
	}

	@Test
	void maxTurnsStopsTheAgentAfterThatManyTurns() throws Exception {
		agent.api().scriptBashThenFinish("true", "Finished anyway.");

		JobView job = runToEnd(
				this.queue.submit(new SubmitJobRequest("loop", null, RestorePolicy.NEVER, 300L, 1, null, null)));

		assertThat(job.state()).as(describe(job)).isEqualTo(JobState.FAILED);
		assertThat(job.resultSubtype()).isEqualTo("error_max_turns");
	}

	@Test
	void syncJobSeesAFileAddedToTheHostProjectAndAFailedSyncFailsTheJobWithTheReason() throws Exception {
		agent.api().scriptBashThenFinish("cat " + PROJECT + "/added-on-host.txt", "Read it.");
		JobView noMount = runToEnd(
				this.queue.submit(new SubmitJobRequest("read it", null, RestorePolicy.ALWAYS, 300L, null, null, true)));
		assertThat(noMount.state()).as(describe(noMount)).isEqualTo(JobState.FAILED);
		assertThat(noMount.reason())
			.startsWith("syncing the project into the working copy failed: sandbox '" + agent.sandbox().name()
					+ "' has no project source at /home/ubuntu/project-src")
			.contains("the agent was not started");
		assertThat(agent.api().mainTurns()).isEmpty();

		Path project = Files.createTempDirectory("jobs4-project-");
		try {
			Files.writeString(project.resolve("a.txt"), "one\n");
			Files.writeString(project.resolve("b.txt"), "two\n");
			Files.writeString(project.resolve("added-on-host.txt"), "written on the host\n");
			Files.setPosixFilePermissions(project, PosixFilePermissions.fromString("rwxr-xr-x"));
			for (Path file : List.of(project.resolve("a.txt"), project.resolve("b.txt"),
					project.resolve("added-on-host.txt"))) {
				Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
			}
			Lxc.run("config", "device", "add", agent.sandbox().name(), "project", "disk", "source=" + project,
					"path=/home/ubuntu/project-src", "readonly=true")
				.orFail("add project device");

			JobView job = runToEnd(this.queue
				.submit(new SubmitJobRequest("read it", null, RestorePolicy.ALWAYS, 300L, null, null, true)));

			assertThat(job.state()).as(describe(job)).isEqualTo(JobState.SUCCEEDED);
			assertThat(job.sync()).isTrue();
			assertThat(output(job)).contains("written on the host");
			assertThat(history(job)).filteredOn((e) -> e.event().equals("SYNC"))
				.extracting(JobHistoryEntry::detail)
				.singleElement()
				.asString()
				.startsWith("Project synced (");
			// The sync happened after the pre-job snapshot: the restore took it back.
			assertThat(agent.sandbox().fileExists(PROJECT + "/added-on-host.txt")).isFalse();
		}
		finally {
			Lxc.run("config", "device", "remove", agent.sandbox().name(), "project");
			FileSystemUtils.deleteRecursively(project);
		}
	}

	@Test
	void resumeAfterARestoredJobContinuesTheSameSessionWithTheEarlierConversation() throws Exception {
		agent.api().whenEmpty(Answer.text("I will remember PINEAPPLE."));
		JobView first = runToEnd(this.queue
			.submit(new SubmitJobRequest("remember the word PINEAPPLE", null, RestorePolicy.ALWAYS, 300L)));
		assertThat(first.state()).as(describe(first)).isEqualTo(JobState.SUCCEEDED);
		assertThat(first.sessionId()).isNotBlank();
		// The restore took the session's transcript with it.
		assertThat(
				asUser("find /home/ubuntu/.claude/projects -name '" + first.sessionId() + ".jsonl' 2>/dev/null; true"))
			.isBlank();

		agent.api().reset();
		agent.api().whenEmpty(Answer.text("You said PINEAPPLE."));
		JobView resumed = runToEnd(this.queue.resume(first.id(), "which word did I ask you to remember?"));

		assertThat(resumed.state()).as(describe(resumed)).isEqualTo(JobState.SUCCEEDED);
		assertThat(resumed.trigger()).isEqualTo("resume");
		assertThat(resumed.parentJobId()).isEqualTo(first.id());
		assertThat(resumed.sessionId()).isEqualTo(first.sessionId());
		assertThat(history(resumed)).anySatisfy(
				(e) -> assertThat(e.detail()).startsWith("put back the transcript of session " + first.sessionId()));
		RecordedRequest turn = agent.api().mainTurns().get(agent.api().mainTurns().size() - 1);
		String conversation = turn.messages().toString();
		assertThat(conversation).contains("remember the word PINEAPPLE", "I will remember PINEAPPLE.",
				"which word did I ask you to remember?");
	}

	@Test
	void jobFinishedIsPublishedOnceForACancelledQueuedJobAndForAJobRecoveredAfterACrash() {
		JobView queued = this.queue.submit(new SubmitJobRequest("never runs", null, null, null));
		this.queue.cancel(queued.id());
		assertThat(this.finished.of(queued.id())).singleElement()
			.satisfies((e) -> assertThat(e.job().state()).isEqualTo(JobState.CANCELLED));

		// A job a dead daemon left RUNNING in a sandbox that is gone: recovery settles it
		// and says so once.
		long id = this.jobs.insert("dilxc-gone-sandbox", "was running", RestorePolicy.NEVER, 60, Instant.now());
		this.jobs.claim(this.jobs.find(id).orElseThrow(), Instant.now());
		this.jobs.transition(id, JobState.SNAPSHOTTING, JobState.RUNNING, Instant.now(), "agent starting");
		DeadDaemon.leftBehind(this.jdbc, id);
		this.recovery.settleInterruptedJobs();
		assertThat(this.finished.of(id)).singleElement()
			.satisfies((e) -> assertThat(e.job().state()).isEqualTo(JobState.INTERRUPTED));
	}

	private static String asUser(String script) {
		return Lxc
			.run("exec", agent.sandbox().name(), "--user", "1000", "--group", "1000", "--cwd", PROJECT, "--env",
					"HOME=/home/ubuntu", "--", "sh", "-c", script)
			.orFail(script)
			.stdout();
	}

	private JobView runToEnd(JobView submitted) throws Exception {
		List<CompletableFuture<JobState>> started = this.worker.pollOnce();
		assertThat(started).as("one job claimed").hasSize(1);
		started.get(0).get(5, TimeUnit.MINUTES);
		return this.queue.view(submitted.id());
	}

	private List<JobHistoryEntry> history(JobView job) {
		return this.queue.details(job.id()).history();
	}

	private String output(JobView job) {
		return String.join("\n", this.queue.output(job.id(), 0, 5000).lines().stream().map(OutputLine::text).toList());
	}

	private String describe(JobView job) {
		return "job " + job.id() + " " + job.state() + ": " + job.reason() + "\n" + history(job) + "\n" + output(job);
	}

}
