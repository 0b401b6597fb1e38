package dev.dilxc.client.schedules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import dev.dilxc.api.JobDetails;
import dev.dilxc.api.JobState;
import dev.dilxc.api.OutputPage;
import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.testing.ClientTestbed;
import dev.dilxc.client.testing.FakeDaemon.Response;
import dev.dilxc.client.testing.InProcessClient.Result;
import dev.dilxc.client.testing.Jobs;
import dev.dilxc.client.testing.Schedules;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code schedule ...} and {@code schedules} against a fake daemon. */
class ScheduleCommandsTests {

	private static final JsonMapper JSON = ClientCommands.jsonMapper();

	private static final List<Instant> UPCOMING = List.of(Instant.parse("2026-11-28T01:00:00Z"),
			Instant.parse("2026-11-29T01:00:00Z"), Instant.parse("2026-11-30T01:00:00Z"),
			Instant.parse("2026-12-01T01:00:00Z"));

	@RegisterExtension
	final ClientTestbed testbed = new ClientTestbed();

	@BeforeEach
	void scheduleThreeExists() {
		this.testbed.routes()
			.json("POST /api/schedules", 201, Schedules.nightly(3, "run the tests", null, null))
			.json("GET /api/schedules/3", 200,
					Schedules.details(Schedules.nightly(3, "run the tests", 12L, JobState.FAILED), UPCOMING,
							Schedules.event(9, 3, "2026-11-27T01:00:01Z", "2026-11-27T01:00:00Z", "ENQUEUED", 12L,
									"queued job 12"),
							Schedules.event(8, 3, "2026-11-26T06:00:00Z", "2026-11-26T01:00:00Z", "MISSED", null,
									"1 slot missed while the daemon was down, 02:00")))
			.on("GET /api/schedules/99", Response.problem(404, "schedule-not-found", "no schedule 99"));
	}

	@Test
	void scheduleAddSendsEveryOptionAndPrintsTheIdAndTheNextFirings() {
		// when
		Result result = this.testbed.client()
			.run("schedule", "add", "--cron", "0 2 * * *", "--tz", "Europe/Berlin", "--sandbox", "dev", "--restore",
					"always", "--timeout", "45m", "--sync", "--overlap", "QUEUE", "--catch-up", "6h", "--max-turns",
					"40", "--max-budget-usd", "2.50", "--max-daily-cost-usd", "$10", "--", "run", "the", "tests");
		// then
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("3\n");
		assertThat(result.err()).isEqualTo("""
				schedule 3 added: 0 2 * * * (Europe/Berlin) in sandbox 'dev'
				next: Sat 28 Nov 02:00 CET, Sun 29 Nov 02:00 CET, Mon 30 Nov 02:00 CET
				""");
		JsonNode body = JSON.readTree(this.testbed.daemon().requests().getFirst().body());
		assertThat(body).isEqualTo(JSON.readTree("""
				{"cron":"0 2 * * *","timeZone":"Europe/Berlin","sandbox":"dev","restorePolicy":"ALWAYS",
				 "timeoutSeconds":2700,"sync":true,"overlap":"QUEUE","catchUpSeconds":21600,"maxTurns":40,
				 "maxBudgetUsd":2.50,"maxDailyCostUsd":10,"prompt":"run the tests"}"""));
	}

	@Test
	void scheduleAddWithOnlyCronAndPromptLeavesTheRestToTheDaemonAndDefaultsToTheSelectedSandbox() {
		// when
		Result result = this.testbed.client().run("@web", "schedule", "add", "--cron", "@daily", "fix what fails");
		// then
		assertThat(result.exitCode()).isZero();
		JsonNode body = JSON.readTree(this.testbed.daemon().requests().getFirst().body());
		assertThat(body).isEqualTo(JSON.readTree("""
				{"cron":"@daily","timeZone":null,"sandbox":"web","restorePolicy":null,"timeoutSeconds":null,"sync":null,
				 "overlap":null,"catchUpSeconds":null,"maxTurns":null,"maxBudgetUsd":null,"maxDailyCostUsd":null,
				 "prompt":"fix what fails"}"""));
	}

