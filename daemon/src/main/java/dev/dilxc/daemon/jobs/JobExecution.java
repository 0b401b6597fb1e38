package dev.dilxc.daemon.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.api.CommandResult;
import dev.dilxc.api.JobChanges;
import dev.dilxc.api.JobState;
import dev.dilxc.daemon.MonotonicClock;
import dev.dilxc.daemon.StorageFailures;
import dev.dilxc.daemon.leases.SandboxQuarantines;
import dev.dilxc.daemon.lxd.ExecResult;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.lxd.LxdException;
import dev.dilxc.daemon.lxd.MemberUnavailableException;
import dev.dilxc.daemon.sandboxes.AgentSandbox;
import dev.dilxc.daemon.sandboxes.SandboxNotReadyException;
import dev.dilxc.daemon.sandboxes.SandboxPlacement;
import dev.dilxc.daemon.sandboxes.WorkingCopy;
import dev.dilxc.daemon.snapshots.JobSnapshots;

/**
 * One claimed job, from its snapshot to its terminal state: check the sandbox, snapshot
 * it, run the agent while storing its output, stop it from inside the sandbox on timeout
 * or cancel, judge the outcome from the result event, restore per policy, then end the
 * job.
 */
final class JobExecution {

	private static final Logger logger = LoggerFactory.getLogger(JobExecution.class);

	private static final Duration WAIT_SLICE = Duration.ofMillis(200);

	/** Why the worker asked a running job to stop early. */
	enum StopRequest {

		CANCEL, SHUTDOWN

	}

	private final JobRow job;

	private final JobRepository jobs;

	private final AgentSandbox sandboxes;

	private final JobSnapshots snapshots;

	private final JobsProperties properties;

	/**
	 * Stamps what is stored (history, output, states): wall-clock time, shown to the
	 * user.
	 */
	private final Clock clock;

	/**
	 * Measures the job's timeout and the agent's silence, so a wall-clock jump ends no
	 * job.
	 */
	private final MonotonicClock monotonic;

	private final JsonMapper json;

	private final WorkingCopy workingCopy;

	private final ChangeCapture changes;

	/**
	 * Where the working copy was when the agent started, or null if that could not be
	 * recorded: set from the agent's exec, which records it first.
	 */
	private volatile @Nullable String changeBase;

	/** Whether the agent's exec said how recording the change base went. */
	private volatile boolean changeBaseReported;

	/**
	 * The agent's session: the one a resume continues, else a new id given to the CLI
	 * ({@code --session-id}), so that the agent's exec can capture its transcript right
	 * after it.
	 */
	private final String sessionId;

	/** The agent's exit code once its exec said the agent has exited; null until then. */
	private volatile @Nullable Integer agentExit;

	/**
	 * When the agent exited, on the monotonic clock: the capture after it is timed from
	 * there.
	 */
	private volatile long agentExitedAt;

	/**
	 * What the change capture run by the agent's exec after the agent printed; null until
	 * it has.
	 */
	private volatile @Nullable ExecResult capturedInExec;

	private volatile @Nullable StopRequest stopRequest;

	private final SandboxRepair repair;

	private final FreeSpace freeSpace;

	/** Where the sandbox lives when LXD is a cluster, and whether its member answers. */
	private final SandboxPlacement placement;

	private final Duration memberCheckInterval;

	JobExecution(JobRow job, JobRepository jobs, AgentSandbox sandboxes, JobSnapshots snapshots,
			JobsProperties properties, Clock clock, MonotonicClock monotonic, JsonMapper json, WorkingCopy workingCopy,
			ChangeCapture changes, SandboxRepair repair, FreeSpace freeSpace, SandboxPlacement placement,
			Duration memberCheckInterval) {
		this.placement = placement;
		this.memberCheckInterval = memberCheckInterval;
		this.repair = repair;
		this.freeSpace = freeSpace;
		this.workingCopy = workingCopy;
		this.changes = changes;
		this.job = job;
		this.jobs = jobs;
		this.sandboxes = sandboxes;
		this.snapshots = snapshots;
		this.properties = properties;
		this.clock = clock;
		this.monotonic = monotonic;
		this.json = json;
		this.sessionId = (job.resumeSessionId() != null) ? job.resumeSessionId()
				: java.util.UUID.randomUUID().toString();
	}

