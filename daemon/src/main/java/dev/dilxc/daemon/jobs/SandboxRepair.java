package dev.dilxc.daemon.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.dilxc.api.JobState;
import dev.dilxc.api.QuarantineView;
import dev.dilxc.api.RepairResult;
import dev.dilxc.daemon.LogContext;
import dev.dilxc.daemon.leases.SandboxLeases;
import dev.dilxc.daemon.leases.SandboxQuarantines;
import dev.dilxc.daemon.leases.SandboxQuarantines.Quarantine;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.sandboxes.AgentSandbox;
import dev.dilxc.daemon.snapshots.JobSnapshots;

/**
 * Puts a quarantined sandbox back in order by retrying what failed: end the job's
 * leftover processes, then restore its pre-job snapshot when its policy asked for a
 * restore that did not happen. The daemon retries with backoff (and at start);
 * {@code dilxc-client repair} retries now, or with {@code --force} releases the sandbox
 * as it is, for a user who looked and knows it is fine.
 */
@Service
public class SandboxRepair {

	private static final Logger logger = LoggerFactory.getLogger(SandboxRepair.class);

	private final SandboxQuarantines quarantines;

	private final SandboxLeases leases;

	private final AgentSandbox sandboxes;

	private final JobSnapshots snapshots;

	private final JobRepository jobs;

	private final JobsProperties properties;

