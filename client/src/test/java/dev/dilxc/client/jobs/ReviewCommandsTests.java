package dev.dilxc.client.jobs;

import java.time.Instant;
import java.util.List;

import dev.dilxc.api.JobChanges;
import dev.dilxc.api.JobDetails;
import dev.dilxc.api.JobState;
import dev.dilxc.api.OutputPage;
import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.testing.ClientTestbed;
import dev.dilxc.client.testing.FakeDaemon.Response;
import dev.dilxc.client.testing.InProcessClient.Result;
import dev.dilxc.client.testing.Jobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code diff}, {@code retry} and {@code resume} against a fake daemon. */
class ReviewCommandsTests {

	private static final JsonMapper JSON = ClientCommands.jsonMapper();

	private static final String DIFF = """
			diff --git a/src/Clock.java b/src/Clock.java
			index 3b18e51..a9c0f4e 100644
			--- a/src/Clock.java
			+++ b/src/Clock.java
			@@ -1,3 +1,3 @@
			 class Clock {
			-	long now() { return System.currentTimeMillis(); }
			+	long now() { return fixed; }\r
			 }
			""";

	private static final String STAT = """
			 src/Clock.java | 2 +-
			 1 file changed, 1 insertion(+), 1 deletion(-)
			""";

	@RegisterExtension
	final ClientTestbed testbed = new ClientTestbed();

	private void changes(JobChanges changes) {
		this.testbed.routes().json("GET /api/jobs/12/changes", 200, changes);
	}

	private static JobChanges git(String diff, boolean truncated) {
		return new JobChanges(12, true, "3b18e51", " M src/Clock.java", STAT, diff, truncated,
				List.of("src/Clock.java"), Instant.parse("2026-11-27T01:25:00Z"));
	}

	@Test
	void diffIntoAPipeIsTheCapturedDiffByteForByteWithoutColour() {
		changes(git(DIFF, false));
		Result result = this.testbed.client().run("diff", "12");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo(DIFF);
		assertThat(result.err()).isEmpty();
		assertThat(this.testbed.daemon().onlyRequest().target()).isEqualTo("/api/jobs/12/changes");
	}