	@Test
	void scheduleAddWithoutASelectedSandboxSendsNoneAndAcceptsCatchUpZero() {
		Result result = this.testbed.client().run("schedule", "add", "--cron", "0 2 * * *", "--catch-up", "0", "x");
		assertThat(result.exitCode()).isZero();
		JsonNode body = JSON.readTree(this.testbed.daemon().requests().getFirst().body());
		assertThat(body.get("sandbox").isNull()).isTrue();
		assertThat(body.get("catchUpSeconds").asLong()).isZero();
	}

	@Test
	void scheduleAddReadsThePromptFile() throws IOException {
		Path file = Files.writeString(this.testbed.dir().resolve("nightly.md"), "- run the tests\n- fix them\n",
				StandardCharsets.UTF_8);
		Result result = this.testbed.client()
			.run("schedule", "add", "--cron", "@daily", "--prompt-file", file.toString());
		assertThat(result.exitCode()).isZero();
		assertThat(JSON.readTree(this.testbed.daemon().requests().getFirst().body()).get("prompt").stringValue())
			.isEqualTo("- run the tests\n- fix them\n");
	}

	@Test
	void scheduleAddWhenAnOptionIsBadExitsWithBadInputNamingItAndSendsNothing() {
		List<List<String>> cases = List.of(List.of("--cron", "@daily", "--max-turns", "0", "x"),
				List.of("--cron", "@daily", "--max-turns", "many", "x"),
				List.of("--cron", "@daily", "--max-budget-usd", "-1", "x"),
				List.of("--cron", "@daily", "--max-budget-usd", "lots", "x"),
				List.of("--cron", "@daily", "--max-daily-cost-usd", "0", "x"),
				List.of("--cron", "@daily", "--overlap", "sometimes", "x"),
				List.of("--cron", "@daily", "--catch-up", "soon", "x"),
				List.of("--cron", "@daily", "--timeout", "0m", "x"),
				List.of("--cron", "@daily", "--restore", "maybe", "x"), List.of("--cron", "@daily", "--tz", " ", "x"),
				List.of("--cron", "0", "2", "*", "*", "*", "x"), List.of("--cron", "", "x"), List.of("x"),
				List.of("--cron", "@daily"), List.of("--cron", "@daily", "--bogus", "x"));
		List<String> named = List.of("--max-turns", "--max-turns", "--max-budget-usd", "--max-budget-usd",
				"--max-daily-cost-usd", "--overlap", "--catch-up", "--timeout", "--restore", "--tz", "quote the whole",
				"--cron", "--cron", "missing prompt", "--bogus");
		for (int i = 0; i < cases.size(); i++) {
			Result result = this.testbed.client()
				.run(Stream.concat(Stream.of("schedule", "add"), cases.get(i).stream()).toArray(String[]::new));
			assertThat(result.exitCode()).as(cases.get(i).toString()).isEqualTo(ExitCodes.BAD_INPUT);
			assertThat(result.err()).as(cases.get(i).toString()).startsWith("dilxc-client: ").contains(named.get(i));
		}
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void scheduleAddWhenTheDaemonRejectsTheCronExitsWithBadInputAndItsMessage() {
		this.testbed.routes()
			.on("POST /api/schedules", Response.problem(400, "invalid-request",
					"bad cron expression '0 25 * * *': hour 25 is out of range 0-23"));
		Result result = this.testbed.client().run("schedule", "add", "--cron", "0 25 * * *", "x");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.out()).isEmpty();
		assertThat(result.err()).isEqualTo("dilxc-client: the daemon rejected the request: bad cron expression "
				+ "'0 25 * * *': hour 25 is out of range 0-23\n");
	}

