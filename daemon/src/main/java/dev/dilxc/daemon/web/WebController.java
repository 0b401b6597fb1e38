package dev.dilxc.daemon.web;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.ModelAndView;

import dev.dilxc.api.JobChanges;
import dev.dilxc.api.JobDetails;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.OutputLine;
import dev.dilxc.api.OutputPage;
import dev.dilxc.api.QuarantineView;
import dev.dilxc.api.ScheduleView;
import dev.dilxc.daemon.jobs.JobNotFoundException;
import dev.dilxc.daemon.jobs.JobQueue;
import dev.dilxc.daemon.leases.SandboxQuarantines;
import dev.dilxc.daemon.schedules.Schedules;
import tools.jackson.databind.json.JsonMapper;

/**
 * The morning review in a browser: the job list, one job with its rendered log and its
 * diff, the schedules. Read-only (GET and HEAD only). Every value reaches the page
 * through Mustache's {@code {{...}}}, which HTML-escapes it: prompts, log text and diffs
 * come from the user and the agent.
 */
@Controller
class WebController {

	static final int LIST_LIMIT = 200;

	/** A page has room for a long log, but not for an endless one. */
	static final int LOG_LINE_LIMIT = 20_000;

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	private final JobQueue jobs;

	private final Schedules schedules;

	private final SandboxQuarantines quarantines;

	private final LogEntries log;

	private final ZoneId zone;

	WebController(JobQueue jobs, Schedules schedules, SandboxQuarantines quarantines) {
		this.jobs = jobs;
		this.schedules = schedules;
		this.quarantines = quarantines;
		this.log = new LogEntries(JsonMapper.shared());
		this.zone = ZoneId.systemDefault();
	}

	@GetMapping({ "/ui", "/ui/", "/ui/jobs" })
	ModelAndView jobList() {
		List<Map<String, Object>> rows = this.jobs.list(null, null, LIST_LIMIT).stream().map(this::row).toList();
		Map<String, Object> model = page("Jobs", "jobs");
		model.put("jobs", rows);
		model.put("none", rows.isEmpty());
		attention(model, this.quarantines.views());
		return new ModelAndView("ui/jobs", model);
	}

	@GetMapping("/ui/jobs/{id}")
	ModelAndView job(@PathVariable long id) {
		JobDetails details = this.jobs.details(id);
		JobView job = details.job();
		Map<String, Object> model = page("Job " + id, "jobs");
		model.put("job", row(job));
		model.put("facts", facts(job));
		attention(model,
				this.quarantines.find(job.sandbox()).map(SandboxQuarantines.Quarantine::view).stream().toList());
		model.put("history",
				details.history()
					.stream()
					.map((entry) -> Map.of("at", time(entry.at()), "state", entry.state().name(), "event",
							entry.event(), "detail", text(entry.detail())))
					.toList());
		List<OutputLine> output = output(id);
		model.put("log", this.log.of(output));
		model.put("logCut", output.size() >= LOG_LINE_LIMIT);
		java.util.Optional<String> pruned = this.jobs.pruned(id);
		model.put("pruned", pruned.isPresent());
		model.put("prunedNote", pruned.orElse(""));
		JobChanges changes = this.jobs.changes(id).orElse(null);
		model.put("changes", changes != null);
		if (changes != null) {
			model.put("git", changes.gitRepository());
			model.put("status", text(changes.status()));
			model.put("diffStat", text(changes.diffStat()));
			model.put("diff", DiffLines.of(changes.diff()));
			model.put("diffTruncated", changes.diffTruncated());
			model.put("files", changes.files());
		}
		return new ModelAndView("ui/job", model);
	}

	@GetMapping("/ui/schedules")
	ModelAndView scheduleList() {
		List<Map<String, Object>> rows = this.schedules.list().stream().map(this::schedule).toList();
		Map<String, Object> model = page("Schedules", "schedules");
		model.put("schedules", rows);
		model.put("none", rows.isEmpty());
		return new ModelAndView("ui/schedules", model);
	}

	@ExceptionHandler(JobNotFoundException.class)
	@ResponseStatus(HttpStatus.NOT_FOUND)
	ModelAndView jobNotFound(JobNotFoundException ex) {
		Map<String, Object> model = page("Job not found", "jobs");
		model.put("message", ex.getMessage());
		return new ModelAndView("ui/not-found", model, HttpStatus.NOT_FOUND);
	}

	private List<OutputLine> output(long id) {
		List<OutputLine> lines = new ArrayList<>();
		long after = 0;
		while (lines.size() < LOG_LINE_LIMIT) {
			OutputPage page = this.jobs.output(id, after, Math.min(5000, LOG_LINE_LIMIT - lines.size()));
			if (page.lines().isEmpty()) {
				break;
			}
			lines.addAll(page.lines());
			after = page.next();
		}
		return lines;
	}

	private static Map<String, Object> page(String title, String section) {
		Map<String, Object> model = new HashMap<>();
		model.put("title", title);
		model.put("onJobs", section.equals("jobs"));
		model.put("onSchedules", section.equals("schedules"));
		return model;
	}

	/**
	 * The "needs attention" banner: one entry per quarantined sandbox, with what failed
	 * and the way out.
	 */
	private void attention(Map<String, Object> model, List<QuarantineView> quarantined) {
		model.put("quarantined", quarantined.stream().map(this::quarantine).toList());
		model.put("anyQuarantined", !quarantined.isEmpty());
	}

