package dev.dilxc.client.jobs;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import dev.dilxc.api.JobDetails;
import dev.dilxc.api.JobHistoryEntry;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.OutputLine;
import dev.dilxc.api.OutputPage;
import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.testing.ClientTestbed;
import dev.dilxc.client.testing.FakeDaemon;
import dev.dilxc.client.testing.FakeDaemon.Response;
import dev.dilxc.client.testing.InProcessClient;
import dev.dilxc.client.testing.InProcessClient.Result;
import dev.dilxc.client.testing.Jobs;
import dev.dilxc.client.testing.Sandboxes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jobs}, {@code job}, {@code logs} and {@code cancel} against a fake daemon. */
class JobCommandsTests {

	private static final JsonMapper JSON = ClientCommands.jsonMapper();

	@RegisterExtension
	final ClientTestbed testbed = new ClientTestbed();

	@Test
	void jobsPrintsATableNewestFirstWithRunningDurationsUpToNow() {
		// given
		List<JobView> jobs = List.of(
				Jobs.running(3, "Refactor the parser\nand more", InProcessClient.NOW.minusSeconds(75)),
				Jobs.succeeded(2, "Fix the flaky test in \u001b[31mJobServiceTests\u001b[0m please, it fails on CI"),
				Jobs.queued(1, "x"));
		this.testbed.routes().json("GET /api/jobs", 200, jobs);
		this.testbed.routes().json("GET /api/quarantine", 200, List.of());
		// when
		Result result = this.testbed.client().run("jobs");
		// then
		assertThat(result.exitCode()).isZero();
		assertThat(result.err()).isEmpty();
		assertThat(result.out().lines()).containsExactly(
				"ID  SANDBOX  STATE      TRIGGER  STARTED      DURATION     COST  TURNS  PROMPT",
				" 3  dev      RUNNING    manual   11-27 09:58     1m15s        -      -  Refactor the parser …",
				" 2  dev      SUCCEEDED  manual   11-27 09:00     4m12s  $0.0123      7  Fix the flaky test in JobServiceTests p…",
				" 1  dev      QUEUED     manual   -                   -        -      -  x");
		assertThat(this.testbed.daemon().requests()).extracting(FakeDaemon.Request::target)
			.containsExactly("/api/jobs", "/api/quarantine");
	}

	@Test
	void jobsShowWhichDaemonRanEachJobOnceSeveralDid() {
		List<JobView> jobs = List.of(Jobs.ranOn(Jobs.succeeded(3, "third"), "build-2:81d0e4"),
				Jobs.ranOn(Jobs.succeeded(2, "second"), "build-1:3f9a2c"), Jobs.queued(1, "first"));
		this.testbed.routes().json("GET /api/jobs", 200, jobs);
		this.testbed.routes().json("GET /api/quarantine", 200, List.of());

		Result result = this.testbed.client().run("jobs");

		assertThat(result.exitCode()).isZero();
		assertThat(result.out().lines()).containsExactly(
				"ID  SANDBOX  STATE      TRIGGER  DAEMON   STARTED      DURATION     COST  TURNS  PROMPT",
				" 3  dev      SUCCEEDED  manual   build-2  11-27 09:00     4m12s  $0.0123      7  third",
				" 2  dev      SUCCEEDED  manual   build-1  11-27 09:00     4m12s  $0.0123      7  second",
				" 1  dev      QUEUED     manual   -        -                   -        -      -  first");
	}

	@Test
	void jobsOfOneDaemonAloneHaveNoDaemonColumn() {
		List<JobView> jobs = List.of(Jobs.ranOn(Jobs.succeeded(2, "second"), "laptop:3f9a2c"),
				Jobs.ranOn(Jobs.succeeded(1, "first"), "laptop:0b1c2d"));
		this.testbed.routes().json("GET /api/jobs", 200, jobs);
		this.testbed.routes().json("GET /api/quarantine", 200, List.of());

		Result result = this.testbed.client().run("jobs");

		assertThat(result.out().lines().findFirst().orElseThrow()).doesNotContain("DAEMON");
	}

