package dev.dilxc.daemon.notifications;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.api.JobChanges;
import dev.dilxc.api.JobView;
import dev.dilxc.daemon.jobs.JobFinished;
import dev.dilxc.daemon.jobs.JobQueue;

/**
 * Turns a finished job into outbox rows, one per configured channel. It runs on the job worker's thread,
 * so it only writes rows and wakes the sender: it never sends, never waits on a receiver, and never throws
 * into the worker.
 */
@Service
class Notifications {

	private static final Logger logger = LoggerFactory.getLogger(Notifications.class);

	private final NotificationOutbox outbox;

	private final NotificationsProperties properties;

	private final JobQueue jobs;

	private final JsonMapper json;

	private final Clock clock;

	private final NotificationSender sender;

	Notifications(NotificationOutbox outbox, NotificationsProperties properties, JobQueue jobs, JsonMapper json,
			Clock clock, NotificationSender sender) {
		this.outbox = outbox;
		this.properties = properties;
		this.jobs = jobs;
		this.json = json;
		this.clock = clock;
		this.sender = sender;
	}

	@EventListener
	void jobFinished(JobFinished event) {
		try {
			record(event.job());
		}
		catch (RuntimeException ex) {
			logger.error("Could not record the notification for job {}; it will not be sent", event.job().id(), ex);
		}
	}

	/** Stores the job's notifications (none if no channel is set or its outcome is not notified); returns them. */
	List<Notification> record(JobView job) {
		List<Channel> channels = new ArrayList<>();
		if (this.properties.webhookUrl() != null) {
			channels.add(Channel.WEBHOOK);
		}
		if (!this.properties.command().isEmpty()) {
			channels.add(Channel.COMMAND);
		}
		if (channels.isEmpty() || !this.properties.notifies(job.state())) {
			return List.of();
		}
		String payload = this.json.writeValueAsString(NotificationPayload.of(job, changes(job.id()).orElse(null)));
		for (Channel channel : channels) {
			this.outbox.add(job.id(), channel, payload, this.clock.instant());
		}
		this.sender.wake();
		return this.outbox.ofJob(job.id());
	}

	/** The job's notifications and how their delivery went. */
	List<Notification> ofJob(long jobId) {
		return this.outbox.ofJob(jobId);
	}

	private Optional<JobChanges> changes(long jobId) {
		try {
			return this.jobs.changes(jobId);
		}
		catch (RuntimeException ex) {
			// Not captured (or not capturable): the notification goes out without them.
			logger.debug("No changes for job {} in its notification: {}", jobId, ex.toString());
			return Optional.empty();
		}
	}
}