	@Test
	void diffOnATerminalIsSanitizedAndColouredLikeGit() {
		changes(git(DIFF + "+\u001b]0;pwned\u0007evil\n", false));
		Result result = this.testbed.client().terminal(true).run("diff", "12");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out().lines()).containsExactly(
				"\u001b[1mdiff --git a/src/Clock.java b/src/Clock.java\u001b[0m",
				"\u001b[1mindex 3b18e51..a9c0f4e 100644\u001b[0m", "\u001b[1m--- a/src/Clock.java\u001b[0m",
				"\u001b[1m+++ b/src/Clock.java\u001b[0m", "\u001b[36m@@ -1,3 +1,3 @@\u001b[0m", " class Clock {",
				"\u001b[31m-\tlong now() { return System.currentTimeMillis(); }\u001b[0m",
				"\u001b[32m+\tlong now() { return fixed; }\u001b[0m", " }", "\u001b[32m+evil\u001b[0m");
	}

	@Test
	void diffOnATerminalWithNoColorOrDumbTermIsSanitizedButPlain() {
		changes(git(DIFF, false));
		String expected = DIFF.replace("\r", "");
		assertThat(this.testbed.client().terminal(true).env("NO_COLOR", "1").run("diff", "12").out())
			.isEqualTo(expected);
		assertThat(this.testbed.client().terminal(true).env("NO_COLOR", "").env("TERM", "dumb").run("diff", "12").out())
			.isEqualTo(expected);
		// NO_COLOR set but empty does not count (no-color.org)
		assertThat(this.testbed.client().terminal(true).env("TERM", "xterm").run("diff", "12").out())
			.contains("\u001b[32m");
	}

	@Test
	void diffStatPrintsTheStatColouredOnlyOnATerminal() {
		changes(git(DIFF, false));
		assertThat(this.testbed.client().run("diff", "--stat", "12").out()).isEqualTo(STAT);
		assertThat(this.testbed.client().terminal(true).run("diff", "--stat", "12").out().lines()).containsExactly(
				" src/Clock.java | 2 \u001b[32m+\u001b[0m\u001b[31m-\u001b[0m",
				" 1 file changed, 1 insertion(+), 1 deletion(-)");
	}

	@Test
	void diffJsonIsEverythingCapturedEvenOnATerminalAndUncoloured() {
		changes(git(DIFF, true));
		Result result = this.testbed.client().terminal(true).run("diff", "--json", "12");
		assertThat(result.exitCode()).as(result.err()).isZero();
		tools.jackson.databind.JsonNode json = JSON.readTree(result.out());
		assertThat(json.get("jobId").asLong()).isEqualTo(12);
		assertThat(json.get("diff").asString()).isEqualTo(DIFF);
		assertThat(json.get("diffStat").asString()).isEqualTo(STAT);
		assertThat(json.get("diffTruncated").asBoolean()).isTrue();
		assertThat(json.get("files").get(0).asString()).isEqualTo("src/Clock.java");
		assertThat(result.out()).doesNotContain("\u001b", "");
		assertThat(result.err()).isEmpty();
	}

	@Test
	void diffWhenTruncatedSaysSoOnStderr() {
		changes(git(DIFF, true));
		Result result = this.testbed.client().run("diff", "12");
		assertThat(result.out()).isEqualTo(DIFF);
		assertThat(result.err()).contains("cut at the daemon's size cap", "dilxc-client diff --stat 12");
	}

	@Test
	void diffOfAWorkingCopyThatIsNotGitListsTheChangedFiles() {
		changes(new JobChanges(12, false, null, null, null, null, false, List.of("notes.txt", "out/report.pdf"),
				Instant.parse("2026-11-27T01:25:00Z")));
		Result result = this.testbed.client().run("diff", "12");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("notes.txt\nout/report.pdf\n");
		assertThat(result.err()).contains("not a git repository");
	}

	@Test
	void diffOfAJobThatChangedNothingSaysSoAndPrintsNothing() {
		changes(new JobChanges(12, true, "3b18e51", "", "", "", false, List.of(),
				Instant.parse("2026-11-27T01:25:00Z")));
		Result result = this.testbed.client().run("diff", "12");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEmpty();
		assertThat(result.err()).isEqualTo("job 12 changed nothing in the working copy\n");
	}

	@Test
	void diffWithoutCapturedChangesExitsWithNotFoundAndSaysWhy() {
		this.testbed.routes()
			.on("GET /api/jobs/12/changes", Response.problem(404, "not-found", "job 12 has no captured changes"));
		Result result = this.testbed.client().run("diff", "12");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
		assertThat(result.out()).isEmpty();
		assertThat(result.err())
			.startsWith("dilxc-client: job 12 has no captured changes: they are captured when its " + "agent stops");
	}

	@Test
	void diffAndLogsOfAPrunedJobSayRetentionPrunedThemAndWhen() {
		String pruned = "output, diff and transcript of job 12 were pruned by retention on 2026-11-20 "
				+ "(dilxc.retention.bulk-max-age: 14d); its summary is kept: 'dilxc-client job 12'";
		this.testbed.routes().on("GET /api/jobs/12/changes", Response.problem(410, "pruned", pruned));
		this.testbed.routes().on("GET /api/jobs/12/output", Response.problem(410, "pruned", pruned));

		Result diff = this.testbed.client().run("diff", "12");
		Result logs = this.testbed.client().run("logs", "12");

		assertThat(diff.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
		assertThat(diff.err()).isEqualTo("dilxc-client: " + pruned + "\n");
		assertThat(logs.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
		assertThat(logs.out()).isEmpty();
		assertThat(logs.err()).isEqualTo("dilxc-client: " + pruned + "\n");
	}

	@Test
	void diffOfAnUnknownJobExitsWithNotFound() {
		this.testbed.routes().on("GET /api/jobs/99/changes", Response.problem(404, "job-not-found", "no job 99"));
		Result result = this.testbed.client().run("diff", "99");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
		assertThat(result.err()).contains("no job 99");
	}

	@Test
	void retryPrintsTheNewJobIdAlone() {
		this.testbed.routes()
			.json("POST /api/jobs/12/retry", 201, Jobs.origin(Jobs.queued(15, "p"), "retry", null, null, 12L));
		Result result = this.testbed.client().run("retry", "12");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("15\n");
		assertThat(this.testbed.daemon().onlyRequest().body()).isEmpty();
	}

	@Test
	void retryWaitFollowsTheNewJobAndExitsWithItsOutcome() {
		this.testbed.routes()
			.json("POST /api/jobs/12/retry", 201, Jobs.origin(Jobs.queued(15, "p"), "retry", null, null, 12L))
			.json("GET /api/jobs/15/output", 200, new OutputPage(15, List.of(), 0, JobState.TIMED_OUT))
			.json("GET /api/jobs/15", 200,
					new JobDetails(Jobs.ended(15, JobState.TIMED_OUT, "timed out after 30m"), List.of()));
		Result result = this.testbed.client().run("retry", "--wait", "12");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.JOB_TIMED_OUT);
		assertThat(result.err()).startsWith("job 15 retries job 12 in sandbox 'dev'; following its output");
	}

	@Test
	void retryOfAnUnknownOrUnfinishedJobMapsTheProblem() {
		this.testbed.routes().on("POST /api/jobs/99/retry", Response.problem(404, "job-not-found", "no job 99"));
		assertThat(this.testbed.client().run("retry", "99").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
		this.testbed.routes()
			.on("POST /api/jobs/12/retry",
					Response.problem(409, "conflict", "job 12 is still RUNNING; retry it once it ends"));
		Result running = this.testbed.client().run("retry", "12");
		assertThat(running.exitCode()).isEqualTo(ExitCodes.CONFLICT);
		assertThat(running.err()).contains("still RUNNING");
	}

	@Test
	void resumeJoinsThePromptWordsAndPrintsTheNewJobId() {
		this.testbed.routes()
			.json("POST /api/jobs/12/resume", 201, Jobs.origin(Jobs.queued(16, "p"), "resume", null, null, 12L));
		Result result = this.testbed.client().run("resume", "12", "now", "fix", "the", "docs", "--", "-too");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("16\n");
		assertThat(JSON.readTree(this.testbed.daemon().onlyRequest().body()))
			.isEqualTo(JSON.readTree("{\"prompt\":\"now fix the docs -too\"}"));
	}

	@Test
	void resumeWithoutAPromptOrIdIsBadInput() {
		Result noPrompt = this.testbed.client().run("resume", "12");
		assertThat(noPrompt.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(noPrompt.err()).contains("missing prompt", "dilxc-client resume ID");
		Result badId = this.testbed.client().run("resume", "twelve", "go");
		assertThat(badId.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(badId.err()).contains("job id must be a positive number, got 'twelve'");
		assertThat(this.testbed.client().run("resume").err()).contains("missing job id and prompt");
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void resumeOfAJobWithoutASessionShowsTheDaemonsReason() {
		this.testbed.routes()
			.on("POST /api/jobs/12/resume",
					Response.problem(400, "invalid-request", "job 12 has no Claude session to resume"));
		Result result = this.testbed.client().run("resume", "12", "go on");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).contains("job 12 has no Claude session to resume");
	}

}
