package dev.dilxc.daemon.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Publishes {@link JobFinished} once a job is terminal and its sandbox restored: on the
 * job's own thread, after the terminal state is committed (never inside a transaction
 * that could still roll back). A listener that throws is logged and does not touch the
 * job.
 */
@Component
class JobEvents {

	private static final Logger logger = LoggerFactory.getLogger(JobEvents.class);

	private final JobRepository jobs;

	private final ApplicationEventPublisher publisher;

	JobEvents(JobRepository jobs, ApplicationEventPublisher publisher) {
		this.jobs = jobs;
		this.publisher = publisher;
	}

	void finished(long id) {
		try {
			JobRow job = this.jobs.find(id).orElse(null);
			if (job == null || !job.state().isTerminal()) {
				return;
			}
			this.publisher.publishEvent(new JobFinished(job.toView()));
		}
		catch (RuntimeException ex) {
			logger.error("A JobFinished listener failed for job {}", id, ex);
		}
	}

}
