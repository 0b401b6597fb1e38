package dev.dilxc.client.schedules;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.ReportView;
import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.testing.ClientTestbed;
import dev.dilxc.client.testing.FakeDaemon.Response;
import dev.dilxc.client.testing.InProcessClient.Result;
import dev.dilxc.client.testing.Jobs;
import dev.dilxc.client.testing.Sandboxes;
import dev.dilxc.client.testing.Schedules;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code report}: the morning review against a fake daemon, at a fixed width, in Berlin.
 */
class ReportCommandTests {

	private static final JsonMapper JSON = ClientCommands.jsonMapper();

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	/** Friday 27 November 2026, 08:00 in Berlin. */
	private static final Instant NOW = Instant.parse("2026-11-27T07:00:00Z");

	@RegisterExtension
	final ClientTestbed testbed = new ClientTestbed();

	@BeforeEach
	void berlinMorningAt140Columns() {
		this.testbed.client().clock(Clock.fixed(NOW, BERLIN)).env("COLUMNS", "140");
		this.testbed.routes().json("GET /api/report", 200, overnight());
	}

	/**
	 * A manual job, a scheduled run that failed and was restored, its retry, a resume
	 * still running; a missed and a skipped firing.
	 */
	static ReportView overnight() {
		JobView manual = Jobs.run(Jobs.queued(11, "Tidy the README"), JobState.SUCCEEDED,
				Instant.parse("2026-11-26T21:10:00Z"), 95, "0.0412", 6, "Tidied the README: fixed 3 broken links.",
				null, 1, null);
		JobView scheduled = Jobs.run(
				Jobs.origin(Jobs.queued(12, "run the tests and fix what fails"), "schedule", 3L,
						Instant.parse("2026-11-27T01:00:00Z"), null),
				JobState.FAILED, Instant.parse("2026-11-27T01:00:04Z"), 1520, "1.2", 41,
				"I could not make FlakyIT pass: the test database\nneeds a fixed clock.", "the agent reported an error",
				7, "dilxc-job-12");
		JobView retry = Jobs.run(
				Jobs.origin(Jobs.queued(13, "run the tests and fix what fails"), "retry", null, null, 12L),
				JobState.SUCCEEDED, Instant.parse("2026-11-27T05:30:00Z"), 615, "0.35", 12,
				"All 214 tests pass; FlakyIT now uses a fixed Clock and no longer sleeps for the scheduler.", null, 3,
				null);
		JobView timedOut = Jobs.run(Jobs.origin(Jobs.queued(14, "also fix the docs"), "resume", null, null, 13L),
				JobState.TIMED_OUT, Instant.parse("2026-11-27T06:00:00Z"), 1800, null, null, null,
				"timed out after 30m", 0, "dilxc-job-14");
		return new ReportView(Instant.parse("2026-11-26T19:00:00Z"), NOW, List.of(manual, scheduled, retry, timedOut),
				List.of(Schedules.event(5, 4, "2026-11-27T02:00:00Z", "2026-11-27T02:00:00Z", "SKIPPED_OVERLAP", null,
						"job 12 of this schedule was still running"),
						Schedules.event(6, 5, "2026-11-27T06:30:00Z", "2026-11-27T03:00:00Z", "MISSED", null,
								"3 slots missed while the daemon was down, 03:00 to 05:00")),
				new ReportView.Totals(4, 2, 2, 0, 0, 2, new BigDecimal("1.5912"), 59, 11, 4530), List.of());
	}

	@Test
	void reportShowsEveryJobTheFiringsThatMadeNoJobAndTotalsOnOneScreen() {
		// when
		Result result = this.testbed.client().run("report");
		// then
		assertThat(result.exitCode()).isZero();
		assertThat(result.err()).isEmpty();
		assertThat(result.out()).isEqualTo(
				"""
						Report Thu 26 Nov 20:00 → Fri 27 Nov 08:00 CET (12h)

						ID  TIME              SANDBOX  TRIGGER        OUTCOME    DURATION     COST  TURNS  FILES  RESTORED        FINAL MESSAGE
						11  Thu 26 Nov 22:10  dev      manual         SUCCEEDED     1m35s  $0.0412      6      1  no              Tidied the README: fixed 3 broken…
						12  Fri 27 Nov 02:00  dev      schedule #3    FAILED       25m20s  $1.2000     41      7  → dilxc-job-12  I could not make FlakyIT pass: th…
						13  Fri 27 Nov 06:30  dev      retry of #12   SUCCEEDED    10m15s  $0.3500     12      3  no              All 214 tests pass; FlakyIT now u…
						14  Fri 27 Nov 07:00  dev      resume of #13  TIMED_OUT    30m00s        -      -      0  → dilxc-job-14  (timed out after 30m)

						Schedule firings that made no job:
						TIME              SCHEDULE  EVENT              SLOT              DETAIL
						Fri 27 Nov 03:00  #4        skipped (overlap)  Fri 27 Nov 03:00  job 12 of this schedule was still running
						Fri 27 Nov 07:30  #5        missed             Fri 27 Nov 04:00  3 slots missed while the daemon was down, 03:00 to 05:00

						Total: 4 jobs: 2 succeeded, 2 failed; 2 restored
						       cost $1.5912, 59 turns, 11 files changed, run time 1h15m
						""");
		assertThat(result.out().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(140));
		assertThat(this.testbed.daemon().onlyRequest().target())
			.isEqualTo("/api/report?since=2026-11-26T19%3A00%3A00Z");
	}

