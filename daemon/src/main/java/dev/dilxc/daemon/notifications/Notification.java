package dev.dilxc.daemon.notifications;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One outbox row: a notification (a finished job, a quarantined sandbox) on one channel
 * and how its delivery went.
 *
 * @param id the row
 * @param jobId the job it announces, or the job a quarantine happened to; null for a
 * quarantine no job caused
 * @param channel webhook or command
 * @param payload the JSON sent
 * @param createdAt when the job's end was recorded
 * @param attempts tries so far
 * @param nextAttemptAt when it is tried next, or null once delivered or given up
 * @param lastError why the last try failed, or null
 * @param deliveredAt when it was delivered, or null
 * @param gaveUpAt when the sender stopped trying, or null
 * @param event what it announces: {@code job.finished} or {@code sandbox.quarantined}
 */
record Notification(long id, @Nullable Long jobId, Channel channel, String payload, Instant createdAt, int attempts,
		@Nullable Instant nextAttemptAt, @Nullable String lastError, @Nullable Instant deliveredAt,
		@Nullable Instant gaveUpAt, String event) {

	/**
	 * What it announces, for logs: {@code job 12}, or
	 * {@code sandbox.quarantined (job 12)}.
	 */
	String subject() {
		if (NotificationPayload.EVENT.equals(this.event)) {
			return "job " + this.jobId;
		}
		return this.event + ((this.jobId != null) ? " (job " + this.jobId + ")" : "");
	}
}
