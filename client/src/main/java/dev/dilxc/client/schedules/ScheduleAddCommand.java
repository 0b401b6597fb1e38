package dev.dilxc.client.schedules;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.dilxc.api.OverlapPolicy;
import dev.dilxc.api.ScheduleRequest;
import dev.dilxc.api.ScheduleView;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.daemon.DaemonException;
import dev.dilxc.client.jobs.JobOptions;
import dev.dilxc.client.jobs.Prompts;
import dev.dilxc.client.jobs.Timeouts;
import dev.dilxc.client.sandboxes.SandboxSelection;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.StandardStreams;
import dev.dilxc.client.shell.UsageException;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * {@code schedule add --cron EXPR [OPTIONS] PROMPT...}: a recurring job. Prints the
 * schedule's id alone on stdout (for scripts) and, on stderr, what it runs and its next
 * firings. Only the syntax of the options is checked here; the daemon judges the cron
 * expression and the zone.
 */
final class ScheduleAddCommand extends ClientCommand {

	private static final String USAGE = "dilxc-client schedule add --cron '0 2 * * *' \"run the tests and fix what fails\"";

	/** How many next firings it prints. */
	static final int FIRINGS_SHOWN = 3;

	private final DaemonClient daemon;

	private final StandardStreams streams;

	private final SandboxSelection selection;

	private final ScheduleViews views;

	ScheduleAddCommand(DaemonClient daemon, StandardStreams streams, SandboxSelection selection, ScheduleViews views,
			ExitStatusExceptionMapper errors) {
		super("schedule add", REVIEW, "Add a recurring job; print its id and next firings.",
				"--cron EXPR [--tz ZONE] [--sandbox NAME] [--restore POLICY] [--timeout 30m] [--sync]\n"
						+ "       [--overlap skip|queue] [--catch-up 6h] [--max-turns N] [--max-budget-usd X]\n"
						+ "       [--max-daily-cost-usd X] [--] PROMPT...\n"
						+ "       dilxc-client schedule add --cron EXPR [OPTIONS] --prompt-file PATH|-",
				options(), errors);
		setNotes("""
				Cron: a crontab line of 5 fields (minute hour day-of-month month day-of-week: '0 2 * * *' is
				every night at 02:00, '30 6 * * 1-5' weekdays at 06:30), Quartz's 6 or 7 fields (seconds
				first: '0 0 2 * * ?'), or @hourly, @daily, @weekly, @monthly, @yearly. Quote it.
				The zone defaults to the daemon's; across daylight saving time the firings follow the clock.

				Each firing queues one job. If the daemon was down across firings, at most ONE late run is
				made, when the last missed slot is within --catch-up (0 = never); the rest are recorded as
				missed. While the previous run is still going, a firing is skipped (recorded), or with
				--overlap queue it waits its turn. --max-daily-cost-usd stops new runs for the rest of the
				day (the schedule's zone) once its runs have cost that much.

				The sandbox defaults to the selected one (@NAME, DILXC_CONTAINER, .dilxc), else the
				daemon's. The words after the options are the prompt, joined with single spaces.""");
		this.daemon = daemon;
		this.streams = streams;
		this.selection = selection;
		this.views = views;
	}

	private static List<OptionSpec> options() {
		List<OptionSpec> options = new ArrayList<>();
		options.add(OptionSpec.value("cron", "EXPR", "when it runs: '0 2 * * *', '0 0 2 * * ?' or @daily (required)"));
		options.add(OptionSpec.value("tz", "ZONE",
				"the zone of the cron expression, e.g. Europe/Berlin (default: the daemon's)"));
		options.add(JobOptions.SANDBOX);
		options.add(JobOptions.RESTORE);
		options.add(JobOptions.TIMEOUT);
		options.add(JobOptions.SYNC);
		options.add(OptionSpec.value("overlap", "POLICY", "while the previous run is going: skip (default), queue"));
		options.add(OptionSpec.value("catch-up", "DURATION",
				"run a slot missed while the daemon was down once, if at most this late (0 = never)"));
		options.add(JobOptions.MAX_TURNS);
		options.add(JobOptions.MAX_BUDGET);
		options.add(OptionSpec.value("max-daily-cost-usd", "X", "start no more runs today once its runs cost X"));
		options.add(JobOptions.PROMPT_FILE);
		return options;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		ScheduleRequest request = request(input);
		ScheduleView schedule = this.daemon.addSchedule(request);
		out.println(schedule.id());
		out.flush();
		PrintWriter err = this.streams.err();
		err.println("schedule " + schedule.id() + " added: " + ScheduleViews.cron(schedule) + " in sandbox '"
				+ schedule.sandbox() + "'");
		List<Instant> next = upcoming(schedule);
		err.println("next: " + (next.isEmpty() ? "none" : this.views.firings(next, schedule.timeZone())));
		return ok();
	}

	ScheduleRequest request(CommandInput input) {
		String cron = cron(input.option("cron"));
		String zone = input.option("tz");
		if (zone != null && zone.isBlank()) {
			throw new UsageException("--tz needs a zone name, e.g. --tz Europe/Berlin");
		}
		String catchUp = input.option("catch-up");
		String prompt = Prompts.fromWordsOrFile(input, input.arguments(), this.streams.in(), USAGE);
		return new ScheduleRequest(cron, (zone != null) ? zone.strip() : null,
				JobOptions.sandbox(input, this.selection), JobOptions.restorePolicy(input),
				JobOptions.timeoutSeconds(input), JobOptions.sync(input), overlap(input.option("overlap")),
				(catchUp != null) ? Timeouts.parseAllowingZero(catchUp, "catch-up").toSeconds() : null,
				JobOptions.maxTurns(input), JobOptions.maxBudgetUsd(input), JobOptions.usd(input, "max-daily-cost-usd"),
				prompt);
	}

	/**
	 * The next firings from the daemon, or just the one the answer carries if asking
	 * fails.
	 */
	private List<Instant> upcoming(ScheduleView schedule) {
		try {
			List<Instant> upcoming = this.daemon.schedule(schedule.id()).upcoming();
			if (upcoming != null && !upcoming.isEmpty()) {
				return upcoming.subList(0, Math.min(FIRINGS_SHOWN, upcoming.size()));
			}
		}
		catch (DaemonException ex) {
			// the schedule is made; its first firing is enough
		}
		return (schedule.nextFireAt() != null) ? List.of(schedule.nextFireAt()) : List.of();
	}

	private static String cron(@Nullable String cron) {
		if (cron == null || cron.isBlank()) {
			throw new UsageException("missing --cron: say when it runs, e.g. --cron '0 2 * * *' (every night at 02:00) "
					+ "or --cron @daily");
		}
		String expression = cron.strip();
		// an unquoted '--cron 0 2 * * *' leaves one field here and the rest in the prompt
		if (!expression.startsWith("@") && !expression.matches(".*\\s.*")) {
			throw new UsageException("--cron '" + cron + "' is a single field; quote the whole expression: "
					+ "--cron '0 2 * * *' (or use @hourly, @daily, @weekly, @monthly, @yearly)");
		}
		return expression;
	}

	private static @Nullable OverlapPolicy overlap(@Nullable String value) {
		if (value == null) {
			return null;
		}
		try {
			return OverlapPolicy.valueOf(value.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException("invalid --overlap '" + value + "': use skip or queue", ex);
		}
	}

}
