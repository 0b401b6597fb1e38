package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dilxc.api.JobChanges;
import dev.dilxc.api.JobHistoryEntry;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.OutputLine;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.sandboxes.AgentSandbox;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.Lxc;
import dev.dilxc.daemon.testing.ScriptedSandbox;
import dev.dilxc.daemon.testing.TestSandbox;

/**
 * The daemon's change capture runs git in the agent's repository after the job: whatever
 * the agent put in {@code .git/config}, {@code .gitattributes} or {@code .git/hooks} must
 * not start a program there. Real LXD, the real Claude Code CLI whose scripted Bash tool
 * sets the traps as an agent would, and the sandbox's real git. Every trap records who
 * ran it (its ancestry), leaves a {@code sleep 1000} behind (setsid, nohup) and, as a
 * filter or textconv, upper-cases what passes through, so that a diff that went through
 * one would show.
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class JobChangeCaptureInertIntegrationTests {

	private static final String API_KEY = "sk-ant-test-INERT-4f2a9c1e7b";

	private static final String PROJECT = TestSandbox.PROJECT;

	private static final String TRAPS = "/home/ubuntu/traps";

	/** One script behind every trap; what it does depends on the name it was run by. */
	private static final String TRAP_SCRIPT = """
			#!/bin/sh
			name=$(basename "$0")
			mkdir -p %1$s/ran
			{ p=$$; while [ "$p" -gt 1 ]; do tr '\\000' ' ' < /proc/$p/cmdline; echo; \
			p=$(awk '/^PPid:/ {print $2}' /proc/$p/status); done; } > %1$s/ran/$name.$$ 2>/dev/null
			setsid nohup sleep 1000 </dev/null >/dev/null 2>&1 &
			case "$name" in
			  clean|smudge) exec tr a-z A-Z ;;
			  textconv) exec tr a-z A-Z < "$1" ;;
			esac
			exit 0
			""".formatted(TRAPS);

	/**
	 * What the scripted agent runs with its Bash tool: the traps, an edit, and the config
	 * last.
	 */
	private static final String SET_TRAPS = String.join("\n", "set -e", "mkdir -p " + TRAPS,
			"cat > " + TRAPS + "/trap <<'TRAP'", TRAP_SCRIPT.stripTrailing(), "TRAP", "chmod +x " + TRAPS + "/trap",
			"for n in fsmonitor clean smudge process external textconv pager lazy hook; do ln -sf trap " + TRAPS
					+ "/$n; done",
			"cd " + PROJECT,
			"for h in post-index-change reference-transaction pre-commit post-commit post-checkout; do" + " ln -sf "
					+ TRAPS + "/hook .git/hooks/$h; done",
			"printf '*.txt filter=evil diff=tc\\n*.dat filter=proc\\n' > .gitattributes", "echo edited >> a.txt",
			"echo data > new.dat", "git config core.fsmonitor " + TRAPS + "/fsmonitor",
			"git config filter.evil.clean " + TRAPS + "/clean", "git config filter.evil.smudge " + TRAPS + "/smudge",
			"git config filter.evil.required true", "git config filter.proc.process " + TRAPS + "/process",
			"git config diff.external " + TRAPS + "/external", "git config diff.tc.textconv " + TRAPS + "/textconv",
			"git config core.pager " + TRAPS + "/pager", "git config submodule.recurse true",
			// A promisor remote: a missing object would be fetched by running this
			// "transport".
			"git config core.repositoryformatversion 1", "git config extensions.partialClone origin",
			"git config remote.origin.url 'ext::" + TRAPS + "/lazy'", "git config remote.origin.promisor true",
			"git config protocol.ext.allow always", "echo traps set");

	@RegisterExtension
	static final ScriptedSandbox agent = new ScriptedSandbox("dilxc-inert", API_KEY);

	@TempDir
	static Path data;

	@Autowired
	private JobQueue queue;

	@Autowired
	private JobWorker worker;

	@Autowired
	private AgentSandbox sandboxes;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("dilxc.jobs.default-sandbox", () -> agent.sandbox().name());
		registry.add("dilxc.sandboxes.kill-grace", () -> "2s");
	}

	@BeforeAll
	static void initWorkingCopy() {
		asUser("printf 'one\\n' > a.txt && printf 'two\\n' > b.txt && git init -q && git add -A"
				+ " && git -c user.name=init -c user.email=init@example.com commit -q -m initial");
	}

	@Test
	void theAgentsGitConfigFiltersHooksAndLazyFetchStartNothingInTheCaptureAndTheDiffIsTheRawChange() throws Exception {
		// Job 1: the agent sets the traps; nothing restores them away, so the next job
		// starts among them.
		agent.api().scriptBashThenFinish(SET_TRAPS, "Done.");
		JobView first = runToEnd(this.queue.submit(new SubmitJobRequest("set traps", null, RestorePolicy.NEVER, 300L)));

		assertThat(first.state()).as(describe(first)).isEqualTo(JobState.SUCCEEDED);
		assertThat(output(first)).contains("traps set");
		assertNothingOfTheDaemonsRanAndNothingIsLeft(first);
		JobChanges changes = this.queue.changes(first.id()).orElseThrow();
		assertThat(changes.files()).containsExactlyInAnyOrder("a.txt", ".gitattributes", "new.dat");
		// Lower case: neither the clean filter nor the textconv touched the captured
		// diff.
		assertThat(changes.diff()).contains("+edited", "+data").doesNotContain("EDITED", "DATA");
		assertThat(changes.status()).contains(" M a.txt", "?? new.dat");

		// Job 2: the base is recorded, and the changes captured, with every trap in
		// place.
		agent.api().scriptBashThenFinish("cd " + PROJECT + " && echo again >> b.txt", "Done.");
		JobView second = runToEnd(
				this.queue.submit(new SubmitJobRequest("edit among traps", null, RestorePolicy.NEVER, 300L)));

		assertThat(second.state()).as(describe(second)).isEqualTo(JobState.SUCCEEDED);
		assertNothingOfTheDaemonsRanAndNothingIsLeft(second);
		JobChanges again = this.queue.changes(second.id()).orElseThrow();
		assertThat(again.files()).containsExactly("b.txt");
		assertThat(again.diff()).contains("+again").doesNotContain("AGAIN");

		// Job 3: the agent removes an object git status needs, so that git would fetch it
		// lazily through the
		// ext:: "transport" of the promisor remote.
		agent.api()
			.scriptBashThenFinish(
					"cd " + PROJECT + " && t=$(git rev-parse HEAD^{tree})"
							+ " && rm -f .git/objects/$(echo $t | cut -c1-2)/$(echo $t | cut -c3-) && echo removed",
					"Done.");
		JobView third = runToEnd(
				this.queue.submit(new SubmitJobRequest("break the store", null, RestorePolicy.NEVER, 300L)));

		assertThat(output(third)).as(describe(third)).contains("removed");
		assertNothingOfTheDaemonsRanAndNothingIsLeft(third);

		// The control: the same calls with plain git set the traps off, so they were
		// armed all along.
		asUser("git status >/dev/null 2>&1; git diff >/dev/null 2>&1; true");
		String ran = Lxc.exec(agent.sandbox().name(), "ls", TRAPS + "/ran");
		assertThat(ran).contains("fsmonitor.", "external.", "lazy.");
		assertThat(ran).containsAnyOf("clean.", "process.");
	}

	@Test
	void whatADaemonCommandForAJobLeavesRunningIsEndedAfterItAndItSeesNoneOfTheAgentsEnvironment() {
		InstanceName sandbox = new InstanceName(agent.sandbox().name());
		// Detached and with an emptied environment: only the job's scope still holds it.
		AgentSandbox.Contained run = this.sandboxes.runForJob(sandbox, 987_654, Duration.ofSeconds(30), List.of("sh",
				"-c", "env -i setsid nohup sleep 1001 </dev/null >/dev/null 2>&1 & env; echo own-error >&2"));

		assertThat(run.result().exitCode()).isZero();
		assertThat(run.result().stdout())
			.contains("DILXC_JOB_ID=987654", "HOME=/home/ubuntu", "PATH=" + AgentSandbox.CLEAN_PATH)
			.doesNotContain(API_KEY, "ANTHROPIC", ".local/bin");
		assertThat(run.result().stderr()).isEqualTo("own-error\n");
		assertThat(run.leftovers()).hasSize(1);
		assertThat(run.sweepError()).isNull();
		assertThat(agent.sandbox().processesMatching("sleep 1001")).isEmpty();

		AgentSandbox.Contained clean = this.sandboxes.runForJob(sandbox, 987_654, Duration.ofSeconds(30),
				List.of("sh", "-c", "echo out; echo err >&2; exit 3"));
		assertThat(clean.result()).isEqualTo(new dev.dilxc.daemon.lxd.ExecResult(3, "out\n", "err\n"));
		assertThat(clean.leftovers()).isEmpty();
	}

	/**
	 * No trap ran with the daemon's capture scripts among its ancestors, no
	 * {@code sleep 1000} runs in the sandbox, and the capture's sweep found nothing to
	 * end. Traps the agent's own CLI may have set off (its git status at start) ran in
	 * the job's scope and ended with it.
	 */
	private void assertNothingOfTheDaemonsRanAndNothingIsLeft(JobView job) {
		String ran = Lxc.exec(agent.sandbox().name(), "sh", "-c",
				"for f in " + TRAPS + "/ran/*; do [ -e \"$f\" ] && { echo \"== $f\"; cat \"$f\"; }; done; true");
		assertThat(ran).as(ran).doesNotContain("dilxc-base", "dilxc-changes", "dilxc-transcript");
		assertThat(agent.sandbox().processesMatching("sleep 1000")).as(ran).isEmpty();
		assertThat(history(job)).as(describe(job))
			.noneSatisfy((e) -> assertThat(e.detail()).contains("change capture"));
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