	@Test
	void schedulesPrintsATableWithZoneNextAndLastRunCutToTheWidth() {
		// given
		this.testbed.routes()
			.json("GET /api/schedules", 200,
					List.of(Schedules.nightly(3,
							"Run the whole test suite and fix whatever fails, then update the docs", 12L,
							JobState.FAILED), Schedules.pausedHourly(4, "check the links")));
		// when
		Result result = this.testbed.client().env("COLUMNS", "120").run("schedules");
		// then
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo(
				"""
						ID  CRON                       SANDBOX  NEXT                  LAST RUN                     PAUSED  PROMPT
						 3  0 2 * * * (Europe/Berlin)  dev      Sat 28 Nov 02:00 CET  Fri 27 Nov 02:00 #12 FAILED  no      Run the whole test s…
						 4  @hourly (UTC)              web      -                     -                            yes     check the links
						""");
		Result coloured = this.testbed.client().env("COLUMNS", "120").terminal(true).run("schedules");
		assertThat(coloured.out()).contains("#12 \u001b[31mFAILED\u001b[0m", "\u001b[33myes\u001b[0m");
	}

	@Test
	void schedulesJsonAndEmpty() {
		this.testbed.routes().json("GET /api/schedules", 200, List.of(Schedules.pausedHourly(4, "p")));
		JsonNode array = JSON.readTree(this.testbed.client().run("schedules", "--json").out());
		assertThat(array.get(0).get("cron").stringValue()).isEqualTo("@hourly");
		assertThat(array.get(0).get("paused").asBoolean()).isTrue();
		this.testbed.routes().json("GET /api/schedules", 200, List.of());
		assertThat(this.testbed.client().run("schedules").out()).startsWith("no schedules");
	}

	@Test
	void scheduleShowPrintsItsFieldsUpcomingFiringsAndEvents() {
		Result result = this.testbed.client().run("schedule", "show", "3");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("""
				id:               3
				cron:             0 2 * * *
				runs as (Quartz): 0 0 2 * * ?
				time zone:        Europe/Berlin
				sandbox:          dev
				prompt:           run the tests
				paused:           no
				next:             Sat 28 Nov 02:00 CET
				last run:         Fri 27 Nov 02:00 #12 FAILED
				restore policy:   on-failure
				timeout:          30m
				sync:             yes
				overlap:          skip (a firing while the last run is going is skipped)
				catch-up:         a missed slot runs once if at most 6h late
				max turns:        40
				max budget:       $2.50
				max daily cost:   $10 a day (Europe/Berlin)
				created:          2026-11-20 08:00:00

				upcoming:
				  Sat 28 Nov 02:00 CET
				  Sun 29 Nov 02:00 CET
				  Mon 30 Nov 02:00 CET
				  Tue 1 Dec 02:00 CET

				events:
				  TIME                 EVENT     SLOT              JOB  DETAIL
				  2026-11-27 01:00:01  enqueued  Fri 27 Nov 02:00  #12  queued job 12
				  2026-11-26 06:00:00  missed    Thu 26 Nov 02:00  -    1 slot missed while the daemon was down, 02:00
				""");
		assertThat(JSON.readTree(this.testbed.client().run("schedule", "show", "--json", "3").out()).get("upcoming"))
			.hasSize(4);
	}

	@Test
	void scheduleNotFoundExitsWithNotFoundAndPointsToTheList() {
		for (String action : List.of("show", "pause", "resume", "remove", "run-now")) {
			this.testbed.routes()
				.on("POST /api/schedules/99/" + action, Response.problem(404, "schedule-not-found", "no schedule 99"));
			Result result = this.testbed.client().run("schedule", action, "99");
			assertThat(result.exitCode()).as(action).isEqualTo(ExitCodes.NOT_FOUND);
			assertThat(result.err()).as(action)
				.isEqualTo("dilxc-client: no schedule 99 (list schedules with 'dilxc-client schedules')\n");
		}
	}

