package dev.dilxc.daemon.schedules;

/** The {@link dev.dilxc.api.ScheduleEvent#kind()} values. */
final class EventKind {

	/** A slot's run was queued on time. */
	static final String ENQUEUED = "ENQUEUED";

	/** The latest slot missed while the daemon was down was run late, once. */
	static final String CATCH_UP = "CATCH_UP";

	/** Slots passed while the daemon was down, too long ago to catch up: no run. */
	static final String MISSED = "MISSED";

	/** The previous run was still going and the overlap policy is skip: no run. */
	static final String SKIPPED_OVERLAP = "SKIPPED_OVERLAP";

	/** The schedule's runs reached its daily cost cap: no run. */
	static final String SKIPPED_COST_CAP = "SKIPPED_COST_CAP";

	/**
	 * The job queue refused the run (e.g. its limits changed since the schedule was
	 * added): no run.
	 */
	static final String SKIPPED_INVALID = "SKIPPED_INVALID";

	/** A run asked for by hand. */
	static final String RUN_NOW = "RUN_NOW";

	static final String PAUSED = "PAUSED";

	static final String RESUMED = "RESUMED";

	static final String CREATED = "CREATED";

	/** The schedule was removed; its events are kept. */
	static final String DELETED = "DELETED";

	private EventKind() {
	}

}
