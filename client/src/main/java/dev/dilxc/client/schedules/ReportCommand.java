package dev.dilxc.client.schedules;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.dilxc.api.JobView;
import dev.dilxc.api.QuarantineView;
import dev.dilxc.api.ReportView;
import dev.dilxc.api.ScheduleEvent;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.jobs.Timeouts;
import dev.dilxc.client.jobs.Triggers;
import dev.dilxc.client.render.Ansi;
import dev.dilxc.client.render.Formats;
import dev.dilxc.client.render.JsonOutput;
import dev.dilxc.client.render.Quarantines;
import dev.dilxc.client.render.Table;
import dev.dilxc.client.render.TerminalText;
import dev.dilxc.client.sandboxes.HostEnvironment;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * {@code report [--since X] [--until Y] [--json]}: the morning review on one screen.
 * First the sandboxes that need attention (quarantined: no job starts in them until
 * repaired); then every job submitted in the window with what made it, how it ended, what
 * it cost and changed, whether it was rolled back, and the agent's last words; then the
 * schedule firings that made no job (missed, skipped); then totals. It exits 0 whatever
 * the jobs did: it is a report.
 */
final class ReportCommand extends ClientCommand {

	private final DaemonClient daemon;

	private final Clock clock;

	private final JsonOutput json;

	private final HostEnvironment host;

	ReportCommand(DaemonClient daemon, Clock clock, JsonOutput json, HostEnvironment host,
			ExitStatusExceptionMapper errors) {
		super("report", REVIEW, "What ran, what it cost and changed, what failed and was restored.",
				"[--since 12h|yesterday|today|DATE|TIME] [--until ...] [--json]",
				List.of(OptionSpec.value("since", "WHEN", "start of the window (default 12h: the last 12 hours)"),
						OptionSpec.value("until", "WHEN",
								"end of the window (default now; a day ends at its midnight)"),
						OptionSpec.flag("json", "print the report as JSON, final messages in full")),
				errors);
		setNotes("""
				WHEN: a duration back from now (12h, 90m, 2d), today, yesterday, a date (2026-11-27: that
				day, local midnight to midnight), or a time (2026-11-27T02:00 local, 2026-11-27T01:00Z).
				'--since yesterday' is all of yesterday; '--since 2026-11-25 --until 2026-11-26' two days.
				Then 'dilxc-client diff ID' shows what a job changed, 'retry ID' runs it again, and
				'resume ID PROMPT' continues its session.""");
		this.daemon = daemon;
		this.clock = clock;
		this.json = json;
		this.host = host;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		input.noArguments();
		ReportWindow window = ReportWindow.parse(input.option("since"), input.option("until"), this.clock);
		ReportView report = this.daemon.report(window.since(), window.until());
		if (input.flag("json")) {
			this.json.print(report, out);
		}
		else {
			lines(report, this.host.columns(), new Ansi(this.host.colour())).forEach(out::println);
		}
		return ok();
	}

