package dev.dilxc.daemon.notifications;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.api.JobChanges;
import dev.dilxc.api.JobView;
import dev.dilxc.api.QuarantineView;
import dev.dilxc.daemon.jobs.JobFinished;
import dev.dilxc.daemon.jobs.JobQueue;
import dev.dilxc.daemon.leases.SandboxQuarantines;

/**
 * Turns a finished job, or a sandbox put in quarantine, into outbox rows, one per
 * configured channel. It runs on the job worker's thread, so it only writes rows and
 * wakes the sender: it never sends, never waits on a receiver, and never throws into the
 * worker.
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

	/**
	 * A sandbox needs attention: always announced on every configured channel, whatever
	 * job outcomes are notified, since no job starts in it until someone repairs it.
	 */
	@EventListener
	void sandboxQuarantined(SandboxQuarantines.SandboxQuarantined event) {
		try {
			record(event.quarantine().view());
		}
		catch (RuntimeException ex) {
			logger.error("Could not record the notification for quarantined sandbox {}; it will not be sent",
					event.quarantine().sandbox(), ex);
		}
	}

	/**
	 * Stores the job's notifications (none if no channel is set or its outcome is not
	 * notified); returns them.
	 */
	List<Notification> record(JobView job) {
		List<Channel> channels = channels();
		if (channels.isEmpty() || !this.properties.notifies(job.state())) {
			return List.of();
		}
		String payload = this.json.writeValueAsString(NotificationPayload.of(job, changes(job.id()).orElse(null)));
		for (Channel channel : channels) {
			this.outbox.add(job.id(), channel, NotificationPayload.EVENT, payload, this.clock.instant());
		}
		this.sender.wake();
		return this.outbox.ofJob(job.id(), NotificationPayload.EVENT);
	}

	/** Stores a quarantine's notifications (none if no channel is set); returns them. */
	List<Notification> record(QuarantineView quarantine) {
		List<Channel> channels = channels();
		if (channels.isEmpty()) {
			return List.of();
		}
		JobView job = (quarantine.jobId() != null) ? job(quarantine.jobId()) : null;
		String payload = this.json.writeValueAsString(NotificationPayload.Quarantined.of(quarantine, job));
		for (Channel channel : channels) {
			this.outbox.add(quarantine.jobId(), channel, NotificationPayload.QUARANTINED, payload,
					this.clock.instant());
		}
		this.sender.wake();
		if (quarantine.jobId() != null) {
			return this.outbox.ofJob(quarantine.jobId(), NotificationPayload.QUARANTINED);
		}
		List<Notification> newest = this.outbox.ofEvent(NotificationPayload.QUARANTINED);
		return newest.subList(0, Math.min(channels.size(), newest.size()));
	}

	/**
	 * The job a quarantine happened to as the API shows it now; null if it is gone (the
	 * payload says so).
	 */
	private @Nullable JobView job(long jobId) {
		try {
			return this.jobs.view(jobId);
		}
		catch (RuntimeException ex) {
			logger.debug("No job {} for its quarantine notification: {}", jobId, ex.toString());
			return null;
		}
	}

	private List<Channel> channels() {
		List<Channel> channels = new ArrayList<>();
		if (this.properties.webhookUrl() != null) {
			channels.add(Channel.WEBHOOK);
		}
		if (!this.properties.command().isEmpty()) {
			channels.add(Channel.COMMAND);
		}
		return channels;
	}

	/** The job's notifications of its end and how their delivery went. */
	List<Notification> ofJob(long jobId) {
		return this.outbox.ofJob(jobId, NotificationPayload.EVENT);
	}

	/**
	 * The notifications of a quarantine that happened to the job, and how their delivery
	 * went.
	 */
	List<Notification> quarantineOfJob(long jobId) {
		return this.outbox.ofJob(jobId, NotificationPayload.QUARANTINED);
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