	@Test
	void scheduleIdMustBeOnePositiveNumber() {
		assertThat(this.testbed.client().run("schedule", "pause").err()).contains("missing schedule id");
		assertThat(this.testbed.client().run("schedule", "pause", "x").err())
			.contains("schedule id must be a positive number, got 'x'");
		assertThat(this.testbed.client().run("schedule", "show", "1", "2").exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void schedulePauseAndResumeSayWhereTheScheduleStands() {
		this.testbed.routes()
			.json("POST /api/schedules/3/pause", 200, Schedules.pausedHourly(3, "p"))
			.json("POST /api/schedules/3/resume", 200, Schedules.nightly(3, "p", null, null));
		assertThat(this.testbed.client().run("schedule", "pause", "3").out())
			.isEqualTo("schedule 3 is paused; 'dilxc-client schedule resume 3' lets it fire again\n");
		assertThat(this.testbed.client().run("schedule", "resume", "3").out())
			.isEqualTo("schedule 3 is active; next: Sat 28 Nov 02:00 CET\n");
		assertThat(this.testbed.daemon().requests()).extracting(r -> r.method() + " " + r.target())
			.containsExactly("POST /api/schedules/3/pause", "POST /api/schedules/3/resume");
	}

	@Test
	void scheduleRemoveDeletesAndPrintsWhatWasRemoved() {
		this.testbed.routes().noContent("DELETE /api/schedules/3");
		Result result = this.testbed.client().run("schedule", "remove", "3");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out())
			.isEqualTo("removed schedule 3: 0 2 * * * (Europe/Berlin) in sandbox 'dev': run the tests\n");
		assertThat(this.testbed.daemon().requests()).extracting(r -> r.method() + " " + r.target())
			.containsExactly("GET /api/schedules/3", "DELETE /api/schedules/3");
	}

	@Test
	void scheduleRunNowPrintsTheJobIdOrFollowsItWithItsOutcome() {
		this.testbed.routes()
			.json("POST /api/schedules/3/run-now", 201, Jobs.origin(Jobs.queued(20, "p"), "schedule", 3L, null, null))
			.json("GET /api/jobs/20/output", 200, new OutputPage(20, List.of(), 0, JobState.FAILED))
			.json("GET /api/jobs/20", 200,
					new JobDetails(Jobs.ended(20, JobState.FAILED, "the agent exited 1"), List.of()));
		Result result = this.testbed.client().run("schedule", "run-now", "3");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("20\n");
		Result waited = this.testbed.client().run("schedule", "run-now", "--wait", "3");
		assertThat(waited.exitCode()).isEqualTo(ExitCodes.JOB_FAILED);
		assertThat(waited.err()).startsWith("job 20 queued by schedule 3 in sandbox 'dev'; following its output")
			.endsWith("dilxc-client: job 20 ended FAILED: the agent exited 1\n");
	}

	@Test
	void scheduleAloneShowsTheActionsAndAnUnknownActionIsBadInput() {
		Result alone = this.testbed.client().run("schedule");
		assertThat(alone.exitCode()).isZero();
		assertThat(alone.out()).contains("dilxc-client schedule add --cron EXPR", "schedule run-now ID [--wait]");
		Result typo = this.testbed.client().run("schedule", "shwo", "3");
		assertThat(typo.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(typo.err()).contains("unknown schedule action 'shwo'; did you mean 'schedule show'?");
	}

	@Test
	void scheduleAddHelpShowsItsOwnOptionsAndTheCronForms() {
		Result help = this.testbed.client().run("schedule", "add", "--help");
		assertThat(help.exitCode()).isZero();
		assertThat(help.out()).startsWith("Usage: dilxc-client schedule add --cron EXPR")
			.contains("--overlap POLICY", "--catch-up DURATION", "--max-daily-cost-usd X", "@daily", "'0 2 * * *'");
		assertThat(this.testbed.client().run("help", "schedule", "add").out()).isEqualTo(help.out());
	}

}
