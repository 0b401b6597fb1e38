package dev.dilxc.daemon.notifications;

import java.time.Instant;

/**
 * One outbox row: a finished job's notification on one channel and how its delivery went.
 *
 * @param id the row
 * @param jobId the job it announces
 * @param channel webhook or command
 * @param payload the JSON sent
 * @param createdAt when the job's end was recorded
 * @param attempts tries so far
 * @param nextAttemptAt when it is tried next, or null once delivered or given up
 * @param lastError why the last try failed, or null
 * @param deliveredAt when it was delivered, or null
 * @param gaveUpAt when the sender stopped trying, or null
 */
record Notification(long id, long jobId, Channel channel, String payload, Instant createdAt, int attempts,
		Instant nextAttemptAt, String lastError, Instant deliveredAt, Instant gaveUpAt) {
}