	long jobId() {
		return this.job.id();
	}

	void requestStop(StopRequest request) {
		if (this.stopRequest == null || request == StopRequest.CANCEL) {
			this.stopRequest = request;
		}
	}

	/**
	 * Runs the job to a terminal state and returns it. Never leaves the job in a
	 * non-terminal state.
	 */
	JobState run() {
		JobState reached = JobState.SNAPSHOTTING;
		try {
			reached = prepare();
			if (reached != JobState.RUNNING) {
				return reached;
			}
			return runAgent();
		}
		catch (TakenOverException ex) {
			JobState now = this.jobs.find(this.job.id()).map(JobRow::state).orElse(reached);
			logger.warn("Job {} was taken over by another daemon (this one was declared dead); it is {} there, and "
					+ "this daemon leaves its sandbox alone", this.job.id(), now);
			return now;
		}
		catch (RuntimeException ex) {
			String reason;
			if (StorageFailures.isStorage(ex)) {
				reason = StorageFailures.describe(ex);
				logger.error("Job {} failed: {}", this.job.id(), reason);
				// Not written now: another failing write would close the database under
				// its readers again.
				throw ex;
			}
			else {
				reason = "internal error: " + ex.getMessage();
				logger.error("Job {} failed unexpectedly", this.job.id(), ex);
			}
			// Should this write fail too, the worker retries the job's end until it can
			// (JobWorker#settleUnwritten).
			JobState current = this.jobs.find(this.job.id()).map(JobRow::state).orElse(reached);
			if (!current.isTerminal()) {
				this.jobs.transition(this.job.id(), current, JobState.FAILED, now(), reason);
			}
			return JobState.FAILED;
		}
	}

	/**
	 * Sandbox check and snapshot; returns RUNNING if the agent may start, else the
	 * terminal state set.
	 */
	private JobState prepare() {
		long id = this.job.id();
		InstanceName sandbox = this.job.instance();
		String away = this.placement.cached().away(sandbox.value());
		if (away != null) {
			return release(away);
		}
		try {
			this.sandboxes.requireRunning(sandbox);
		}
		catch (MemberUnavailableException ex) {
			return release("its cluster member does not answer (" + ex.getMessage() + ")");
		}
		catch (SandboxNotReadyException | LxdException ex) {
			away = this.placement.cached().clustered() ? this.placement.refresh().away(sandbox.value()) : null;
			if (away != null) {
				return release(away);
			}
			return end(JobState.SNAPSHOTTING, JobState.FAILED, ex.getMessage() + "; no snapshot was taken");
		}
		Optional<String> shortage;
		try {
			shortage = this.freeSpace.shortage(sandbox);
		}
		catch (LxdException ex) {
			// The pool's figures are a guard, not a precondition: a job is not refused
			// because they are unreadable.
			logger.warn("Job {}: could not read the free space of sandbox {}'s storage pool: {}", id, sandbox,
					ex.getMessage());
			shortage = Optional.empty();
		}
		if (shortage.isPresent()) {
			return end(JobState.SNAPSHOTTING, JobState.FAILED,
					"not started: " + shortage.get() + "; no snapshot was taken");
		}
		try {
			for (String step : this.snapshots.takePreJob(sandbox, id, now())) {
				this.jobs.addHistory(id, JobState.SNAPSHOTTING, "SNAPSHOT", step, now());
			}
		}
		catch (LxdException ex) {
			return end(JobState.SNAPSHOTTING, JobState.FAILED, "snapshot " + JobSnapshots.preJobName(id)
					+ " failed, so the agent was not started: " + ex.getMessage());
		}
		this.jobs.recordSnapshot(id, JobSnapshots.preJobName(id));
		// After the pre-job snapshot, so a restore undoes the sync as well.
		if (this.job.sync()) {
			String failed = syncProject(sandbox);
			if (failed != null) {
				return end(JobState.SNAPSHOTTING, JobState.FAILED, restoreIfPolicySays(JobState.SNAPSHOTTING,
						JobState.FAILED, failed + "; the agent was not started"));
			}
		}
		if (this.job.resumeSessionId() != null) {
			putBackTranscript(sandbox, this.job.resumeSessionId());
		}
		if (this.stopRequest != null) {
			return end(JobState.SNAPSHOTTING, stoppedState(), stoppedReason() + " before the agent started");
		}
		this.jobs.transition(id, JobState.SNAPSHOTTING, JobState.RUNNING, now(), "agent starting");
		return JobState.RUNNING;
	}

