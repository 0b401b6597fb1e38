package dev.dilxc.client.jobs;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.dilxc.api.JobDetails;
import dev.dilxc.api.JobHistoryEntry;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.render.Fields;
import dev.dilxc.client.render.Formats;
import dev.dilxc.client.render.JsonOutput;
import dev.dilxc.client.render.Table;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/** {@code job ID [--json]}: everything about one job, then its history. */
public final class JobCommand extends ClientCommand {

	private final DaemonClient daemon;

	private final Formats formats;

	private final JsonOutput json;

	public JobCommand(DaemonClient daemon, Formats formats, JsonOutput json, ExitStatusExceptionMapper errors) {
		super("job", "Show one job in detail, with its history.", "[--json] ID",
				List.of(OptionSpec.flag("json", "print the job and its history as JSON")), errors);
		this.daemon = daemon;
		this.formats = formats;
		this.json = json;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		long id = input.jobId();
		JobDetails details = this.daemon.job(id);
		if (input.flag("json")) {
			this.json.print(details, out);
			return ok();
		}
		lines(details).forEach(out::println);
		return ok();
	}

	List<String> lines(JobDetails details) {
		JobView job = details.job();
		List<String[]> fields = new ArrayList<>();
		fields.add(field("id", job.id()));
		fields.add(field("sandbox", job.sandbox()));
		fields.add(field("state", job.state()));
		// while queued, a reason says why it waits (its cluster member is away)
		boolean waits = job.state() == JobState.QUEUED && job.reason() != null;
		if (waits) {
			fields.add(field("why it waits", job.reason()));
		}
		fields.add(field("prompt", job.prompt()));
		fields.add(field("trigger", Triggers.describe(job)));
		fields
			.add(field("schedule",
					(job.scheduleId() != null)
							? "#" + job.scheduleId()
									+ ((job.scheduledFor() != null)
											? " (slot " + this.formats.fullTime(job.scheduledFor()) + ")" : "")
							: null));
		fields.add(field("parent job", (job.parentJobId() != null) ? "#" + job.parentJobId() : null));
		fields.add(field("restore policy", (job.restorePolicy() != null) ? job.restorePolicy().cliName() : null));
		fields.add(field("timeout", Timeouts.format(job.timeoutSeconds())));
		fields.add(field("max turns", job.maxTurns()));
		fields.add(field("max budget", Formats.usd(job.maxBudgetUsd())));
		fields.add(field("sync", job.sync() ? "yes" : "no"));
		fields.add(field("submitted", this.formats.fullTime(job.submittedAt())));
		fields.add(field("started", this.formats.fullTime(job.startedAt())));
		fields.add(field("daemon", job.daemon()));
		if (job.member() != null) {
			fields.add(field("member", job.member()));
		}
		fields.add(field("finished", this.formats.fullTime(job.finishedAt())));
		fields.add(field("duration", this.formats.elapsed(job.startedAt(), job.finishedAt())));
		fields.add(field("snapshot", job.snapshot()));
		fields.add(field("session id", job.sessionId()));
		fields.add(field("cost", Formats.cost(job.costUsd())));
		fields.add(field("turns", job.numTurns()));
		fields.add(field("result", result(job)));
		fields.add(field("result text", job.resultText()));
		fields.add(field("files changed", job.filesChanged()));
		fields.add(field("restored to", job.restoredTo()));
		fields.add(field("exit code", job.exitCode()));
		if (!waits) {
			fields.add(field("reason", job.reason()));
		}
		fields.add(field("cancel requested", job.cancelRequested() ? "yes" : "no"));
		fields.add(field("output lines", job.outputLines() + (job.outputTruncated() ? " (truncated)" : "")));
		List<String> lines = Fields.lines(fields);
		lines.add("");
		lines.add("history:");
		if (details.history() == null || details.history().isEmpty()) {
			lines.add("  (none)");
			return lines;
		}
		Table history = new Table(List.of("TIME", "STATE", "EVENT", "DETAIL"), Set.of());
		for (JobHistoryEntry entry : details.history()) {
			history.row(List.of(this.formats.fullTime(entry.at()), Formats.orNone(entry.state()),
					Formats.orNone(entry.event()), Formats.orNone(entry.detail())));
		}
		history.lines().forEach(line -> lines.add("  " + line));
		return lines;
	}

	private static @Nullable String result(JobView job) {
		if (job.resultSubtype() == null && job.resultIsError() == null) {
			return null;
		}
		return Formats.orNone(job.resultSubtype()) + " (is_error=" + Formats.orNone(job.resultIsError()) + ")";
	}

	private static String[] field(String name, @Nullable Object value) {
		return new String[] { name, Formats.orNone(value) };
	}

}