	@Test
	void jobsInAClusterShowTheMemberHoldingEachJobsSandboxAndWhichWaitForAnAwayOne() {
		String away = "member3 cannot be reached (OFFLINE: No heartbeat for 31s); the job waits until it is back";
		List<JobView> jobs = List.of(Jobs.onMember(Jobs.queued(4, "waits"), "member3", away),
				Jobs.onMember(Jobs.queued(3, "next"), "member2", null),
				Jobs.onMember(Jobs.succeeded(2, "second"), "member1", null), Jobs.succeeded(1, "before the cluster"));
		this.testbed.routes().json("GET /api/jobs", 200, jobs);
		this.testbed.routes().json("GET /api/quarantine", 200, List.of());

		Result result = this.testbed.client().run("jobs");

		assertThat(result.exitCode()).isZero();
		assertThat(result.out().lines()).containsExactly(
				"ID  SANDBOX  STATE      TRIGGER  MEMBER          STARTED      DURATION     COST  TURNS  PROMPT",
				" 4  dev      QUEUED     manual   member3 (away)  -                   -        -      -  waits",
				" 3  dev      QUEUED     manual   member2         -                   -        -      -  next",
				" 2  dev      SUCCEEDED  manual   member1         11-27 09:00     4m12s  $0.0123      7  second",
				" 1  dev      SUCCEEDED  manual   -               11-27 09:00     4m12s  $0.0123      7  before the cluster");
	}

	@Test
	void jobsInAClusterOnSeveralDaemonsShowTheDaemonThenTheMember() {
		List<JobView> jobs = List.of(
				Jobs.onMember(Jobs.ranOn(Jobs.succeeded(2, "second"), "build-2:81d0e4"), "member2", null),
				Jobs.onMember(Jobs.ranOn(Jobs.succeeded(1, "first"), "build-1:3f9a2c"), "member1", null));
		this.testbed.routes().json("GET /api/jobs", 200, jobs);
		this.testbed.routes().json("GET /api/quarantine", 200, List.of());

		Result result = this.testbed.client().run("jobs");

		assertThat(result.out().lines()).containsExactly(
				"ID  SANDBOX  STATE      TRIGGER  DAEMON   MEMBER   STARTED      DURATION     COST  TURNS  PROMPT",
				" 2  dev      SUCCEEDED  manual   build-2  member2  11-27 09:00     4m12s  $0.0123      7  second",
				" 1  dev      SUCCEEDED  manual   build-1  member1  11-27 09:00     4m12s  $0.0123      7  first");
	}

	@Test
	void jobInAClusterNamesItsMemberAndWhyAQueuedJobWaits() {
		String away = "member3 cannot be reached (OFFLINE: No heartbeat for 31s); the job waits until it is back";
		JobView waiting = Jobs.onMember(Jobs.queued(4, "waits"), "member3", away);
		JobView ran = Jobs.onMember(Jobs.ranOn(Jobs.succeeded(2, "ran"), "build-1:3f9a2c"), "member1", null);
		this.testbed.routes().json("GET /api/jobs/4", 200, new JobDetails(waiting, List.of()));
		this.testbed.routes().json("GET /api/jobs/2", 200, new JobDetails(ran, List.of()));

		Result queued = this.testbed.client().run("job", "4");
		Result finished = this.testbed.client().run("job", "2");

		assertThat(queued.out()).startsWith("""
				id:               4
				sandbox:          dev
				state:            QUEUED
				why it waits:     %s
				prompt:           waits
				""".formatted(away)).contains("""
				daemon:           -
				member:           member3
				finished:         -
				""").doesNotContain("reason:");
		assertThat(finished.out()).contains("""
				daemon:           build-1:3f9a2c
				member:           member1
				finished:         2026-11-27 09:04:17
				""", "\nreason:           -\n").doesNotContain("why it waits");
	}