	/**
	 * Puts the job back in the queue, nothing done to its sandbox: its cluster member
	 * went away between the claim and now. It waits there, saying why, until the member
	 * is back.
	 */
	private JobState release(String away) {
		String reason = "waiting: " + away + "; it starts once the member is back";
		logger.warn("Job {}: sandbox {} is out of reach ({}); back in the queue", this.job.id(), this.job.sandbox(),
				away);
		// So the worker sees it too, rather than claim the job again at once.
		this.placement.refresh();
		this.jobs.release(this.job.id(), now(), reason);
		return JobState.QUEUED;
	}

	private JobState runAgent() {
		long id = this.job.id();
		InstanceName sandbox = this.job.instance();
		// The secrets come with the agent's exec, before its first line.
		OutputRecorder recorder = new OutputRecorder(id, this.jobs, this.clock, this.monotonic, Set.of(),
				this.properties.maxOutputBytes().toBytes());
		AgentReport report = new AgentReport(this.json);
		// Elapsed time on the monotonic clock, not a wall-clock deadline: an NTP step or
		// a clock set forward by
		// hours must not end a running job. It stands still while the machine is
		// suspended, so the timeout
		// counts time the machine was awake (a laptop closed overnight does not time out
		// its jobs on resume).
		long started = this.monotonic.nanoTime();
		Duration timeout = Duration.ofSeconds(this.job.timeoutSeconds());
		Duration inactivityLimit = this.properties.inactivityTimeout();
		OptionalInt exit = OptionalInt.empty();
		String timedOut = null;
		String failure = null;
		// Set when LXD restarted or went away under the agent: not the agent's failure.
		String lxdAway = null;
		// Set when the sandbox's cluster member went away: its exec never returns then.
		String memberAway = null;
		// Set when the change capture after the agent, in its exec, took too long.
		boolean captureTimedOut = false;
		long memberCheckedAt = this.monotonic.nanoTime();
		// Asked beside the agent's start rather than before it: off the job's path.
		java.util.concurrent.CompletableFuture<@Nullable Long> lxdPid = java.util.concurrent.CompletableFuture
			.supplyAsync(this::lxdServerPid, (task) -> Thread.ofVirtual().name("lxd-pid-job-" + id).start(task));
		ChangeCapture.CaptureCommand capture = this.changes.captureCommand(this.sessionId);
		try {
			AgentSandbox.AgentSession session = this.sandboxes.startAgent(sandbox, id, this.job.prompt(), cliOptions(),
					this.changes.baseCommand(id), capture.argv(), new AgentSandbox.AgentOutput() {

						@Override
						public void stdout(String line) {
							onStdout(report, recorder, line);
						}

						@Override
						public void stderr(String line) {
							onStderr(recorder, line);
						}

						@Override
						public void secrets(Set<String> values) {
							recorder.addSecrets(values);
						}

						@Override
						public void before(int exitCode, String line) {
							onChangeBase(exitCode, line);
						}

						@Override
						public void agentExited(int exitCode) {
							JobExecution.this.agentExitedAt = JobExecution.this.monotonic.nanoTime();
							JobExecution.this.agentExit = exitCode;
						}

						@Override
						public void after(int exitCode, byte[] stdout, String lastErrorLine) {
							JobExecution.this.capturedInExec = new ExecResult(exitCode,
									new String(stdout, java.nio.charset.StandardCharsets.UTF_8), lastErrorLine);
						}

					}, (int) this.properties.maxLineBytes().toBytes());
			// Once the agent has exited, its exec captures the changes: a stop then waits
			// for that, within the capture's own timeout.
			while (exit.isEmpty() && (this.stopRequest == null || this.agentExit != null)) {
				if (this.agentExit != null) {
					if (this.monotonic.since(this.agentExitedAt).compareTo(this.properties.captureTimeout()) >= 0) {
						captureTimedOut = true;
						break;
					}
				}
				else if (recorder.storageFailure() != null) {
					// Output that cannot be kept is work nobody can review: stop the
					// agent now.
					break;
				}
				else if (this.monotonic.since(started).compareTo(timeout) >= 0) {
					timedOut = "the agent did not finish within the job's timeout of "
							+ formatDuration(this.job.timeoutSeconds());
					break;
				}
				// The CLI's own stream watchdog waits at least 5 minutes per attempt and
				// retries; silence
				// this long means it is stuck, not working (a Bash tool call is capped at
				// 10 minutes).
				else if (recorder.silence().compareTo(inactivityLimit) >= 0) {
					timedOut = "the agent printed nothing for " + formatDuration(inactivityLimit.toSeconds())
							+ " (dilxc.jobs.inactivity-timeout)";
					break;
				}
				if (this.placement.cached().clustered()
						&& this.monotonic.nanoTime() - memberCheckedAt >= this.memberCheckInterval.toNanos()) {
					memberCheckedAt = this.monotonic.nanoTime();
					memberAway = this.placement.current().away(sandbox.value());
					if (memberAway != null) {
						break;
					}
				}
				exit = session.waitFor(WAIT_SLICE);
			}
			if (memberAway != null) {
				// The client of an exec whose member died waits forever and passes
				// SIGTERM on to the command it cannot reach: detach ends it with SIGKILL
				// after a few seconds.
				session.detach();
			}
			if (recorder.storageFailure() != null) {
				// The database takes no writes (a full disk): end the agent without a
				// word to it, and leave
				// the job's end to the worker, which writes it once there is space
				// (JobWorker#settleUnwritten).
				// Every further write now would fail and close the database under the
				// daemon's readers again.
				this.sandboxes.killAgent(sandbox, id);
				if (session.waitFor(Duration.ofSeconds(10)).isEmpty()) {
					session.detach();
				}
				throw new DataAccessResourceFailureException(recorder.storageFailure() + "; " + recorder.linesLost()
						+ " output line(s) could not be stored, so the agent was stopped");
			}
			if (memberAway != null) {
				// Nothing in the sandbox can be reached until the member is back.
			}
			else if (exit.isEmpty()) {
				endAgentProcesses(sandbox, id, this.agentExit != null);
				exit = session.waitFor(Duration.ofSeconds(10));
				if (exit.isEmpty()) {
					session.detach();
				}
			}
			else {
				lxdAway = report.resultSeen() ? null : lxdWentAway(lxdPid.join());
				// The agent's own exec looked for what it left: a second exec only when
				// there is something to end.
				if (lxdAway == null && session.mayHaveLeftProcesses()) {
					endAgentProcesses(sandbox, id, true);
				}
			}
		}
		catch (MemberUnavailableException ex) {
			memberAway = "its cluster member does not answer (" + ex.getMessage() + ")";
		}
		catch (LxdException ex) {
			lxdAway = lxdWentAway(lxdPid.join());
			if (lxdAway == null) {
				failure = "could not run the agent: " + ex.getMessage();
				endAgentProcesses(sandbox, id, false);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			requestStop(StopRequest.SHUTDOWN);
			endAgentProcesses(sandbox, id, false);
		}
		// The agent's own code, also when its exec was cut during the capture after it.
		Integer agentExit = this.agentExit;
		if (agentExit != null) {
			exit = OptionalInt.of(agentExit);
		}
		if (captureTimedOut) {
			this.changeBase = null;
			noChangeCapture("the change capture did not finish within "
					+ formatDuration(this.properties.captureTimeout().toSeconds())
					+ " (dilxc.jobs.capture-timeout) and was ended");
		}
		report.maskResult(recorder::mask);
		this.jobs.recordResult(id, report, exit.isPresent() ? exit.getAsInt() : null);
		this.jobs.recordOutputStats(id, recorder.bytes(), recorder.truncated());
		if (lxdAway == null && memberAway == null && exit.isPresent() && !report.resultSeen()) {
			// An agent cut off with no result: its member may have gone away under it.
			memberAway = this.placement.cached().clustered() ? this.placement.refresh().away(sandbox.value()) : null;
		}
		if (memberAway != null) {
			String member = this.placement.cached().memberOf(sandbox.value()).orElse("?");
			return endAfterLxdWentAway(sandbox, capture, report, recorder,
					"the sandbox went out of reach while the agent ran: " + memberAway, "cluster member " + member,
					() -> this.placement.refresh().away(sandbox.value()) == null && this.sandboxes.answers(sandbox));
		}
		if (lxdAway != null) {
			return endAfterLxdWentAway(sandbox, capture, report, recorder, lxdAway, this.sandboxes.backendName(),
					() -> lxdServerPid() != null);
		}

		JobState outcome;
		String reason;
		if (failure != null) {
			outcome = JobState.FAILED;
			reason = failure;
		}
		else if (this.stopRequest != null && !finishedCleanly(report, exit)) {
			outcome = stoppedState();
			reason = stoppedReason() + " while the agent ran";
		}
		else if (timedOut != null) {
			outcome = JobState.TIMED_OUT;
			reason = timedOut;
		}
		else if (finishedCleanly(report, exit)) {
			outcome = JobState.SUCCEEDED;
			reason = "the agent finished: " + report.subtype();
		}
		else {
			outcome = JobState.FAILED;
			reason = failureReason(report, exit);
		}
		// Before any restore: afterwards, what the agent did is only in the
		// -failed/-after snapshot.
		captureChanges(sandbox, capture, report.sessionId(), recorder);
		reason = restoreIfPolicySays(JobState.RUNNING, outcome, reason);
		this.jobs.transition(id, JobState.RUNNING, outcome, now(), reason);
		applyRetention(sandbox);
		return outcome;
	}

	private void onStdout(AgentReport report, OutputRecorder recorder, String line) {
		try {
			if (report.accept(line)) {
				this.jobs.recordSession(this.job.id(), report.sessionId());
			}
			recorder.append("stdout", line);
		}
		catch (RuntimeException ex) {
			// Never let a storage problem stall the pump: the agent would block on a full
			// pipe.
			logger.error("Could not store output of job {}", this.job.id(), ex);
		}
	}

	/**
	 * Where the working copy was before the agent, as the agent's exec recorded it first
	 * thing: kept for the change capture after the agent.
	 */
	private void onChangeBase(int exitCode, String line) {
		this.changeBaseReported = true;
		try {
			this.changeBase = this.changes.base(exitCode, line);
			this.jobs.recordChangeBase(this.job.id(), this.changeBase);
		}
		catch (RuntimeException ex) {
			noChangeBase(String.valueOf(ex.getMessage()));
		}
	}

	private void noChangeBase(String why) {
		noChangeCapture(
				"could not record the working copy's state, so this job's changes will not be captured: " + why);
	}

	private void noChangeCapture(String why) {
		try {
			this.jobs.addHistory(this.job.id(), JobState.RUNNING, "CHANGES_FAILED", why, now());
		}
		catch (RuntimeException ex) {
			logger.error("Could not store the history of job {}", this.job.id(), ex);
		}
	}

	private void onStderr(OutputRecorder recorder, String line) {
		try {
			recorder.append("stderr", line);
		}
		catch (RuntimeException ex) {
			logger.error("Could not store output of job {}", this.job.id(), ex);
		}
	}

	private static boolean finishedCleanly(AgentReport report, OptionalInt exit) {
		return exit.isPresent() && exit.getAsInt() == 0 && report.resultSeen()
				&& !Boolean.TRUE.equals(report.isError());
	}

	static String failureReason(AgentReport report, OptionalInt exit) {
		String code = exit.isPresent() ? "exited with code " + exit.getAsInt() : "ended with no exit code";
		if (!report.resultSeen()) {
			String last = (report.lastAssistantText() != null)
					? "; its last message: " + excerpt(report.lastAssistantText()) : "";
			return "no result event: the agent " + code + " before reporting a result" + last;
		}
		if (Boolean.TRUE.equals(report.isError())) {
			String text = (report.resultText() != null) ? excerpt(report.resultText()) : "";
			return "the agent reported an error (" + report.subtype() + ", " + code + "): " + text;
		}
		return "the agent " + code + " although its result said " + report.subtype();
	}

	private static String excerpt(String text) {
		String stripped = text.strip();
		return (stripped.length() > 300) ? stripped.substring(0, 300) + "…" : stripped;
	}

	/**
	 * Ends the job's processes inside the sandbox: the agent itself when it is stopped
	 * early (ending the local lxc client alone would leave it running), or, after it
	 * exited by itself, what it left running in the background (a nohup'd server, a
	 * setsid child), so nothing of the job goes on unobserved.
	 */
	private boolean endAgentProcesses(InstanceName sandbox, long id, boolean agentExited) {
		List<Integer> killed;
		try {
			killed = this.sandboxes.killAgent(sandbox, id);
		}
		catch (RuntimeException ex) {
			this.jobs.addHistory(id, JobState.RUNNING, "KILL_FAILED",
					"could not end the agent's processes: " + ex.getMessage(), now());
			// Something of the job may still run: no other job may start beside it.
			this.repair.quarantine(this.job, SandboxQuarantines.Step.KILL,
					"could not end the agent's processes: " + ex.getMessage(), false, JobState.RUNNING);
			return false;
		}
		// Only now, outside the kill's catch: a history row that cannot be written is not
		// a failed kill.
		if (!killed.isEmpty()) {
			this.jobs.addHistory(id, JobState.RUNNING, "PROCESSES_KILLED",
					"ended " + killed.size() + (agentExited ? " process(es) the agent left running after it exited: "
							: " agent process(es) in the sandbox: ") + killed,
					now());
		}
		else if (!agentExited) {
			this.jobs.addHistory(id, JobState.RUNNING, "PROCESSES_KILLED", "no agent process was left in the sandbox",
					now());
		}
		return true;
	}

	/** LXD's daemon pid now, or null when LXD does not answer. */
	private @Nullable Long lxdServerPid() {
		try {
			return this.sandboxes.lxdServerPid();
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Why the agent's session ended through no fault of the agent: LXD restarted (its pid
	 * changed since the agent started) or does not answer; null when LXD is as it was.
	 */
	private @Nullable String lxdWentAway(@Nullable Long pidBefore) {
		try {
			long pid = this.sandboxes.lxdServerPid();
			if (pidBefore != null && pidBefore != 0 && pid != 0 && pid != pidBefore) {
				return this.sandboxes.backendName() + " restarted while the agent ran (its daemon's pid went from "
						+ pidBefore + " to " + pid + ")";
			}
			return null;
		}
		catch (RuntimeException ex) {
			return this.sandboxes.backendName() + " became unreachable while the agent ran (" + ex.getMessage() + ")";
		}
	}

	/**
	 * The agent's session was cut by LXD going away. Waits (bounded) for LXD to answer,
	 * then ends what is left of the agent, keeps its changes, restores per policy and
	 * ends INTERRUPTED; if LXD stays away, the sandbox is quarantined, since nobody can
	 * say what still runs in it.
	 */
	private JobState endAfterLxdWentAway(InstanceName sandbox, ChangeCapture.CaptureCommand capture, AgentReport report,
			OutputRecorder recorder, String away, String what, java.util.function.BooleanSupplier answers) {
		long id = this.job.id();
		Duration bound = this.properties.lxdReturnTimeout();
		this.jobs.addHistory(id, JobState.RUNNING, "LXD_AWAY",
				away + "; waiting up to " + formatDuration(bound.toSeconds()) + " for " + what
						+ " to answer again (dilxc.jobs.lxd-return-timeout)",
				now());
		logger.warn("Job {}: {}; waiting up to {} for {}", id, away, bound, what);
		String reason = away + "; the agent was not re-run";
		if (await(bound, answers)) {
			this.jobs.addHistory(id, JobState.RUNNING, "LXD_BACK", what + " answers again", now());
			if (endAgentProcesses(sandbox, id, false)) {
				reason += "; its leftover processes were ended";
			}
			captureChanges(sandbox, capture, report.sessionId(), recorder);
			reason = restoreIfPolicySays(JobState.RUNNING, JobState.INTERRUPTED, reason);
		}
		else {
			String error = what + " did not answer within " + formatDuration(bound.toSeconds())
					+ " after it went away mid-job";
			this.repair.quarantine(this.job, SandboxQuarantines.Step.LXD_UNREACHABLE, error,
					this.job.restorePolicy().restoresAfter(JobState.INTERRUPTED), JobState.RUNNING);
			reason += "; " + error + ", so the agent's processes could not be ended nor the sandbox restored: sandbox "
					+ "quarantined until a repair succeeds";
		}
		this.jobs.transition(id, JobState.RUNNING, JobState.INTERRUPTED, now(), reason);
		return JobState.INTERRUPTED;
	}

	/**
	 * Asks every second whether LXD (or the sandbox's member) answers, until it does or
	 * {@code bound} has passed (measured on the monotonic clock).
	 */
	private boolean await(Duration bound, java.util.function.BooleanSupplier answers) {
		long end = System.nanoTime() + bound.toNanos();
		while (true) {
			if (answers.getAsBoolean()) {
				return true;
			}
			if (System.nanoTime() - end >= 0) {
				return false;
			}
			try {
				Thread.sleep(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
	}

	/**
	 * The CLI options the job's settings add: the session's id (a new one, or the one a
	 * resume continues) and budget guards.
	 */
	List<String> cliOptions() {
		List<String> options = new java.util.ArrayList<>();
		if (this.job.resumeSessionId() == null) {
			options.addAll(List.of("--session-id", this.sessionId));
		}
		if (this.job.maxTurns() != null) {
			options.addAll(List.of("--max-turns", Integer.toString(this.job.maxTurns())));
		}
		if (this.job.maxBudgetUsd() != null) {
			options.addAll(List.of("--max-budget-usd", this.job.maxBudgetUsd().stripTrailingZeros().toPlainString()));
		}
		if (this.job.resumeSessionId() != null) {
			options.addAll(List.of("--resume", this.job.resumeSessionId()));
		}
		return options;
	}

	/** Runs the project sync; returns why it failed, or null. */
	private @Nullable String syncProject(InstanceName sandbox) {
		long id = this.job.id();
		try {
			CommandResult result = this.workingCopy.syncFromProject(sandbox);
			if (result.exitCode() == 0) {
				this.jobs.addHistory(id, JobState.SNAPSHOTTING, "SYNC", result.summary(), now());
				return null;
			}
			this.jobs.addHistory(id, JobState.SNAPSHOTTING, "SYNC_FAILED", result.summary(), now());
			return "syncing the project into the working copy failed: " + result.summary();
		}
		catch (RuntimeException ex) {
			this.jobs.addHistory(id, JobState.SNAPSHOTTING, "SYNC_FAILED", ex.getMessage(), now());
			return "syncing the project into the working copy failed: " + ex.getMessage();
		}
	}

	/**
	 * A restore of the parent job took the session's transcript with it: put back the
	 * copy kept with its changes, so {@code --resume} finds the conversation.
	 */
	private void putBackTranscript(InstanceName sandbox, String session) {
		long id = this.job.id();
		try {
			var kept = this.jobs.transcriptOfSession(this.job.sandbox(), session);
			if (kept.isEmpty()) {
				this.jobs.addHistory(id, JobState.SNAPSHOTTING, "SESSION",
						"no kept transcript of session " + session + "; resuming from what the sandbox has", now());
				return;
			}
			if (this.changes.restoreTranscript(sandbox, kept.get())) {
				this.jobs.addHistory(id, JobState.SNAPSHOTTING, "SESSION", "put back the transcript of session "
						+ session + " (" + kept.get().path() + "), which a restore had removed", now());
			}
		}
		catch (RuntimeException ex) {
			this.jobs.addHistory(id, JobState.SNAPSHOTTING, "SESSION_FAILED",
					"could not put back the transcript of session " + session + ": " + ex.getMessage(), now());
		}
	}

	/**
	 * Stores the job's changes and transcript: as the agent's exec captured them right
	 * after the agent, or, when it did not get to (the agent was stopped, LXD went away)
	 * or the agent reported another session than it was given, captured now.
	 */
	private void captureChanges(InstanceName sandbox, ChangeCapture.CaptureCommand command, @Nullable String sessionId,
			OutputRecorder recorder) {
		ensureStillOwned();
		if (!this.changeBaseReported) {
			this.changeBaseReported = true;
			noChangeBase("the agent's session ended before it was recorded");
		}
		String base = this.changeBase;
		if (base == null) {
			return;
		}
		ExecResult captured = this.capturedInExec;
		if (captured != null && (sessionId == null || sessionId.equals(command.session()))) {
			this.changes.storeCaptured(this.job.id(), base, command, captured, recorder::mask);
		}
		else {
			this.changes.captureAndStore(sandbox, this.job.id(), base, sessionId, recorder::mask);
		}
	}

	/**
	 * Before the job's end touches its sandbox: a daemon declared dead (stalled past
	 * {@code dilxc.cluster.dead-after}) may find another daemon has settled the job.
	 */
	private void ensureStillOwned() {
		if (!this.jobs.ownedHere(this.job.id())) {
			throw new TakenOverException();
		}
	}

	/** The job was adopted by another daemon: this one stops short of its sandbox. */
	private static final class TakenOverException extends RuntimeException {

		TakenOverException() {
			super(null, null, false, false);
		}

	}

	private String restoreIfPolicySays(JobState current, JobState outcome, String reason) {
		ensureStillOwned();
		if (!this.job.restorePolicy().restoresAfter(outcome)) {
			return reason;
		}
		try {
			for (String step : this.snapshots.keepStateAndRestore(this.job.instance(), this.job.id(),
					outcome == JobState.SUCCEEDED, now())) {
				this.jobs.addHistory(this.job.id(), current, "RESTORE", step, now());
			}
			this.jobs.recordRestoredTo(this.job.id(), JobSnapshots.preJobName(this.job.id()));
			return reason + "; sandbox restored to " + JobSnapshots.preJobName(this.job.id());
		}
		catch (RuntimeException ex) {
			this.jobs.addHistory(this.job.id(), current, "RESTORE_FAILED", ex.getMessage(), now());
			// Never hand a sandbox that is not as the policy said to the next job.
			this.repair.quarantine(this.job, SandboxQuarantines.Step.RESTORE,
					"restoring " + JobSnapshots.preJobName(this.job.id()) + " failed: " + ex.getMessage(), true,
					current);
			return reason + "; restoring the sandbox FAILED: " + ex.getMessage()
					+ "; sandbox quarantined until a repair " + "succeeds";
		}
	}

	private void applyRetention(InstanceName sandbox) {
		try {
			this.snapshots.applyRetention(sandbox, now());
		}
		catch (LxdException ex) {
			logger.warn("Snapshot retention in {} failed: {}", sandbox, ex.getMessage());
		}
	}

	private JobState end(JobState from, JobState to, String reason) {
		this.jobs.transition(this.job.id(), from, to, now(), reason);
		return to;
	}

	private JobState stoppedState() {
		return (this.stopRequest == StopRequest.CANCEL) ? JobState.CANCELLED : JobState.INTERRUPTED;
	}

	private String stoppedReason() {
		return (this.stopRequest == StopRequest.CANCEL) ? "cancelled on request" : "the daemon shut down";
	}

	private Instant now() {
		return this.clock.instant();
	}

	static String formatDuration(long seconds) {
		Duration d = Duration.ofSeconds(seconds);
		StringBuilder text = new StringBuilder();
		if (d.toHours() > 0) {
			text.append(d.toHours()).append('h');
		}
		if (d.toMinutesPart() > 0) {
			text.append(d.toMinutesPart()).append('m');
		}
		if (d.toSecondsPart() > 0 || text.isEmpty()) {
			text.append(d.toSecondsPart()).append('s');
		}
		return text.toString();
	}

}
