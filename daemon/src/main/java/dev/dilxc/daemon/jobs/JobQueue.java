package dev.dilxc.daemon.jobs;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;

import org.springframework.stereotype.Service;

import dev.dilxc.api.JobChanges;
import dev.dilxc.api.JobDetails;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.OutputLine;
import dev.dilxc.api.OutputPage;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.cluster.DatabaseStore;
import dev.dilxc.daemon.leases.UnfinishedJobs;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.sandboxes.SandboxPlacement;

/**
 * The jobs feature's API: submit, cancel, and read jobs, their history and their output.
 */
@Service
public class JobQueue implements UnfinishedJobs {

	/**
	 * The largest {@code --max-turns} accepted: a run of more turns is not a guard any
	 * more.
	 */
	static final int MAX_TURNS = 10_000;

	/** A session id as Claude Code makes them; never one that could read as an option. */
	private static final java.util.regex.Pattern SESSION_ID = java.util.regex.Pattern
		.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

	private final JobRepository jobs;

	private final JobWorker worker;

	private final JobsProperties properties;

	private final Clock clock;

	private final JobEvents events;

	private final Retention retention;

	/**
	 * Whether other daemons write to the same store: their output lines ring no bell
	 * here.
	 */
	private final boolean shared;

	JobQueue(JobRepository jobs, JobWorker worker, JobsProperties properties, Clock clock, JobEvents events,
			Retention retention, DatabaseStore store, SandboxPlacement placement) {
		this.placement = placement;
		this.shared = store.shared();
		this.events = events;
		this.retention = retention;
		this.jobs = jobs;
		this.worker = worker;
		this.properties = properties;
		this.clock = clock;
	}

	private final SandboxPlacement placement;

	/**
	 * The job as the API shows it: a queued job names the cluster member its sandbox is
	 * on now (as last seen; no LXD call), a claimed one the member it ran on.
	 */
	private JobView view(JobRow job) {
		if (job.member() == null && job.state() == JobState.QUEUED) {
			return job.toView(this.placement.cached().memberOf(job.sandbox()).orElse(null));
		}
		return job.toView();
	}

	/**
	 * Validates and stores a manual job; once this returns, the job survives any crash.
	 */
	public JobView submit(SubmitJobRequest request) {
		return submit(request, JobOrigin.MANUAL);
	}

	/**
	 * Validates and stores a job made by {@code origin}. If another job already has the
	 * origin's idempotency key, that job is returned and nothing is stored (also when two
	 * submits race: the database's UNIQUE key decides).
	 */
	public JobView submit(SubmitJobRequest request, JobOrigin origin) {
		Objects.requireNonNull(origin, "origin");
		Objects.requireNonNull(origin.trigger(), "origin.trigger");
		if (origin.idempotencyKey() != null) {
			Optional<JobRow> existing = this.jobs.findByIdempotencyKey(origin.idempotencyKey());
			if (existing.isPresent()) {
				return view(existing.get());
			}
		}
		return store(validate(request, origin, null));
	}

	/**
	 * Checks a request as {@link #submit} would and returns it with the daemon's defaults
	 * filled in (sandbox, restore policy, timeout, sync), storing nothing: a schedule's
	 * runs are checked when it is added, by the same rules.
	 */
	public SubmitJobRequest validate(SubmitJobRequest request) {
		NewJob job = validate(request, JobOrigin.MANUAL, null);
		return new SubmitJobRequest(job.prompt(), job.sandbox(), job.restorePolicy(), job.timeoutSeconds(),
				job.maxTurns(), job.maxBudgetUsd(), job.sync());
	}

	/**
	 * A new job with the same prompt, sandbox and options as job {@code id} (trigger
	 * {@code retry}).
	 */
	public JobView retry(long id) {
		JobRow parent = find(id);
		JobOrigin origin = new JobOrigin("retry", null, null, id, null);
		return store(new NewJob(parent.sandbox(), parent.prompt(), parent.restorePolicy(), parent.timeoutSeconds(),
				parent.maxTurns(), parent.maxBudgetUsd(), parent.sync(), origin, parent.resumeSessionId()));
	}

	/**
	 * A new job that continues job {@code id}'s Claude Code session with {@code prompt}
	 * in the same sandbox, directory and user (trigger {@code resume}); invalid-request
	 * when that job has no session id.
	 */
	public JobView resume(long id, @Nullable String prompt) {
		JobRow parent = find(id);
		if (parent.sessionId() == null || parent.sessionId().isBlank()) {
			throw new InvalidJobRequestException("job " + id + " has no Claude Code session id (its agent never "
					+ "started, or ended before it reported one), so there is nothing to resume: submit a new job, or "
					+ "retry it with 'dilxc-client retry " + id + "'");
		}
		if (!SESSION_ID.matcher(parent.sessionId()).matches()) {
			throw new InvalidJobRequestException("job " + id + "'s session id '" + parent.sessionId()
					+ "' is not one Claude Code gives (letters, digits, '-' and '_'), so it cannot be resumed");
		}
		// The parent's sandbox and guards; never a sync, which would rewrite the files
		// the session worked on.
		SubmitJobRequest request = new SubmitJobRequest(prompt, parent.sandbox(), parent.restorePolicy(),
				parent.timeoutSeconds(), parent.maxTurns(), parent.maxBudgetUsd(), false);
		return store(validate(request, new JobOrigin("resume", null, null, id, null), parent.sessionId()));
	}