	@Test
	void jobsColoursStatesOnlyOnATerminalWithoutNoColor() {
		List<JobView> jobs = List.of(Jobs.succeeded(2, "ok"), Jobs.ended(1, JobState.FAILED, "exit 1"));
		this.testbed.daemon().answer(request -> Response.json(200, JSON.writeValueAsString(jobs)));

		String coloured = this.testbed.client().terminal(true).env("TERM", "xterm").run("jobs").out();
		String noColor = this.testbed.client()
			.terminal(true)
			.env("TERM", "xterm")
			.env("NO_COLOR", "1")
			.run("jobs")
			.out();
		String piped = this.testbed.client().run("jobs").out();

		assertThat(coloured).contains("\u001b[32mSUCCEEDED\u001b[0m", "\u001b[31mFAILED\u001b[0m");
		assertThat(noColor).doesNotContain("\u001b").contains("SUCCEEDED", "FAILED");
		assertThat(piped).isEqualTo(noColor);
	}

	@Test
	void jobsPassesFiltersAsQueryParameters() {
		this.testbed.daemon().answer(request -> Response.json(200, "[]"));
		Result result = this.testbed.client().run("jobs", "--state", "running", "--sandbox", "my box", "--limit", "5");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("no jobs\n");
		assertThat(this.testbed.daemon().requests().getFirst().target())
			.isEqualTo("/api/jobs?state=RUNNING&sandbox=my%20box&limit=5");
	}

	@Test
	void jobsJsonPrintsTheArrayAndNothingElse() {
		this.testbed.daemon()
			.answer(request -> Response.json(200, JSON.writeValueAsString(List.of(Jobs.succeeded(2, "p")))));
		Result result = this.testbed.client().run("jobs", "--json");
		assertThat(result.exitCode()).isZero();
		JsonNode array = JSON.readTree(result.out());
		assertThat(array.isArray()).isTrue();
		assertThat(array.get(0).get("id").asLong()).isEqualTo(2);
		assertThat(array.get(0).get("state").stringValue()).isEqualTo("SUCCEEDED");
		assertThat(array.get(0).get("submittedAt").stringValue()).isEqualTo("2026-11-27T09:00:00Z");
	}

	@Test
	void jobsWarnAfterTheTableAboutSandboxesThatNeedAttention() {
		this.testbed.routes().json("GET /api/jobs", 200, List.of(Jobs.queued(13, "waits for web")));
		this.testbed.routes()
			.json("GET /api/quarantine", 200, List.of(Sandboxes.quarantine("web"), Sandboxes.quarantine("db")));
		Result result = this.testbed.client().run("jobs");
		assertThat(result.exitCode()).isZero();
		String failure = "RESTORE failed for job 12: restoring dilxc-job-12 failed: Error: Instance is busy …";
		assertThat(result.out().lines()).containsExactly(
				"ID  SANDBOX  STATE   TRIGGER  STARTED  DURATION  COST  TURNS  PROMPT",
				"13  dev      QUEUED  manual   -               -     -      -  waits for web",
				"Warning: sandbox web needs attention: " + failure
						+ " — next retry 2026-11-27 10:05:00; 'dilxc-client repair @web'",
				"Warning: sandbox db needs attention: " + failure
						+ " — next retry 2026-11-27 10:05:00; 'dilxc-client repair @db'");
		assertThat(this.testbed.daemon().requests()).extracting(FakeDaemon.Request::target)
			.containsExactly("/api/jobs", "/api/quarantine");

		// Narrowed to a sandbox, only its own quarantine; with no jobs, still the
		// warning.
		this.testbed.routes().json("GET /api/jobs", 200, List.of());
		assertThat(this.testbed.client().run("jobs", "--sandbox", "db").out())
			.isEqualTo("no jobs\nWarning: sandbox db needs attention: " + failure
					+ " — next retry 2026-11-27 10:05:00; 'dilxc-client repair @db'\n");
	}

	@Test
	void jobsJsonAndAnOlderDaemonLeaveTheWarningOut() {
		this.testbed.routes().json("GET /api/jobs", 200, List.of(Jobs.queued(13, "x")));
		Result json = this.testbed.client().run("jobs", "--json");
		assertThat(JSON.readTree(json.out()).size()).isEqualTo(1);
		assertThat(this.testbed.daemon().onlyRequest().target()).isEqualTo("/api/jobs");
		// no /api/quarantine route: a daemon that cannot say
		Result listed = this.testbed.client().run("jobs");
		assertThat(listed.exitCode()).isZero();
		assertThat(listed.err()).isEmpty();
		assertThat(listed.out()).doesNotContain("Warning");
	}

