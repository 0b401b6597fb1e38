package dev.dilxc.daemon.notifications;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

import dev.dilxc.api.JobChanges;
import dev.dilxc.api.JobView;
import dev.dilxc.api.QuarantineView;

/**
 * The notification a finished job sends, the same bytes to the webhook (the POST body)
 * and to the command (its stdin). The job is the API's {@link JobView} as {@code GET
 * /api/jobs/{id}} shows it, so a receiver can use the client's field names; the full diff
 * is left out (it can be large and is the user's code: {@code
 * dilxc-client diff ID} shows it). Nothing secret is in it: stored output and result text
 * are already masked.
 *
 * @param event always {@code job.finished}
 * @param job the job in its terminal state, after any restore
 * @param summary one line for a chat message or a desktop notification
 * @param changes what the agent changed in the working copy, or null when that was not
 * captured
 */
@JsonPropertyOrder({ "event", "job", "summary", "changes" })
record NotificationPayload(String event, JobView job, String summary, @Nullable Changes changes) {

	static final String EVENT = "job.finished";

	/** The event of {@link Quarantined}. */
	static final String QUARANTINED = "sandbox.quarantined";

	/**
	 * Changed paths listed in a notification; the rest are counted in
	 * {@code JobView.filesChanged}.
	 */
	static final int MAX_FILES = 100;

	/** Characters of {@code git diff --stat} kept in a notification. */
	static final int MAX_DIFF_STAT = 8000;

	private static final int MAX_REASON = 300;

	/**
	 * The part of {@link JobChanges} a notification carries.
	 *
	 * @param gitRepository whether the working copy is a git repository
	 * @param baseCommit the commit the diff is against, or null
	 * @param diffStat {@code git diff --stat}, cut at {@value #MAX_DIFF_STAT} characters,
	 * or null
	 * @param files the changed paths, at most {@value #MAX_FILES}
	 * @param filesTruncated whether more paths changed than {@code files} lists
	 * @param capturedAt when the changes were captured
	 */
	@JsonPropertyOrder({ "gitRepository", "baseCommit", "diffStat", "files", "filesTruncated", "capturedAt" })
	record Changes(boolean gitRepository, @Nullable String baseCommit, @Nullable String diffStat, List<String> files,
			boolean filesTruncated, Instant capturedAt) {

		static Changes of(JobChanges changes) {
			List<String> files = (changes.files() != null) ? changes.files() : List.of();
			String stat = changes.diffStat();
			if (stat != null && stat.length() > MAX_DIFF_STAT) {
				stat = stat.substring(0, MAX_DIFF_STAT) + "\n[cut at " + MAX_DIFF_STAT + " characters]";
			}
			return new Changes(changes.gitRepository(), changes.baseCommit(), stat,
					files.subList(0, Math.min(files.size(), MAX_FILES)), files.size() > MAX_FILES,
					changes.capturedAt());
		}
	}

	/**
	 * The notification a quarantined sandbox sends: no job starts in it until it is
	 * repaired, so someone should look.
	 *
	 * @param event always {@code sandbox.quarantined}
	 * @param job the job it happened to as {@code GET /api/jobs/{id}} shows it now, or
	 * null when no job caused it
	 * @param summary one line:
	 * {@code sandbox web needs attention: RESTORE failed: <first line of the error>}
	 * @param quarantine what failed, and when the daemon retries, as
	 * {@code GET /api/quarantine} shows it
	 */
	@JsonPropertyOrder({ "event", "job", "summary", "quarantine" })
	record Quarantined(String event, @Nullable JobView job, String summary, QuarantineView quarantine) {

		static Quarantined of(QuarantineView quarantine, @Nullable JobView job) {
			return new Quarantined(QUARANTINED, job, summary(quarantine), quarantine);
		}

		static String summary(QuarantineView quarantine) {
			String error = (quarantine.error() != null) ? quarantine.error().lines().findFirst().orElse("").strip()
					: "";
			if (error.length() > MAX_REASON) {
				error = error.substring(0, MAX_REASON - 1) + "…";
			}
			return "sandbox " + quarantine.sandbox() + " needs attention: " + quarantine.step() + " failed"
					+ (error.isEmpty() ? "" : ": " + error);
		}
	}

	static NotificationPayload of(JobView job, @Nullable JobChanges changes) {
		return new NotificationPayload(EVENT, job, summary(job), (changes != null) ? Changes.of(changes) : null);
	}

	/**
	 * {@code job 12 FAILED in sandbox web after 3m 2s ($0.42): <first line of the reason>};
	 * a scheduled job names its schedule ({@code job 12 (schedule 3) ...}), a job that
	 * never started its agent says {@code before
	 * the agent started} instead of a duration.
	 */
	static String summary(JobView job) {
		StringBuilder text = new StringBuilder("job ").append(job.id());
		if (job.scheduleId() != null) {
			text.append(" (schedule ").append(job.scheduleId()).append(')');
		}
		text.append(' ').append(job.state()).append(" in sandbox ").append(job.sandbox());
		if (job.startedAt() != null && job.finishedAt() != null) {
			text.append(" after ").append(duration(Duration.between(job.startedAt(), job.finishedAt())));
		}
		else {
			text.append(" before the agent started");
		}
		if (job.costUsd() != null) {
			text.append(" (").append(cost(job.costUsd())).append(')');
		}
		String reason = (job.reason() != null) ? job.reason().lines().findFirst().orElse("").strip() : "";
		if (reason.length() > MAX_REASON) {
			reason = reason.substring(0, MAX_REASON - 1) + "…";
		}
		if (!reason.isEmpty()) {
			text.append(": ").append(reason);
		}
		return text.toString();
	}

	/** {@code 45s}, {@code 3m 2s}, {@code 2h 5m}: as precise as a glance needs. */
	static String duration(Duration duration) {
		long seconds = Math.max(0, duration.toSeconds());
		if (seconds >= 3600) {
			return (seconds / 3600) + "h " + (seconds % 3600 / 60) + "m";
		}
		if (seconds >= 60) {
			return (seconds / 60) + "m " + (seconds % 60) + "s";
		}
		return seconds + "s";
	}

	private static String cost(BigDecimal usd) {
		if (usd.signum() > 0 && usd.compareTo(new BigDecimal("0.01")) < 0) {
			return "<$0.01";
		}
		return "$" + usd.setScale(2, RoundingMode.HALF_UP).toPlainString();
	}
}
