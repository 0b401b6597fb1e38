package dev.dilxc.daemon.schedules;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

import dev.dilxc.api.JobView;
import dev.dilxc.api.ReportView;
import dev.dilxc.api.ScheduleEvent;
import dev.dilxc.daemon.jobs.JobQueue;
import dev.dilxc.daemon.leases.SandboxQuarantines;

/**
 * The morning review: every job submitted in a window (manual and scheduled), the slots
 * in it that made no job (missed while the daemon was down, skipped for overlap or the
 * cost cap), and totals.
 */
@Service
class MorningReport {

	/** The window when the request names no start. */
	static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

	private final JobQueue queue;

	private final ScheduleRepository schedules;

	private final SandboxQuarantines quarantines;

	private final Clock clock;

	MorningReport(JobQueue queue, ScheduleRepository schedules, SandboxQuarantines quarantines, Clock clock) {
		this.queue = queue;
		this.schedules = schedules;
		this.quarantines = quarantines;
		this.clock = clock;
	}

	/**
	 * The report for {@code [since, until)}; until defaults to now, since to a day before
	 * until.
	 */
	ReportView report(@Nullable Instant since, @Nullable Instant until) {
		Instant end = (until != null) ? until : this.clock.instant();
		Instant start = (since != null) ? since : end.minus(DEFAULT_WINDOW);
		if (!start.isBefore(end)) {
			throw new InvalidScheduleException(
					"the report window is empty: since (" + start + ") must be before until (" + end + ")");
		}
		List<JobView> jobs = this.queue.submittedBetween(start, end);
		List<ScheduleEvent> events = this.schedules.eventsBetween(start, end, ScheduleRepository.NO_JOB);
		// What needs attention now, whatever the window: a sandbox quarantined last week
		// still takes no jobs.
		return new ReportView(start, end, jobs, events, totals(jobs), this.quarantines.views());
	}

	static ReportView.Totals totals(List<JobView> jobs) {
		int succeeded = 0;
		int failed = 0;
		int cancelled = 0;
		int unfinished = 0;
		int restored = 0;
		int turns = 0;
		int files = 0;
		long seconds = 0;
		BigDecimal cost = BigDecimal.ZERO;
		for (JobView job : jobs) {
			switch (job.state()) {
				case SUCCEEDED -> succeeded++;
				case FAILED, TIMED_OUT, INTERRUPTED -> failed++;
				case CANCELLED -> cancelled++;
				case QUEUED, SNAPSHOTTING, RUNNING -> unfinished++;
			}
			if (job.restoredTo() != null) {
				restored++;
			}
			if (job.costUsd() != null) {
				cost = cost.add(job.costUsd());
			}
			if (job.numTurns() != null) {
				turns += job.numTurns();
			}
			if (job.filesChanged() != null) {
				files += job.filesChanged();
			}
			if (job.startedAt() != null && job.finishedAt() != null) {
				seconds += Duration.between(job.startedAt(), job.finishedAt()).getSeconds();
			}
		}
		return new ReportView.Totals(jobs.size(), succeeded, failed, cancelled, unfinished, restored, cost, turns,
				files, seconds);
	}

}
