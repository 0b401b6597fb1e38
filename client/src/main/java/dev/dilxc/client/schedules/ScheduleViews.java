package dev.dilxc.client.schedules;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.dilxc.api.JobState;
import dev.dilxc.api.ScheduleDetails;
import dev.dilxc.api.ScheduleEvent;
import dev.dilxc.api.ScheduleView;
import dev.dilxc.client.jobs.Timeouts;
import dev.dilxc.client.render.Ansi;
import dev.dilxc.client.render.Fields;
import dev.dilxc.client.render.Formats;
import dev.dilxc.client.render.Table;
import dev.dilxc.client.render.TerminalText;
import org.jspecify.annotations.Nullable;

/**
 * How schedules look: the {@code schedules} table, {@code schedule show}, the next
 * firings.
 */
final class ScheduleViews {

	private final Formats formats;

	ScheduleViews(Formats formats) {
		this.formats = formats;
	}

	/**
	 * {@code Fri 28 Nov 02:00 CET, Sat 29 Nov 02:00 CET}: firings in the schedule's zone.
	 */
	String firings(List<Instant> firings, @Nullable String zone) {
		ZoneId id = this.formats.zoneOr(zone);
		return firings.stream().map(at -> Formats.dayTimeZone(at, id)).collect(Collectors.joining(", "));
	}

	/** {@code 0 2 * * * (Europe/Berlin)}. */
	static String cron(ScheduleView schedule) {
		return schedule.cron() + ((schedule.timeZone() != null) ? " (" + schedule.timeZone() + ")" : "");
	}

	/** {@code Fri 27 Nov 02:00 #13 FAILED}, or {@code -} before the first run. */
	String lastRun(ScheduleView schedule) {
		if (schedule.lastFiredAt() == null && schedule.lastJobId() == null) {
			return Formats.NONE;
		}
		StringBuilder text = new StringBuilder(
				Formats.dayTime(schedule.lastFiredAt(), this.formats.zoneOr(schedule.timeZone())));
		if (schedule.lastJobId() != null) {
			text.append(" #").append(schedule.lastJobId());
		}
		if (schedule.lastJobState() != null) {
			text.append(' ').append(schedule.lastJobState());
		}
		return text.toString();
	}

	/**
	 * The schedules as a table, the prompt cut to fit {@code width}, last runs coloured
	 * by their outcome.
	 */
	List<String> table(List<ScheduleView> schedules, int width, Ansi ansi) {
		Table table = new Table(List.of("ID", "CRON", "SANDBOX", "NEXT", "LAST RUN", "PAUSED", "PROMPT"), Set.of(0));
		for (ScheduleView schedule : schedules) {
			table.row(List.of(Long.toString(schedule.id()), cron(schedule), Formats.orNone(schedule.sandbox()),
					schedule.paused() ? Formats.NONE
							: Formats.dayTimeZone(schedule.nextFireAt(), this.formats.zoneOr(schedule.timeZone())),
					lastRun(schedule), schedule.paused() ? "yes" : "no", (schedule.prompt() != null)
							? TerminalText.firstLine(schedule.prompt(), Integer.MAX_VALUE) : Formats.NONE));
		}
		table.style(4, text -> colourState(text, ansi));
		table.style(5, text -> text.equals("yes") ? ansi.yellow(text) : text);
		return table.lines(width);
	}

	/**
	 * {@code schedule show}: its fields, its next firings, then its events, newest first.
	 */
	List<String> details(ScheduleDetails details) {
		ScheduleView schedule = details.schedule();
		ZoneId zone = this.formats.zoneOr(schedule.timeZone());
		List<String[]> fields = new ArrayList<>();
		fields.add(field("id", schedule.id()));
		fields.add(field("cron", schedule.cron()));
		if (schedule.quartzCron() != null && !schedule.quartzCron().equals(schedule.cron())) {
			fields.add(field("runs as (Quartz)", schedule.quartzCron()));
		}
		fields.add(field("time zone", schedule.timeZone()));
		fields.add(field("sandbox", schedule.sandbox()));
		fields.add(field("prompt", schedule.prompt()));
		fields.add(field("paused", schedule.paused() ? "yes" : "no"));
		fields.add(field("next", schedule.paused() ? "- (paused)" : Formats.dayTimeZone(schedule.nextFireAt(), zone)));
		fields.add(field("last run", lastRun(schedule)));
		fields.add(field("restore policy",
				(schedule.restorePolicy() != null) ? schedule.restorePolicy().cliName() : null));
		fields.add(field("timeout", Timeouts.format(schedule.timeoutSeconds())));
		fields.add(field("sync", schedule.sync() ? "yes" : "no"));
		fields.add(field("overlap", (schedule.overlap() != null)
				? schedule.overlap().name().toLowerCase(Locale.ROOT) + overlapHint(schedule) : null));
		fields.add(field("catch-up",
				(schedule.catchUpSeconds() > 0)
						? "a missed slot runs once if at most " + Timeouts.format(schedule.catchUpSeconds()) + " late"
						: "never (missed slots are recorded)"));
		fields.add(field("max turns", schedule.maxTurns()));
		fields.add(field("max budget", Formats.usd(schedule.maxBudgetUsd())));
		fields.add(field("max daily cost", (schedule.maxDailyCostUsd() != null)
				? Formats.usd(schedule.maxDailyCostUsd()) + " a day (" + zone.getId() + ")" : null));
		fields.add(field("created", this.formats.fullTime(schedule.createdAt())));
		List<String> lines = Fields.lines(fields);
		lines.add("");
		lines.add("upcoming:");
		if (schedule.paused() || details.upcoming() == null || details.upcoming().isEmpty()) {
			lines.add(schedule.paused() ? "  (none while paused)" : "  (none)");
		}
		else {
			details.upcoming().forEach(at -> lines.add("  " + Formats.dayTimeZone(at, zone)));
		}
		lines.add("");
		lines.add("events:");
		if (details.events() == null || details.events().isEmpty()) {
			lines.add("  (none)");
			return lines;
		}
		Table events = new Table(List.of("TIME", "EVENT", "SLOT", "JOB", "DETAIL"), Set.of());
		for (ScheduleEvent event : details.events()) {
			events
				.row(List.of(this.formats.fullTime(event.at()), kind(event.kind()), Formats.dayTime(event.slot(), zone),
						(event.jobId() != null) ? "#" + event.jobId() : Formats.NONE, Formats.orNone(event.detail())));
		}
		events.lines().forEach(line -> lines.add("  " + line));
		return lines;
	}

	private static String overlapHint(ScheduleView schedule) {
		return switch (schedule.overlap()) {
			case SKIP -> " (a firing while the last run is going is skipped)";
			case QUEUE -> " (a firing while the last run is going queues behind it)";
		};
	}

	/**
	 * An event kind in words: {@code MISSED} is {@code missed}, {@code SKIPPED_OVERLAP}
	 * {@code skipped (overlap)}.
	 */
	static String kind(@Nullable String kind) {
		if (kind == null) {
			return Formats.NONE;
		}
		String words = kind.toLowerCase(Locale.ROOT);
		if (words.startsWith("skipped_")) {
			return "skipped (" + words.substring("skipped_".length()).replace('_', ' ') + ")";
		}
		return words.replace('_', ' ');
	}

	/** Colours a job state at the end of {@code text}. */
	static String colourState(String text, Ansi ansi) {
		return ansi.stateCell(text);
	}

	private static String[] field(String name, @Nullable Object value) {
		return new String[] { name, Formats.orNone(value) };
	}

}