	private Map<String, Object> quarantine(QuarantineView view) {
		Map<String, Object> entry = new HashMap<>();
		entry.put("sandbox", view.sandbox());
		entry.put("step", view.step());
		entry.put("error", text(view.error()));
		entry.put("hasJob", view.jobId() != null);
		entry.put("jobId", (view.jobId() != null) ? view.jobId() : 0);
		entry.put("since", time(view.since()));
		entry.put("attempts", view.attempts());
		entry.put("lastError", text(view.lastError()));
		entry.put("hasLastError", view.attempts() > 0 && view.lastError() != null && !view.lastError().isEmpty());
		entry.put("nextAttempt", time(view.nextAttemptAt()));
		entry.put("repair", "dilxc-client repair @" + view.sandbox());
		return entry;
	}

	private Map<String, Object> row(JobView job) {
		Map<String, Object> row = new HashMap<>();
		row.put("id", job.id());
		row.put("state", job.state().name());
		row.put("stateClass", stateClass(job.state()));
		row.put("sandbox", job.sandbox());
		// in an LXD or Incus cluster, the member holding its sandbox
		row.put("hasMember", job.member() != null);
		row.put("member", text(job.member()));
		row.put("trigger", text(job.trigger()));
		row.put("prompt", text(job.prompt()));
		row.put("promptCut", cut(text(job.prompt()).replaceAll("\\s+", " "), 80));
		row.put("started", time(job.startedAt()));
		row.put("duration", duration(job.startedAt(), job.finishedAt()));
		row.put("cost", cost(job.costUsd()));
		return row;
	}

	private List<Map<String, String>> facts(JobView job) {
		List<Map<String, String>> facts = new ArrayList<>();
		// while queued, a reason says why it waits (its cluster member is away)
		fact(facts, (job.state() == JobState.QUEUED) ? "Why it waits" : "Reason", job.reason());
		fact(facts, "Submitted", time(job.submittedAt()));
		fact(facts, "Started", time(job.startedAt()));
		fact(facts, "Finished", time(job.finishedAt()));
		fact(facts, "Duration", duration(job.startedAt(), job.finishedAt()));
		fact(facts, "Cost", cost(job.costUsd()));
		fact(facts, "Turns", (job.numTurns() != null) ? job.numTurns().toString() : null);
		fact(facts, "Restore policy", job.restorePolicy().name().toLowerCase(java.util.Locale.ROOT));
		fact(facts, "Snapshot", job.snapshot());
		fact(facts, "Restored to", job.restoredTo());
		fact(facts, "Files changed", (job.filesChanged() != null) ? job.filesChanged().toString() : null);
		fact(facts, "Exit code", (job.exitCode() != null) ? job.exitCode().toString() : null);
		fact(facts, "Session", job.sessionId());
		fact(facts, "Schedule", (job.scheduleId() != null) ? job.scheduleId().toString() : null);
		fact(facts, "Parent job", (job.parentJobId() != null) ? job.parentJobId().toString() : null);
		return facts;
	}

	private static void fact(List<Map<String, String>> facts, String name, @Nullable String value) {
		if (value != null && !value.isEmpty()) {
			facts.add(Map.of("name", name, "value", value));
		}
	}

	private Map<String, Object> schedule(ScheduleView view) {
		Map<String, Object> row = new HashMap<>();
		row.put("id", view.id());
		row.put("cron", view.cron());
		row.put("zone", view.timeZone());
		row.put("sandbox", view.sandbox());
		row.put("prompt", cut(text(view.prompt()).replaceAll("\\s+", " "), 80));
		row.put("paused", view.paused());
		row.put("next", view.paused() ? "paused" : time(view.nextFireAt()));
		row.put("lastFired", time(view.lastFiredAt()));
		row.put("lastJob", view.lastJobId() != null);
		row.put("lastJobId", (view.lastJobId() != null) ? view.lastJobId() : 0);
		row.put("lastState", (view.lastJobState() != null) ? view.lastJobState().name() : "");
		row.put("lastStateClass", (view.lastJobState() != null) ? stateClass(view.lastJobState()) : "");
		return row;
	}

	static String stateClass(JobState state) {
		return switch (state) {
			case SUCCEEDED -> "ok";
			case QUEUED, SNAPSHOTTING, RUNNING -> "busy";
			case CANCELLED -> "muted";
			default -> "bad";
		};
	}

	private String time(@Nullable Instant instant) {
		return (instant != null) ? TIME.format(instant.atZone(this.zone)) : "";
	}

	private static String duration(@Nullable Instant start, @Nullable Instant end) {
		if (start == null || end == null) {
			return "";
		}
		Duration d = Duration.between(start, end);
		return (d.toMinutes() > 0) ? d.toMinutes() + " min " + d.toSecondsPart() + " s"
				: d.toSeconds() + "." + d.toMillisPart() / 100 + " s";
	}

	private static String cost(@Nullable BigDecimal cost) {
		return (cost != null) ? "$" + cost.setScale(2, RoundingMode.HALF_UP).toPlainString() : "";
	}

	private static String text(@Nullable String text) {
		return (text != null) ? text : "";
	}

	private static String cut(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max - 1) + "…";
	}

}