	List<String> lines(ReportView report, int width, Ansi ansi) {
		ZoneId zone = this.clock.getZone();
		List<String> lines = new ArrayList<>();
		Instant until = (report.until() != null) ? report.until() : this.clock.instant();
		lines.add("Report " + Formats.dayTime(report.since(), zone) + " → " + Formats.dayTimeZone(until, zone) + " ("
				+ Timeouts.format(Duration.between(report.since(), until).toSeconds()) + ")");
		lines.add("");
		List<QuarantineView> quarantined = Quarantines.of(report.quarantined());
		if (!quarantined.isEmpty()) {
			// First: these sandboxes take no job until someone acts, whatever the window
			// shows.
			Formats formats = new Formats(this.clock);
			lines.add(ansi.red("Needs attention")
					+ " (quarantined: no job starts in these sandboxes until they are repaired):");
			for (QuarantineView quarantine : quarantined) {
				lines.add("  " + TerminalText.oneLine(quarantine.sandbox()) + ": " + Quarantines.failure(quarantine)
						+ " (since " + Formats.dayTime(quarantine.since(), zone) + ") — "
						+ Quarantines.nextStep(quarantine, formats));
			}
			lines.add("");
		}
		List<JobView> jobs = (report.jobs() != null) ? report.jobs() : List.of();
		if (jobs.isEmpty()) {
			lines.add("no jobs in this window");
		}
		else {
			Table table = new Table(List.of("ID", "TIME", "SANDBOX", "TRIGGER", "OUTCOME", "DURATION", "COST", "TURNS",
					"FILES", "RESTORED", "FINAL MESSAGE"), Set.of(0, 5, 6, 7, 8));
			for (JobView job : jobs) {
				table.row(List.of(Long.toString(job.id()),
						Formats.dayTime((job.startedAt() != null) ? job.startedAt() : job.submittedAt(), zone),
						Formats.orNone(job.sandbox()), Triggers.describe(job), Formats.orNone(job.state()),
						duration(job), Formats.cost(job.costUsd()), Formats.orNone(job.numTurns()),
						Formats.orNone(job.filesChanged()), restored(job), finalMessage(job)));
			}
			table.style(4, text -> ScheduleViews.colourState(text, ansi));
			lines.addAll(table.lines(width));
		}
		List<ScheduleEvent> events = (report.scheduleEvents() != null) ? report.scheduleEvents() : List.of();
		if (!events.isEmpty()) {
			lines.add("");
			lines.add("Schedule firings that made no job:");
			Table table = new Table(List.of("TIME", "SCHEDULE", "EVENT", "SLOT", "DETAIL"), Set.of());
			for (ScheduleEvent event : events) {
				table.row(List.of(Formats.dayTime(event.at(), zone), "#" + event.scheduleId(),
						ScheduleViews.kind(event.kind()), Formats.dayTime(event.slot(), zone),
						Formats.orNone(event.detail())));
			}
			table.style(2, ansi::yellow);
			lines.addAll(table.lines(width));
		}
		lines.add("");
		lines.addAll(totals(report.totals(), ansi));
		return lines;
	}

	private String duration(JobView job) {
		if (job.startedAt() == null) {
			return Formats.NONE;
		}
		Instant end = (job.finishedAt() != null) ? job.finishedAt() : this.clock.instant();
		Duration duration = Duration.between(job.startedAt(), end);
		return Formats.duration(duration.isNegative() ? Duration.ZERO : duration);
	}

	private static String restored(JobView job) {
		if (job.restoredTo() != null) {
			return "→ " + job.restoredTo();
		}
		return (job.state() != null && job.state().isTerminal()) ? "no" : Formats.NONE;
	}

	/**
	 * The agent's final text, else why the job ended (it may never have reached the
	 * agent).
	 */
	private static String finalMessage(JobView job) {
		if (job.resultText() != null && !job.resultText().isBlank()) {
			return TerminalText.firstLine(job.resultText(), Integer.MAX_VALUE);
		}
		if (job.reason() != null && !job.reason().isBlank()) {
			return "(" + TerminalText.firstLine(job.reason(), Integer.MAX_VALUE) + ")";
		}
		return Formats.NONE;
	}

	private static List<String> totals(ReportView.Totals totals, Ansi ansi) {
		if (totals == null) {
			return List.of();
		}
		List<String> outcomes = new ArrayList<>();
		if (totals.succeeded() > 0) {
			outcomes.add(ansi.green(totals.succeeded() + " succeeded"));
		}
		if (totals.failed() > 0) {
			outcomes.add(ansi.red(totals.failed() + " failed"));
		}
		if (totals.cancelled() > 0) {
			outcomes.add(ansi.yellow(totals.cancelled() + " cancelled"));
		}
		if (totals.unfinished() > 0) {
			outcomes.add(ansi.cyan(totals.unfinished() + " unfinished"));
		}
		String jobs = totals.jobs() + ((totals.jobs() == 1) ? " job" : " jobs")
				+ (outcomes.isEmpty() ? "" : ": " + String.join(", ", outcomes)) + "; " + totals.restored()
				+ " restored";
		String work = "cost " + Formats.cost(totals.costUsd()) + ", " + totals.turns() + " turns, "
				+ totals.filesChanged() + " files changed, run time "
				+ Formats.duration(Duration.ofSeconds(totals.runSeconds()));
		return List.of("Total: " + jobs, "       " + work);
	}

}
