package dev.dilxc.client.jobs;

import org.jspecify.annotations.Nullable;

import dev.dilxc.api.JobView;

/**
 * What made a job, in a few words: {@code manual}, {@code schedule #3},
 * {@code retry of #12}, {@code resume of #12}.
 */
public final class Triggers {

	private Triggers() {
	}

	public static String describe(JobView job) {
		String trigger = (job.trigger() != null) ? job.trigger() : "manual";
		return switch (trigger) {
			case "schedule" -> "schedule" + number(job.scheduleId());
			case "retry" -> "retry of" + number(job.parentJobId());
			case "resume" -> "resume of" + number(job.parentJobId());
			default -> trigger;
		};
	}

	private static String number(@Nullable Long id) {
		return (id != null) ? " #" + id : "";
	}

}
