package dev.dilxc.daemon.jobs;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.dilxc.api.JobState;
import dev.dilxc.daemon.LogContext;
import dev.dilxc.daemon.StorageFailures;
import dev.dilxc.daemon.cluster.ClusterProperties;
import dev.dilxc.daemon.cluster.DaemonRegistry;
import dev.dilxc.daemon.leases.SandboxQuarantines;
import dev.dilxc.daemon.sandboxes.SandboxPlacement;

/**
 * Claims queued jobs and runs each on its own virtual thread. {@link #pollOnce()} does
 * one round of claiming; the daemon calls it from a loop, woken on submit and on job end,
 * and tests call it by hand. On start it first settles jobs that a previous daemon left
 * mid-run.
 */
@Component
class JobWorker implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(JobWorker.class);

	private final JobRepository jobs;

	private final JobExecutions executions;

	private final JobsProperties properties;

	private final Clock clock;

	private final JobRecovery recovery;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	/** A job this worker is running: its execution, and the state it will end in. */
	private record Running(JobExecution execution, CompletableFuture<JobState> outcome) {
	}

	private final Map<Long, Running> running = new ConcurrentHashMap<>();

	/**
	 * Jobs whose end could not be written (the database failed, a full disk), with why:
	 * see settleUnwritten.
	 */
	private final Map<Long, String> unwritten = new ConcurrentHashMap<>();

	/**
	 * The poll's failure being reported, so an outage is logged once and its end once,
	 * not every second.
	 */
	private @Nullable String pollFailure;

	private final Semaphore wakeUp = new Semaphore(0);

	private volatile boolean active;

	private @Nullable Thread loop;

	private final JobEvents events;

	private final SandboxRepair repair;

	private final SandboxQuarantines quarantines;

	private final FreeSpace freeSpace;

	private final DaemonRegistry daemons;

	private final ClusterProperties cluster;

	/** When the loop last looked for dead daemons (System.nanoTime). */
	private long lastDeathWatch = System.nanoTime();

	private final SandboxPlacement placement;

	/**
	 * The cluster member last written to this daemon's row, so it is written on change.
	 */
	private @Nullable String recordedMember;

	JobWorker(JobRepository jobs, JobExecutions executions, JobsProperties properties, Clock clock,
			JobRecovery recovery, JobEvents events, SandboxRepair repair, SandboxQuarantines quarantines,
			FreeSpace freeSpace, DaemonRegistry daemons, ClusterProperties cluster, SandboxPlacement placement) {
		this.placement = placement;
		this.daemons = daemons;
		this.cluster = cluster;
		this.freeSpace = freeSpace;
		this.repair = repair;
		this.quarantines = quarantines;
		this.events = events;
		this.jobs = jobs;
		this.executions = executions;
		this.properties = properties;
		this.clock = clock;
		this.recovery = recovery;
	}

	/**
	 * Claims every job that may start now (oldest queued job of each idle sandbox, within
	 * the global limit) and starts it. Returns the started jobs' eventual terminal
	 * states.
	 */
	synchronized List<CompletableFuture<JobState>> pollOnce() {
		List<CompletableFuture<JobState>> started = new ArrayList<>();
		int free = this.properties.maxConcurrentJobs() - this.jobs.countActive();
		if (free <= 0) {
			return started;
		}
		if (this.freeSpace.dataDirectoryShort()) {
			// Queued jobs wait (status says why) rather than be claimed, which is a write
			// a full disk refuses.
			return started;
		}
		List<JobRow> candidates = this.jobs.claimable(free);
		SandboxPlacement.Placement placement = candidates.isEmpty() ? this.placement.cached()
				: this.placement.current();
		if (placement.clustered()) {
			candidates = inCluster(placement, free);
		}
		else if (this.recordedMember != null) {
			this.daemons.recordLxdMember(null);
			this.recordedMember = null;
		}
		for (JobRow job : candidates) {
			String member = placement.memberOf(job.sandbox()).orElse(null);
			if (!this.jobs.claim(job, this.clock.instant(), member)) {
				continue;
			}
			JobExecution execution = this.executions.forJob(job);
			CompletableFuture<JobState> outcome = new CompletableFuture<>();
			// Registered before it starts, so a job that ends at once is never left
			// behind in the map.
			this.running.put(job.id(), new Running(execution, outcome));
			this.executor.execute(() -> {
				try (LogContext log = LogContext.job(job.id(), job.sandbox())) {
					logger.info("Job {} claimed ({} in sandbox {})", job.id(), job.trigger(), job.sandbox());
					JobState state = execution.run();
					if (state == JobState.QUEUED) {
						// Released before anything was done (its cluster member went
						// away): it waits in the queue, so nobody hears of an end.
						logger.info("Job {} is queued again", job.id());
						outcome.complete(state);
						return;
					}
					logger.info("Job {} ended {}", job.id(), state);
					// Terminal and restored by now; listeners hear it before anyone
					// waiting on the outcome.
					this.events.finished(job.id());
					outcome.complete(state);
				}
				catch (RuntimeException | Error ex) {
					if (StorageFailures.isStorage(ex)) {
						// Its end could not be written: retried each loop until the
						// database takes it.
						this.unwritten.put(job.id(), StorageFailures.describe(ex));
					}
					outcome.completeExceptionally(ex);
				}
				finally {
					this.running.remove(job.id());
					wake();
				}
			});
			started.add(outcome);
		}
		return started;
	}

	/**
	 * The jobs to claim when the sandboxes live in an LXD or Incus cluster: none whose
	 * member is away (they wait, and say why on the job), those of this daemon's own
	 * member first, and none whose member has a daemon of its own until that daemon has
	 * had {@code dilxc.cluster.local-claim-grace} to take it.
	 */
	private List<JobRow> inCluster(SandboxPlacement.Placement placement, int free) {
		String me = placement.thisMember();
		if (!me.equals(this.recordedMember)) {
			this.daemons.recordLxdMember(me);
			this.recordedMember = me;
		}
		this.jobs.noteWaiting(placement::away, this.clock.instant());
		java.util.Set<String> membersWithDaemons = new java.util.HashSet<>();
		String self = this.daemons.self().id();
		if (!this.cluster.localClaimGrace().isZero()) {
			for (DaemonRegistry.Member daemon : this.daemons.live()) {
				if (!daemon.id().equals(self) && daemon.lxdMember() != null) {
					membersWithDaemons.add(daemon.lxdMember());
				}
			}
		}
		java.time.Instant leftToOthersUntil = this.clock.instant().minus(this.cluster.localClaimGrace());
		return this.jobs.claimable(free, (job) -> {
			if (placement.away(job.sandbox()) != null) {
				return false;
			}
			String member = placement.memberOf(job.sandbox()).orElse(null);
			boolean anotherDaemonsMember = member != null && !member.equals(me) && membersWithDaemons.contains(member);
			return !anotherDaemonsMember || job.submittedAt().isBefore(leftToOthersUntil);
		}, java.util.Comparator.comparing((JobRow job) -> !placement.local(job.sandbox())).thenComparing(JobRow::id));
	}

	/**
	 * Retries the repair of every quarantined sandbox whose retry is due; one that
	 * succeeds wakes the loop, so the sandbox's queued jobs start at once. Returns
	 * whether each attempt succeeded.
	 */
	List<CompletableFuture<Boolean>> retryQuarantined() {
		List<CompletableFuture<Boolean>> attempts = this.repair.retryDue();
		attempts.forEach((attempt) -> attempt.thenAccept((repaired) -> {
			if (repaired) {
				wake();
			}
		}));
		return attempts;
	}

	/**
	 * Ends, now that the database may be writable again, every job whose end could not be
	 * written: FAILED with the storage error, and its sandbox quarantined (step STORAGE)
	 * so that the repair ends what is left of the job and restores it as its policy says
	 * before another job gets it. Returns the ids settled.
	 */
	List<Long> settleUnwritten() {
		List<Long> settled = new ArrayList<>();
		if (this.unwritten.isEmpty() || this.freeSpace.dataDirectoryShort()) {
			// A write that fails closes the database under its readers: only tried once
			// there is room.
			return settled;
		}
		for (Map.Entry<Long, String> entry : this.unwritten.entrySet()) {
			long id = entry.getKey();
			try {
				JobRow job = this.jobs.find(id).orElse(null);
				if (job != null && !job.state().isTerminal()) {
					String error = entry.getValue();
					this.repair.quarantine(job, SandboxQuarantines.Step.STORAGE, error,
							job.restorePolicy().restoresAfter(JobState.FAILED) && job.snapshot() != null, job.state());
					this.jobs.transition(id, job.state(), JobState.FAILED, this.clock.instant(), error
							+ "; the job was stopped and its end written once the database could be written again; sandbox "
							+ "quarantined until a repair has ended its leftovers and restored it as its policy says");
					this.events.finished(id);
					logger.warn("Job {} ended FAILED once the database could be written again", id);
				}
				this.unwritten.remove(id);
				settled.add(id);
			}
			catch (RuntimeException ex) {
				// Still not writable: the next loop tries again.
			}
		}
		return settled;
	}

	/**
	 * On a shared store: settles the jobs of daemons that died (no heartbeat for
	 * {@code dilxc.cluster.dead-after}); returns the ids this daemon settled.
	 */
	List<Long> settleDeadDaemonsJobs() {
		return this.recovery.settleInterruptedJobs();
	}

	/**
	 * Stops the running jobs whose cancel was asked for through another daemon (the
	 * request is in the database); returns their ids.
	 */
	List<Long> forwardCancels() {
		List<Long> cancelled = this.jobs.cancelRequested(List.copyOf(this.running.keySet()));
		cancelled.forEach((id) -> requestStop(id, JobExecution.StopRequest.CANCEL));
		return cancelled;
	}

	/**
	 * Asks a running job to stop early; returns false if this worker is not running it.
	 */
	boolean requestStop(long jobId, JobExecution.StopRequest request) {
		Running job = this.running.get(jobId);
		if (job == null) {
			return false;
		}
		job.execution().requestStop(request);
		return true;
	}

	/** Makes the loop poll now rather than at its next interval. */
	void wake() {
		this.wakeUp.release();
	}

	@Override
	public void start() {
		// Sandboxes quarantined before this start are retried now (LXD may have come back
		// meanwhile).
		this.quarantines.allDue(this.clock.instant());
		this.recovery.settleInterruptedJobs();
		this.active = true;
		if (!this.properties.workerEnabled()) {
			return;
		}
		this.loop = Thread.ofPlatform().name("dilxc-job-worker").daemon(true).start(this::loop);
	}

	private void loop() {
		// Where sandboxes live, learnt before the first claim and before anybody asks:
		// this daemon's member is recorded for the others even while it is idle.
		this.placement.current();
		while (this.active) {
			try {
				settleUnwritten();
				retryQuarantined();
				if (this.daemons.store().shared()) {
					forwardCancels();
					if (System.nanoTime() - this.lastDeathWatch >= this.cluster.heartbeatInterval().toNanos()) {
						this.lastDeathWatch = System.nanoTime();
						settleDeadDaemonsJobs();
					}
				}
				pollOnce();
				if (this.pollFailure != null) {
					logger.warn("Job worker polls again after: {}", this.pollFailure);
					this.pollFailure = null;
				}
			}
			catch (RuntimeException ex) {
				String failure = StorageFailures.isStorage(ex) ? StorageFailures.describe(ex)
						: String.valueOf(ex.getMessage());
				if (!failure.equals(this.pollFailure)) {
					// Once per incident: a full disk must not turn into a stack trace per
					// second.
					logger.error("Job worker poll failed, retrying every {}: {}", this.properties.pollInterval(),
							failure, StorageFailures.isStorage(ex) ? null : ex);
					this.pollFailure = failure;
				}
			}
			try {
				this.wakeUp.tryAcquire(this.properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
				this.wakeUp.drainPermits();
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	@Override
	public void stop() {
		this.active = false;
		if (this.loop != null) {
			this.loop.interrupt();
		}
		// Running agents get the grace period to finish on their own, then are stopped
		// and INTERRUPTED.
		CompletableFuture<?> all = CompletableFuture
			.allOf(this.running.values().stream().map(Running::outcome).toArray(CompletableFuture[]::new));
		try {
			all.get(this.properties.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			this.running.values().forEach((job) -> job.execution().requestStop(JobExecution.StopRequest.SHUTDOWN));
			try {
				all.get(60, TimeUnit.SECONDS);
			}
			catch (Exception ignored) {
				logger.warn("Some jobs were still ending at shutdown; the next start marks them INTERRUPTED");
			}
		}
		this.executor.shutdownNow();
	}

	/**
	 * Starts before the web server accepts requests, so no client ever sees a job that a
	 * crashed daemon left RUNNING; stops after it, once in-flight requests are served.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	@Override
	public boolean isRunning() {
		return this.active;
	}

}
