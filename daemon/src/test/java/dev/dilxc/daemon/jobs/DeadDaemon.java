package dev.dilxc.daemon.jobs;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * For tests of crash recovery inside one live daemon: makes a job look as if a daemon run
 * that is over (crashed, killed) had claimed it, which is what recovery settles; the live
 * test daemon's own jobs are never orphans.
 */
final class DeadDaemon {

	/** A run id that no daemon registers. */
	static final String ID = "crashed-run:000000";

	private DeadDaemon() {
	}

	static void leftBehind(JdbcClient jdbc, long jobId) {
		jdbc.sql("UPDATE jobs SET daemon_id = :dead WHERE id = :id").param("dead", ID).param("id", jobId).update();
	}

}
