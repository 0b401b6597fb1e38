package dev.dilxc.client.jobs;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.QuarantineView;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.daemon.DaemonException;
import dev.dilxc.client.render.Formats;
import dev.dilxc.client.render.JsonOutput;
import dev.dilxc.client.render.Quarantines;
import dev.dilxc.client.render.Ansi;
import dev.dilxc.client.render.Table;
import dev.dilxc.client.sandboxes.HostEnvironment;
import dev.dilxc.client.render.TerminalText;
import dev.dilxc.client.sandboxes.SandboxSelection;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.UsageException;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * {@code jobs [--state S] [--sandbox NAME] [--limit N] [--json]}: the job list, newest
 * first.
 */
public final class JobsCommand extends ClientCommand {

	static final int PROMPT_WIDTH = 40;

	private final DaemonClient daemon;

	private final Formats formats;

	private final JsonOutput json;

	private final SandboxSelection selection;

	private final HostEnvironment host;

	public JobsCommand(DaemonClient daemon, Formats formats, JsonOutput json, SandboxSelection selection,
			HostEnvironment host, ExitStatusExceptionMapper errors) {
		super("jobs", "List jobs, newest first (only the selected sandbox's, if one is selected).",
				"[--state STATE] [--sandbox NAME | --all] [--limit N] [--json]",
				List.of(OptionSpec.value("state", "STATE", "only jobs in this state: " + stateNames()), OptionSpec
					.value("sandbox", "NAME",
							"only jobs of this sandbox (default: the one selected by @NAME, DILXC_CONTAINER or .dilxc)"),
						OptionSpec.flag("all", "jobs of every sandbox"),
						OptionSpec.value("limit", "N", "at most N jobs"),
						OptionSpec.flag("json", "print the jobs as a JSON array")),
				errors);
		this.daemon = daemon;
		this.formats = formats;
		this.json = json;
		this.selection = selection;
		this.host = host;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		input.noArguments();
		JobState state = state(input.option("state"));
		String sandbox = input.option("sandbox");
		if (sandbox != null && input.flag("all")) {
			throw new UsageException("give --sandbox NAME or --all, not both");
		}
		if (sandbox == null && !input.flag("all")) {
			// only a sandbox the user selected narrows the list; with none, every
			// sandbox's jobs
			SandboxSelection.Selected selected = this.selection.resolve(input.atSandbox());
			sandbox = selected.isExplicit() ? selected.name() : null;
		}
		Integer limit = input.positiveInt("limit");
		List<JobView> jobs = this.daemon.jobs(state, sandbox, limit);
		if (input.flag("json")) {
			this.json.print(jobs, out);
		}
		else {
			Ansi ansi = new Ansi(this.host.colour());
			if (jobs.isEmpty()) {
				out.println("no jobs");
			}
			else {
				table(jobs, ansi).lines().forEach(out::println);
			}
			for (QuarantineView quarantine : quarantined(sandbox)) {
				out.println("Warning: " + Quarantines.line(quarantine, this.formats, ansi));
			}
		}
		return ok();
	}

	/**
	 * The quarantined sandboxes (only the listed one's when the list is narrowed to a
	 * sandbox): their queued jobs wait until they are repaired. The warning is an extra:
	 * if the daemon cannot say, the list stands alone.
	 */
	private List<QuarantineView> quarantined(@Nullable String sandbox) {
		try {
			return Quarantines.of(this.daemon.quarantined())
				.stream()
				.filter((quarantine) -> sandbox == null || sandbox.equals(quarantine.sandbox()))
				.toList();
		}
		catch (DaemonException ex) {
			return List.of();
		}
	}

	/**
	 * The jobs as a table, states coloured when {@code ansi} is on (a terminal without
	 * NO_COLOR).
	 */
	Table table(List<JobView> jobs, Ansi ansi) {
		// Which daemon ran each job matters once several share the history (a PostgreSQL
		// store): the column appears when the listed jobs ran on more than one.
		boolean daemons = jobs.stream().map(JobsCommand::daemonName).filter(Objects::nonNull).distinct().count() > 1;
		// In an LXD or Incus cluster, the member holding each job's sandbox.
		boolean members = jobs.stream().anyMatch((job) -> job.member() != null);
		List<String> headers = new ArrayList<>(
				List.of("ID", "SANDBOX", "STATE", "TRIGGER", "STARTED", "DURATION", "COST", "TURNS", "PROMPT"));
		if (members) {
			headers.add(4, "MEMBER");
		}
		if (daemons) {
			headers.add(4, "DAEMON");
		}
		Set<Integer> right = Set.of(0, headers.indexOf("DURATION"), headers.indexOf("COST"), headers.indexOf("TURNS"));
		Table table = new Table(headers, right);
		for (JobView job : jobs) {
			List<String> row = new ArrayList<>(List.of(Long.toString(job.id()), Formats.orNone(job.sandbox()),
					Formats.orNone(job.state()), Triggers.describe(job), this.formats.shortTime(job.startedAt()),
					this.formats.elapsed(job.startedAt(), job.finishedAt()), Formats.cost(job.costUsd()),
					Formats.orNone(job.numTurns()),
					(job.prompt() != null) ? TerminalText.firstLine(job.prompt(), PROMPT_WIDTH) : Formats.NONE));
			if (members) {
				row.add(4, member(job));
			}
			if (daemons) {
				row.add(4, Formats.orNone(daemonName(job)));
			}
			table.row(row);
		}
		table.style(2, ansi::stateCell);
		return table;
	}

	/**
	 * The member holding the job's sandbox; {@code (away)} for a queued job that waits
	 * because it cannot be reached.
	 */
	private static String member(JobView job) {
		boolean waits = job.state() == JobState.QUEUED && job.reason() != null;
		return Formats.orNone(job.member()) + (waits ? " (away)" : "");
	}

	/** The daemon's name, without the suffix each of its starts adds. */
	static @Nullable String daemonName(JobView job) {
		String daemon = job.daemon();
		if (daemon == null) {
			return null;
		}
		int suffix = daemon.lastIndexOf(':');
		return TerminalText.oneLine((suffix > 0) ? daemon.substring(0, suffix) : daemon);
	}

	static @Nullable JobState state(@Nullable String value) {
		if (value == null) {
			return null;
		}
		try {
			return JobState.valueOf(value.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException("unknown --state '" + value + "': use one of " + stateNames(), ex);
		}
	}

	private static String stateNames() {
		return Arrays.stream(JobState.values())
			.map(state -> state.name().toLowerCase(Locale.ROOT))
			.collect(Collectors.joining(", "));
	}

}