	/**
	 * What job {@code id} changed in the working copy, empty when none were captured or
	 * retention pruned them ({@link #pruned}); {@link JobNotFoundException} for no such
	 * job.
	 */
	public Optional<JobChanges> changes(long id) {
		if (find(id).prunedAt() != null) {
			return Optional.empty(); // at most a transcript is left, kept for a resume
		}
		return this.jobs.changes(id);
	}

	/**
	 * Why job {@code id} has no output or changes any more, when retention pruned them;
	 * empty while they are kept.
	 */
	public Optional<String> pruned(long id) {
		JobRow job = find(id);
		return Optional.ofNullable(job.prunedAt()).map((at) -> this.retention.prunedMessage(id, at));
	}

	/** Jobs submitted in {@code [since, until)}, oldest first. */
	public List<JobView> submittedBetween(Instant since, Instant until) {
		return this.jobs.submittedBetween(since, until).stream().map(this::view).toList();
	}

	/** The schedule's jobs that are QUEUED, SNAPSHOTTING or RUNNING, oldest first. */
	public List<JobView> unfinishedOfSchedule(long scheduleId) {
		return this.jobs.ofSchedule(scheduleId, List.of(JobState.QUEUED, JobState.SNAPSHOTTING, JobState.RUNNING))
			.stream()
			.map(this::view)
			.toList();
	}

	/**
	 * The summed cost of the schedule's jobs submitted at or after {@code since} (zero
	 * when none).
	 */
	public BigDecimal costOfSchedule(long scheduleId, Instant since) {
		return this.jobs.costOfSchedule(scheduleId, since);
	}

	/** The schedule's most recent job, if any. */
	public Optional<JobView> lastOfSchedule(long scheduleId) {
		return this.jobs.lastOfSchedule(scheduleId).map(this::view);
	}

	private JobView store(NewJob job) {
		long id;
		try {
			id = this.jobs.insert(job, this.clock.instant());
		}
		catch (DuplicateKeyException ex) {
			String key = job.origin().idempotencyKey();
			if (key == null) {
				throw ex;
			}
			// Lost a race for the key: the winner's job is the answer.
			return this.jobs.findByIdempotencyKey(key).map(this::view).orElseThrow(() -> ex);
		}
		this.worker.wake();
		return view(id);
	}

	private NewJob validate(SubmitJobRequest request, JobOrigin origin, @Nullable String resumeSessionId) {
		String prompt = request.prompt();
		if (prompt == null || prompt.isBlank()) {
			throw new InvalidJobRequestException((resumeSessionId != null)
					? "the prompt is empty: say how the agent should go on, e.g. dilxc-client resume "
							+ origin.parentJobId() + " \"now fix the failing test too\""
					: "the prompt is empty: say what the agent should do, e.g. dilxc-client submit \"fix the failing tests\"");
		}
		if (prompt.indexOf('\0') >= 0) {
			throw new InvalidJobRequestException(
					"the prompt contains a NUL byte, which cannot be passed to Claude Code; remove it");
		}
		long size = prompt.getBytes(StandardCharsets.UTF_8).length;
		if (size > this.properties.maxPromptBytes().toBytes()) {
			throw new InvalidJobRequestException("the prompt is " + size + " bytes, more than the limit of "
					+ this.properties.maxPromptBytes().toBytes()
					+ " bytes: shorten it, or put the details in a file in the project and point to it");
		}
		String sandbox = (request.sandbox() != null && !request.sandbox().isBlank()) ? request.sandbox()
				: this.properties.defaultSandbox();
		try {
			new InstanceName(sandbox);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidJobRequestException(ex.getMessage());
		}
		RestorePolicy policy = (request.restorePolicy() != null) ? request.restorePolicy()
				: this.properties.restorePolicy();
		long timeout = (request.timeoutSeconds() != null) ? request.timeoutSeconds()
				: this.properties.defaultTimeout().toSeconds();
		if (timeout <= 0 || timeout > this.properties.maxTimeout().toSeconds()) {
			throw new InvalidJobRequestException("the timeout must be between 1s and "
					+ JobExecution.formatDuration(this.properties.maxTimeout().toSeconds()) + ", not " + timeout + "s");
		}
		Integer maxTurns = request.maxTurns();
		if (maxTurns != null && (maxTurns < 1 || maxTurns > MAX_TURNS)) {
			throw new InvalidJobRequestException("max-turns must be between 1 and " + MAX_TURNS + ", not " + maxTurns
					+ " (leave it out for no limit)");
		}
		BigDecimal budget = request.maxBudgetUsd();
		if (budget != null) {
			BigDecimal limit = this.properties.maxBudgetUsd();
			if (budget.signum() <= 0 || budget.compareTo(limit) > 0) {
				throw new InvalidJobRequestException("max-budget-usd must be more than 0 and at most "
						+ limit.toPlainString() + " (dilxc.jobs.max-budget-usd), not " + budget.toPlainString());
			}
			if (budget.stripTrailingZeros().scale() > 6) {
				throw new InvalidJobRequestException(
						"max-budget-usd has more than 6 decimal places: " + budget.toPlainString());
			}
		}
		boolean sync = Boolean.TRUE.equals(request.sync());
		return new NewJob(sandbox, prompt, policy, timeout, maxTurns, budget, sync, origin, resumeSessionId);
	}