	@Test
	void jobsWhenStateUnknownExitsWithBadInput() {
		Result result = this.testbed.client().run("jobs", "--state", "done");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).contains("unknown --state 'done'").contains("succeeded");
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void jobsWhenLimitNotANumberExitsWithBadInput() {
		Result result = this.testbed.client().run("jobs", "--limit", "ten");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).contains("--limit must be a whole number");
	}

	@Test
	void jobPrintsEveryFieldAndTheHistory() {
		// given
		JobView job = Jobs.succeeded(2, "Fix it\nsecond line");
		List<JobHistoryEntry> history = List.of(
				new JobHistoryEntry(Jobs.SUBMITTED, JobState.QUEUED, "STATE", "submitted"),
				new JobHistoryEntry(Jobs.SUBMITTED.plusSeconds(2), JobState.SNAPSHOTTING, "SNAPSHOT",
						"took snapshot dilxc-job-2"),
				new JobHistoryEntry(Instant.parse("2026-11-27T09:04:17Z"), JobState.SUCCEEDED, "STATE", null));
		this.testbed.daemon()
			.answer(request -> Response.json(200, JSON.writeValueAsString(new JobDetails(job, history))));
		// when
		Result result = this.testbed.client().run("job", "2");
		// then
		assertThat(result.exitCode()).isZero();
		assertThat(this.testbed.daemon().onlyRequest().target()).isEqualTo("/api/jobs/2");
		assertThat(result.out()).isEqualTo("""
				id:               2
				sandbox:          dev
				state:            SUCCEEDED
				prompt:           Fix it
				                  second line
				trigger:          manual
				schedule:         -
				parent job:       -
				restore policy:   never
				timeout:          1h30m
				max turns:        -
				max budget:       -
				sync:             no
				submitted:        2026-11-27 09:00:00
				started:          2026-11-27 09:00:05
				daemon:           -
				finished:         2026-11-27 09:04:17
				duration:         4m12s
				snapshot:         dilxc-job-2
				session id:       sess-2
				cost:             $0.0123
				turns:            7
				result:           success (is_error=false)
				result text:      All tests pass.
				files changed:    -
				restored to:      -
				exit code:        0
				reason:           -
				cancel requested: no
				output lines:     42

				history:
				  TIME                 STATE         EVENT     DETAIL
				  2026-11-27 09:00:00  QUEUED        STATE     submitted
				  2026-11-27 09:00:02  SNAPSHOTTING  SNAPSHOT  took snapshot dilxc-job-2
				  2026-11-27 09:04:17  SUCCEEDED     STATE     -
				""");
	}

	@Test
	void jobsShowWhatMadeEachJob() {
		List<JobView> jobs = List.of(Jobs.origin(Jobs.queued(5, "c"), "resume", null, null, 4L),
				Jobs.origin(Jobs.queued(4, "b"), "retry", null, null, 3L),
				Jobs.origin(Jobs.queued(3, "a"), "schedule", 2L, Instant.parse("2026-11-27T01:00:00Z"), null));
		this.testbed.daemon().answer(request -> Response.json(200, JSON.writeValueAsString(jobs)));
		assertThat(this.testbed.client().run("jobs").out().lines()).extracting(line -> line.substring(20, 35).strip())
			.containsExactly("TRIGGER", "resume of #4", "retry of #3", "schedule #2");
	}

	@Test
	void jobShowsItsScheduleParentGuardsAndChanges() {
		JobView job = Jobs.guards(
				Jobs.run(Jobs.origin(Jobs.queued(12, "p"), "schedule", 3L, Instant.parse("2026-11-27T01:00:00Z"), null),
						JobState.FAILED, Instant.parse("2026-11-27T01:00:04Z"), 60, "0.5", 9, null, "failed", 7,
						"dilxc-job-12"),
				40, new BigDecimal("2.5"), true);
		this.testbed.daemon()
			.answer(request -> Response.json(200, JSON.writeValueAsString(new JobDetails(job, List.of()))));
		String out = this.testbed.client().run("job", "12").out();
		assertThat(out).contains("trigger:          schedule #3\n", "schedule:         #3 (slot 2026-11-27 01:00:00)\n",
				"parent job:       -\n", "max turns:        40\n", "max budget:       $2.50\n",
				"sync:             yes\n", "files changed:    7\n", "restored to:      dilxc-job-12\n");
		JobView retry = Jobs.origin(Jobs.queued(13, "p"), "retry", null, null, 12L);
		this.testbed.daemon()
			.answer(request -> Response.json(200, JSON.writeValueAsString(new JobDetails(retry, List.of()))));
		assertThat(this.testbed.client().run("job", "13").out()).contains("trigger:          retry of #12\n",
				"parent job:       #12\n");
	}

	@Test
	void jobJsonPrintsTheDetails() {
		this.testbed.daemon()
			.answer(request -> Response.json(200,
					JSON.writeValueAsString(new JobDetails(Jobs.succeeded(2, "p"), List.of()))));
		Result result = this.testbed.client().run("job", "--json", "2");
		assertThat(result.exitCode()).isZero();
		JsonNode details = JSON.readTree(result.out());
		assertThat(details.get("job").get("costUsd").decimalValue()).isEqualByComparingTo("0.0123");
		assertThat(details.get("history").isArray()).isTrue();
	}

	@Test
	void jobWhenNotFoundExitsWithNotFound() {
		this.testbed.daemon().answer(request -> Response.problem(404, "job-not-found", "no job 99"));
		Result result = this.testbed.client().run("job", "99");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
		assertThat(result.out()).isEmpty();
		assertThat(result.err()).isEqualTo("dilxc-client: no job 99 (list jobs with 'dilxc-client jobs')\n");
	}

	@Test
	void jobWhenIdNotANumberExitsWithBadInput() {
		Result result = this.testbed.client().run("job", "latest");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).contains("job id must be a positive number, got 'latest'");
	}

	@Test
	void jobWhenIdMissingExitsWithBadInput() {
		Result result = this.testbed.client().run("job");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).contains("missing job id");
	}

	@Test
	void cancelPrintsTheResultingState() {
		this.testbed.daemon()
			.answer(request -> Response.json(200,
					JSON.writeValueAsString(Jobs.ended(5, JobState.CANCELLED, "cancelled"))));
		Result result = this.testbed.client().run("cancel", "5");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("CANCELLED\n");
		FakeDaemon.Request request = this.testbed.daemon().onlyRequest();
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.target()).isEqualTo("/api/jobs/5/cancel");
	}

	@Test
	void cancelWhenAlreadyFinishedExitsWithConflict() {
		this.testbed.daemon()
			.answer(request -> Response.problem(409, "job-already-finished", "job 5 has already finished (SUCCEEDED)"));
		Result result = this.testbed.client().run("cancel", "5");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFLICT);
		assertThat(result.err())
			.isEqualTo("dilxc-client: job 5 has already finished (SUCCEEDED) (see 'dilxc-client job 5')\n");
	}

	@Test
	void logsPrintsWhatIsStoredAndStops() {
		// given
		this.testbed.daemon().answer(request -> switch (request.target()) {
			case "/api/jobs/4/output?after=0" ->
				Response.json(200, JSON.writeValueAsString(new OutputPage(4, List.of(line(1, "stdout",
						"{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"s-1\",\"model\":\"m\",\"cwd\":\"/w\"}"),
						line(2, "stderr", "warning: \u001b]0;pwned\u0007low disk")), 2, JobState.RUNNING)));
			default -> Response.json(200, JSON.writeValueAsString(new OutputPage(4, List.of(), 2, JobState.RUNNING)));
		});
		// when
		Result result = this.testbed.client().run("logs", "4");
		// then
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("[init] session s-1 · model m · cwd /w\n[stderr] warning: low disk\n");
	}

	@Test
	void logsRawPrintsTheStoredLinesExactly() {
		String event = "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"\\u001b[31mred\"}]}}";
		this.testbed.daemon()
			.answer(request -> Response.json(200,
					JSON.writeValueAsString(request.target().endsWith("after=0") ? new OutputPage(4,
							List.of(line(1, "stdout", event), line(2, "stderr", "e\u001b[1mx")), 2, JobState.SUCCEEDED)
							: new OutputPage(4, List.of(), 2, JobState.SUCCEEDED))));
		Result result = this.testbed.client().run("logs", "--raw", "4");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo(event + "\n" + "e\u001b[1mx\n");
	}

	@Test
	void logsFollowLongPollsUntilTheJobEndsAndExitsWithItsOutcome() {
		// given: a daemon that predates the long poll (it answers at once, ignoring
		// waitMs)
		this.testbed.daemon().answer(request -> switch (request.target()) {
			case "/api/jobs/4/output?after=0&waitMs=20000" -> Response.json(200, JSON.writeValueAsString(
					new OutputPage(4, List.of(line(1, "dilxc", "snapshot taken")), 1, JobState.RUNNING)));
			case "/api/jobs/4/output?after=1&waitMs=20000" -> {
				long polls = this.testbed.daemon()
					.requests()
					.stream()
					.filter(r -> r.target().contains("after=1"))
					.count();
				JobState state = (polls < 3) ? JobState.RUNNING : JobState.TIMED_OUT;
				yield Response.json(200, JSON.writeValueAsString(new OutputPage(4, List.of(), 1, state)));
			}
			case "/api/jobs/4" -> Response.json(200, JSON.writeValueAsString(
					new JobDetails(Jobs.ended(4, JobState.TIMED_OUT, "ran longer than 30m"), List.of())));
			default -> Response.json(404, "{}");
		});
		// when
		Result result = this.testbed.client().run("logs", "--follow", "4");
		// then
		assertThat(result.exitCode()).isEqualTo(ExitCodes.JOB_TIMED_OUT);
		assertThat(result.out()).isEqualTo("snapshot taken\n");
		assertThat(result.err()).isEqualTo("dilxc-client: job 4 ended TIMED_OUT: ran longer than 30m\n");
		assertThat(this.testbed.daemon().requests().stream().filter(r -> r.target().contains("after=1"))).hasSize(3);
	}

	@Test
	void logsFollowOfASucceededJobExitsZero() {
		this.testbed.daemon()
			.answer(request -> Response.json(200,
					JSON.writeValueAsString(new OutputPage(4, List.of(), 0, JobState.SUCCEEDED))));
		Result result = this.testbed.client().run("logs", "4", "--follow");
		assertThat(result.exitCode()).isZero();
		assertThat(result.err()).isEmpty();
	}

	@Test
	void commandsWhenDaemonNotRunningExitUnavailableWithOneClearLine() {
		Path missing = this.testbed.dir().resolve("nobody-home.sock");
		InProcessClient offline = new InProcessClient(missing);
		for (String[] argv : List.of(new String[] { "jobs" }, new String[] { "job", "1" }, new String[] { "logs", "1" },
				new String[] { "cancel", "1" }, new String[] { "submit", "x" })) {
			Result result = offline.run(argv);
			assertThat(result.exitCode()).as(String.join(" ", argv)).isEqualTo(ExitCodes.DAEMON_UNREACHABLE);
			assertThat(result.out()).isEmpty();
			assertThat(result.err()).isEqualTo("dilxc-client: cannot reach the dilxc daemon at " + missing
					+ " (no socket file there). Start it with 'systemctl --user start dilxc' (after deploy/install.sh) or 'dilxc-daemon', or set DILXC_SOCKET.\n");
		}
	}

	@Test
	void commandsWhenDaemonFailsExitInternalError() {
		this.testbed.daemon().answer(request -> Response.problem(500, "internal-error", "boom"));
		Result result = this.testbed.client().run("jobs");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.INTERNAL_ERROR);
		assertThat(result.err()).isEqualTo("dilxc-client: the daemon failed: boom (its log has the details)\n");
	}

	private static OutputLine line(long seq, String stream, String text) {
		return new OutputLine(seq, Jobs.SUBMITTED, stream, text);
	}

}