	private final Clock clock;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	SandboxRepair(SandboxQuarantines quarantines, SandboxLeases leases, AgentSandbox sandboxes, JobSnapshots snapshots,
			JobRepository jobs, JobsProperties properties, Clock clock) {
		this.quarantines = quarantines;
		this.leases = leases;
		this.sandboxes = sandboxes;
		this.snapshots = snapshots;
		this.jobs = jobs;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Quarantines the job's sandbox after {@code step} failed; the daemon's first retry
	 * is one backoff from now.
	 */
	void quarantine(JobRow job, SandboxQuarantines.Step step, @Nullable String error, boolean needsRestore,
			JobState state) {
		Instant now = this.clock.instant();
		this.quarantines.quarantine(job.sandbox(), job.id(), step, error, needsRestore,
				now.plus(this.properties.repairBackoff()));
		this.jobs.addHistory(job.id(), state, "QUARANTINED",
				"sandbox " + job.sandbox() + " quarantined: no job starts in "
						+ "it until a repair succeeds (the daemon retries; 'dilxc-client repair @" + job.sandbox()
						+ "' retries now)",
				now);
	}

	/** Every quarantined sandbox, oldest first, as the client shows it. */
	public List<QuarantineView> quarantined() {
		return this.quarantines.views();
	}

	/**
	 * Retries the repair now, holding the sandbox's lease; with {@code force}, releases
	 * the quarantine without touching the sandbox.
	 */
	public RepairResult repair(String sandbox, boolean force) {
		Quarantine quarantine = this.quarantines.find(sandbox).orElseThrow(() -> new NotQuarantinedException(sandbox));
		if (force) {
			this.quarantines.release(sandbox);
			note(quarantine, "REPAIRED",
					"quarantine released by hand (repair --force): the sandbox was left as it was");
			return new RepairResult(sandbox, true, List.of("released by hand; the sandbox was left as it was"));
		}
		List<String> steps = this.leases.holding(sandbox, "repair", () -> attempt(quarantine));
		return new RepairResult(sandbox, true, steps);
	}

	/**
	 * Starts a repair for every quarantined sandbox whose retry is due and that nobody
	 * holds; returns whether each succeeded. The worker calls it each round; tests call
	 * it by hand.
	 */
	List<CompletableFuture<Boolean>> retryDue() {
		List<CompletableFuture<Boolean>> started = new ArrayList<>();
		for (Quarantine quarantine : this.quarantines.due(this.clock.instant())) {
			CompletableFuture<Boolean> done = new CompletableFuture<>();
			this.executor.execute(() -> {
				try (LogContext log = (quarantine.jobId() != null)
						? LogContext.job(quarantine.jobId(), quarantine.sandbox())
						: LogContext.sandbox(quarantine.sandbox())) {
					this.leases.holding(quarantine.sandbox(), "repair", () -> attempt(quarantine));
					done.complete(true);
				}
				catch (RuntimeException ex) {
					// Busy (a manual repair, a destroy): next round; failed: attempt()
					// scheduled the next retry.
					done.complete(false);
				}
			});
			started.add(done);
		}
		return started;
	}

	/**
	 * One repair attempt; on failure the next retry is scheduled and the error thrown.
	 */
	private List<String> attempt(Quarantine quarantine) {
		String sandbox = quarantine.sandbox();
		List<String> steps = new ArrayList<>();
		try {
			InstanceName name = new InstanceName(sandbox);
			if (quarantine.jobId() != null) {
				List<Integer> killed = this.sandboxes.killAgent(name, quarantine.jobId());
				steps.add(killed.isEmpty() ? "no process of job " + quarantine.jobId() + " was left"
						: "ended process(es) job " + quarantine.jobId() + " left: " + killed);
				if (quarantine.needsRestore()) {
					steps.addAll(
							this.snapshots.keepStateAndRestore(name, quarantine.jobId(), false, this.clock.instant()));
					this.jobs.recordRestoredTo(quarantine.jobId(), JobSnapshots.preJobName(quarantine.jobId()));
					steps.add("restored to " + JobSnapshots.preJobName(quarantine.jobId()));
				}
			}
		}
		catch (RuntimeException ex) {
			Instant next = this.clock.instant().plus(backoff(quarantine.attempts() + 1));
			this.quarantines.attemptFailed(sandbox, ex.getMessage(), next);
			logger.warn("Repair of quarantined sandbox {} failed (attempt {}), next try at {}: {}", sandbox,
					quarantine.attempts() + 1, next, ex.getMessage());
			throw new RepairFailedException(sandbox, ex.getMessage());
		}
		this.quarantines.release(sandbox);
		note(quarantine, "REPAIRED", "sandbox " + sandbox + " repaired and released: " + String.join("; ", steps));
		return steps;
	}

	/**
	 * The wait before retry {@code attempt}: doubling from {@code repair-backoff}, capped
	 * at {@code repair-backoff-max}.
	 */
	Duration backoff(int attempt) {
		Duration wait = this.properties.repairBackoff();
		for (int i = 1; i < attempt && wait.compareTo(this.properties.repairBackoffMax()) < 0; i++) {
			wait = wait.multipliedBy(2);
		}
		return (wait.compareTo(this.properties.repairBackoffMax()) > 0) ? this.properties.repairBackoffMax() : wait;
	}

	private void note(Quarantine quarantine, String event, String detail) {
		if (quarantine.jobId() == null) {
			return;
		}
		this.jobs.find(quarantine.jobId())
			.ifPresent((job) -> this.jobs.addHistory(job.id(), job.state(), event, detail, this.clock.instant()));
	}

	/** Repair asked of a sandbox that is not quarantined. */
	public static final class NotQuarantinedException extends RuntimeException {

		NotQuarantinedException(String sandbox) {
			super("sandbox '" + sandbox
					+ "' is not quarantined: there is nothing to repair ('dilxc-client status' shows "
					+ "quarantined sandboxes)");
		}

	}

	/** A repair attempt failed; the sandbox stays quarantined. */
	public static final class RepairFailedException extends RuntimeException {

		RepairFailedException(String sandbox, @Nullable String error) {
			super("repairing sandbox '" + sandbox + "' failed: " + error
					+ "; it stays quarantined and the daemon retries. " + "Fix the cause and run 'dilxc-client repair @"
					+ sandbox + "' again, or, after looking at it " + "('dilxc-client @" + sandbox
					+ " shell'), release it as it is with 'dilxc-client repair @" + sandbox + " --force'");
		}

	}

}