	@Test
	void reportPutsTheSandboxesThatNeedAttentionFirst() {
		ReportView overnight = overnight();
		this.testbed.routes()
			.json("GET /api/report", 200, new ReportView(overnight.since(), overnight.until(), overnight.jobs(),
					overnight.scheduleEvents(), overnight.totals(), List.of(Sandboxes.quarantine("dev"))));
		Result result = this.testbed.client().run("report");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).startsWith(
				"""
						Report Thu 26 Nov 20:00 → Fri 27 Nov 08:00 CET (12h)

						Needs attention (quarantined: no job starts in these sandboxes until they are repaired):
						  dev: RESTORE failed for job 12: restoring dilxc-job-12 failed: Error: Instance is busy … (since Fri 27 Nov 10:40) — next retry 2026-11-27 11:05:00; 'dilxc-client repair @dev'

						ID  TIME """);
		assertThat(this.testbed.client().terminal(true).run("report").out())
			.contains("\u001b[31mNeeds attention\u001b[0m (quarantined");
		JsonNode json = JSON.readTree(this.testbed.client().run("report", "--json").out());
		assertThat(json.at("/quarantined/0/sandbox").stringValue()).isEqualTo("dev");
		assertThat(json.at("/quarantined/0/step").stringValue()).isEqualTo("RESTORE");
	}

	@Test
	void reportOnATerminalColoursOutcomesAndTotalsButNotWithNoColor() {
		Result coloured = this.testbed.client().terminal(true).run("report");
		assertThat(coloured.out()).contains("\u001b[32mSUCCEEDED\u001b[0m", "\u001b[31mFAILED\u001b[0m",
				"\u001b[31mTIMED_OUT\u001b[0m", "\u001b[31m2 failed\u001b[0m");
		// colour codes do not shift the columns
		assertThat(coloured.out().replaceAll("\u001b\\[[0-9;]*m", ""))
			.isEqualTo(this.testbed.client().terminal(false).run("report").out());
		Result plain = this.testbed.client().terminal(true).env("NO_COLOR", "1").run("report");
		assertThat(plain.out()).doesNotContain("\u001b");
	}

	@Test
	void reportJsonPrintsTheWholeReportWithFullFinalMessages() {
		Result result = this.testbed.client().run("report", "--json");
		assertThat(result.exitCode()).isZero();
		JsonNode report = JSON.readTree(result.out());
		assertThat(report.get("jobs")).hasSize(4);
		assertThat(report.get("jobs").get(1).get("resultText").stringValue())
			.isEqualTo("I could not make FlakyIT pass: the test database\nneeds a fixed clock.");
		assertThat(report.get("jobs").get(1).get("restoredTo").stringValue()).isEqualTo("dilxc-job-12");
		assertThat(report.get("scheduleEvents").get(1).get("kind").stringValue()).isEqualTo("MISSED");
		assertThat(report.get("totals").get("restored").asInt()).isEqualTo(2);
	}

	@Test
	void reportSinceYesterdayAsksForYesterdayFromMidnightToMidnight() {
		Result result = this.testbed.client().run("report", "--since", "yesterday");
		assertThat(result.exitCode()).isZero();
		assertThat(this.testbed.daemon().onlyRequest().target())
			.isEqualTo("/api/report?since=2026-11-25T23%3A00%3A00Z&until=2026-11-26T23%3A00%3A00Z");
	}

	@Test
	void reportWithNoJobsSaysSoAndStillTotals() {
		this.testbed.routes()
			.json("GET /api/report", 200, new ReportView(NOW.minusSeconds(3600), NOW, List.of(), List.of(),
					new ReportView.Totals(0, 0, 0, 0, 0, 0, BigDecimal.ZERO, 0, 0, 0), List.of()));
		Result result = this.testbed.client().run("report", "--since", "1h");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("""
				Report Fri 27 Nov 07:00 → Fri 27 Nov 08:00 CET (1h)

				no jobs in this window

				Total: 0 jobs; 0 restored
				       cost $0.0000, 0 turns, 0 files changed, run time 0s
				""");
	}

	@Test
	void reportWhenAWindowValueIsBadExitsWithBadInputNamingTheOption() {
		for (String[] argv : List.of(new String[] { "--since", "last week" }, new String[] { "--since", "0h" },
				new String[] { "--until", "2026-02-30" }, new String[] { "--since", "tomorrow" },
				new String[] { "--since", "2026-11-27T09:00" }, new String[] { "--since", "1h", "--until", "2h" })) {
			Result result = this.testbed.client().run(concat("report", argv));
			assertThat(result.exitCode()).as(String.join(" ", argv)).isEqualTo(ExitCodes.BAD_INPUT);
			assertThat(result.err()).as(String.join(" ", argv)).containsPattern("--(since|until)");
		}
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void reportWhenTheDaemonFailsExitsWithItsError() {
		this.testbed.routes().on("GET /api/report", Response.problem(500, "internal-error", "boom"));
		Result result = this.testbed.client().run("report");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.INTERNAL_ERROR);
		assertThat(result.err()).contains("boom");
	}

	private static String[] concat(String first, String[] rest) {
		String[] all = new String[rest.length + 1];
		all[0] = first;
		System.arraycopy(rest, 0, all, 1, rest.length);
		return all;
	}

}