	/**
	 * Cancels a job: a queued one at once, a running one by asking its execution to end
	 * the agent (the job then ends CANCELLED, its sandbox restored per policy).
	 */
	public JobView cancel(long id) {
		JobRow job = find(id);
		if (job.state() == JobState.QUEUED) {
			try {
				this.jobs.transition(id, JobState.QUEUED, JobState.CANCELLED, this.clock.instant(),
						"cancelled on request before it started");
				this.events.finished(id);
				return view(id);
			}
			catch (IllegalJobTransitionException ex) {
				job = find(id); // the worker claimed it meanwhile
			}
		}
		if (job.state().isTerminal()) {
			throw new JobAlreadyFinishedException(id, job.state());
		}
		if (this.jobs.requestCancel(id)) {
			this.jobs.addHistory(id, job.state(), "CANCEL_REQUESTED", "cancel requested", this.clock.instant());
			this.worker.requestStop(id, JobExecution.StopRequest.CANCEL);
		}
		return view(id);
	}

	/** The sandbox a submit that names none runs in. */
	public String defaultSandbox() {
		return this.properties.defaultSandbox();
	}

	public JobView view(long id) {
		return view(find(id));
	}

	public JobDetails details(long id) {
		return new JobDetails(view(id), this.jobs.history(id));
	}

	public List<JobView> list(@Nullable JobState state, @Nullable String sandbox, int limit) {
		return this.jobs.list(state, sandbox, Math.max(1, Math.min(limit, 1000))).stream().map(this::view).toList();
	}

	/**
	 * The sandbox's jobs that have not ended (QUEUED, SNAPSHOTTING, RUNNING), oldest
	 * first: what a destroy, restore or snapshot delete must not pull the sandbox from
	 * under.
	 */
	public List<JobView> unfinished(String sandbox) {
		return this.jobs.unfinishedIn(sandbox).stream().map(this::view).toList();
	}

	@Override
	public List<Pending> of(String sandbox) {
		return unfinished(sandbox).stream()
			.map((job) -> new Pending(job.id(), job.state().name().toLowerCase(java.util.Locale.ROOT)))
			.toList();
	}

	/** How many jobs wait for their sandbox. */
	public int queueDepth() {
		return this.jobs.countInState(JobState.QUEUED);
	}

	/** The jobs that hold a sandbox now (SNAPSHOTTING or RUNNING), oldest first. */
	public List<JobView> active() {
		return this.jobs.inStates(JobState.SNAPSHOTTING, JobState.RUNNING).stream().map(this::view).toList();
	}

	public OutputPage output(long id, long after, int limit) {
		JobState state = find(id).state();
		List<OutputLine> lines = this.jobs.output(id, Math.max(0, after), Math.max(1, Math.min(limit, 5000)));
		long next = lines.isEmpty() ? Math.max(0, after) : lines.get(lines.size() - 1).seq();
		return new OutputPage(id, lines, next, state);
	}

	/**
	 * The longest a request may wait for new output: well inside any HTTP client's read
	 * timeout.
	 */
	static final Duration MAX_OUTPUT_WAIT = Duration.ofSeconds(25);

	/**
	 * How often a waiting follower looks for lines that another daemon stored (a
	 * PostgreSQL store).
	 */
	static final Duration SHARED_STORE_LOOK_AGAIN = Duration.ofMillis(250);

	/**
	 * As {@link #output(long, long, int)}, but while the job is unfinished and has
	 * nothing after {@code after}, waits up to {@code wait} (at most
	 * {@link #MAX_OUTPUT_WAIT}) for a line or its end, and answers as soon as one is
	 * stored: a following client sees each line when it is stored, with no poll interval
	 * in between.
	 */
	public OutputPage output(long id, long after, int limit, Duration wait) throws InterruptedException {
		long end = System.nanoTime() + Math.min(Math.max(0, wait.toMillis()), MAX_OUTPUT_WAIT.toMillis()) * 1_000_000;
		while (true) {
			// Read the signal before the page, so a line stored in between is never slept
			// through.
			long seen = this.jobs.changes().version();
			OutputPage page = output(id, after, limit);
			long left = end - System.nanoTime();
			if (!page.lines().isEmpty() || page.state().isTerminal() || left <= 0) {
				return page;
			}
			// A line stored by another daemon rings no bell here: look again soon.
			this.jobs.changes()
				.awaitChange(seen,
						Duration.ofNanos(this.shared ? Math.min(left, SHARED_STORE_LOOK_AGAIN.toNanos()) : left));
		}
	}

	private JobRow find(long id) {
		return this.jobs.find(id).orElseThrow(() -> new JobNotFoundException(id));
	}

}
