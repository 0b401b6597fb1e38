package dev.dilxc.daemon.jobs;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import org.springframework.stereotype.Service;

import dev.dilxc.api.JobDetails;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.OutputPage;
import dev.dilxc.api.OutputLine;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.lxd.InstanceName;

/** The jobs feature's API: submit, cancel, and read jobs, their history and their output. */
@Service
public class JobQueue {

	private final JobRepository jobs;

	private final JobWorker worker;

	private final JobsProperties properties;

	private final Clock clock;

	JobQueue(JobRepository jobs, JobWorker worker, JobsProperties properties, Clock clock) {
		this.jobs = jobs;
		this.worker = worker;
		this.properties = properties;
		this.clock = clock;
	}

	/** Validates and stores a manual job; once this returns, the job survives any crash. */
	public JobView submit(SubmitJobRequest request) {
		return submitManual(request); // jobs4: becomes submit(request, JobOrigin.MANUAL)
	}

	// Contract placeholders for issue #4: the wt-jobs4 branch implements these; none may survive to main.

	/**
	 * Validates and stores a job made by {@code origin}. If another job already has the origin's
	 * idempotency key, that job is returned and nothing is stored.
	 */
	public JobView submit(SubmitJobRequest request, JobOrigin origin) {
		throw new UnsupportedOperationException("TODO jobs4");
	}

	/** A new job with the same prompt, sandbox and options as job {@code id} (trigger {@code retry}). */
	public JobView retry(long id) {
		throw new UnsupportedOperationException("TODO jobs4");
	}

	/**
	 * A new job that continues job {@code id}'s Claude Code session with {@code prompt} in the same sandbox,
	 * directory and user (trigger {@code resume}); invalid-request when that job has no session id.
	 */
	public JobView resume(long id, String prompt) {
		throw new UnsupportedOperationException("TODO jobs4");
	}

	/** What job {@code id} changed in the working copy; {@link JobNotFoundException} for no such job. */
	public java.util.Optional<dev.dilxc.api.JobChanges> changes(long id) {
		throw new UnsupportedOperationException("TODO jobs4");
	}

	/** Jobs submitted in {@code [since, until)}, oldest first. */
	public List<JobView> submittedBetween(java.time.Instant since, java.time.Instant until) {
		throw new UnsupportedOperationException("TODO jobs4");
	}

	/** The schedule's jobs that are QUEUED, SNAPSHOTTING or RUNNING. */
	public List<JobView> unfinishedOfSchedule(long scheduleId) {
		throw new UnsupportedOperationException("TODO jobs4");
	}

	/** The summed cost of the schedule's jobs submitted at or after {@code since}. */
	public java.math.BigDecimal costOfSchedule(long scheduleId, java.time.Instant since) {
		throw new UnsupportedOperationException("TODO jobs4");
	}

	/** The schedule's most recent job, if any. */
	public java.util.Optional<JobView> lastOfSchedule(long scheduleId) {
		throw new UnsupportedOperationException("TODO jobs4");
	}

	private JobView submitManual(SubmitJobRequest request) {
		String prompt = request.prompt();
		if (prompt == null || prompt.isBlank()) {
			throw new InvalidJobRequestException("the prompt is empty: say what the agent should do, e.g. "
					+ "dilxc-client submit \"fix the failing tests\"");
		}
		if (prompt.indexOf('\0') >= 0) {
			throw new InvalidJobRequestException("the prompt contains a NUL byte, which cannot be passed to Claude Code; remove it");
		}
		long size = prompt.getBytes(StandardCharsets.UTF_8).length;
		if (size > this.properties.maxPromptBytes().toBytes()) {
			throw new InvalidJobRequestException("the prompt is " + size + " bytes, more than the limit of "
					+ this.properties.maxPromptBytes().toBytes() + " bytes: shorten it, or put the details in a file in the project and point to it");
		}
		String sandbox = (request.sandbox() != null && !request.sandbox().isBlank()) ? request.sandbox()
				: this.properties.defaultSandbox();
		try {
			new InstanceName(sandbox);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidJobRequestException(ex.getMessage());
		}
		RestorePolicy policy = (request.restorePolicy() != null) ? request.restorePolicy() : this.properties.restorePolicy();
		long timeout = (request.timeoutSeconds() != null) ? request.timeoutSeconds()
				: this.properties.defaultTimeout().toSeconds();
		if (timeout <= 0 || timeout > this.properties.maxTimeout().toSeconds()) {
			throw new InvalidJobRequestException("the timeout must be between 1s and "
					+ JobExecution.formatDuration(this.properties.maxTimeout().toSeconds()) + ", not " + timeout + "s");
		}
		long id = this.jobs.insert(sandbox, prompt, policy, timeout, this.clock.instant());
		this.worker.wake();
		return view(id);
	}

	/**
	 * Cancels a job: a queued one at once, a running one by asking its execution to end the agent
	 * (the job then ends CANCELLED, its sandbox restored per policy).
	 */
	public JobView cancel(long id) {
		JobRow job = find(id);
		if (job.state() == JobState.QUEUED) {
			try {
				this.jobs.transition(id, JobState.QUEUED, JobState.CANCELLED, this.clock.instant(), "cancelled on request before it started");
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
		return find(id).toView();
	}

	public JobDetails details(long id) {
		return new JobDetails(view(id), this.jobs.history(id));
	}

	public List<JobView> list(JobState state, String sandbox, int limit) {
		return this.jobs.list(state, sandbox, Math.max(1, Math.min(limit, 1000))).stream().map(JobRow::toView).toList();
	}

	/**
	 * The sandbox's jobs that have not ended (QUEUED, SNAPSHOTTING, RUNNING), oldest first: what a
	 * destroy, restore or snapshot delete must not pull the sandbox from under.
	 */
	public List<JobView> unfinished(String sandbox) {
		return this.jobs.inStates(JobState.QUEUED, JobState.SNAPSHOTTING, JobState.RUNNING).stream()
			.filter((job) -> job.sandbox().equals(sandbox))
			.map(JobRow::toView)
			.toList();
	}

	public OutputPage output(long id, long after, int limit) {
		JobState state = find(id).state();
		List<OutputLine> lines = this.jobs.output(id, Math.max(0, after), Math.max(1, Math.min(limit, 5000)));
		long next = lines.isEmpty() ? Math.max(0, after) : lines.get(lines.size() - 1).seq();
		return new OutputPage(id, lines, next, state);
	}

	private JobRow find(long id) {
		return this.jobs.find(id).orElseThrow(() -> new JobNotFoundException(id));
	}
}
