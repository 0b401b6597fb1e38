package dev.dilxc.daemon.leases;

import java.util.List;

/**
 * The jobs feature's answer to "which jobs still want this sandbox", for operations that
 * must not pull a sandbox from under queued work (destroy, sync). Declared here and
 * implemented by {@code jobs}, so {@code sandboxes} and {@code snapshots} need not import
 * {@code jobs}.
 */
public interface UnfinishedJobs {

	/**
	 * A job of the sandbox that has not ended: its id and its state in lower case
	 * ("queued", "running").
	 */
	record Pending(long id, String state) {
	}

	/** The sandbox's QUEUED, SNAPSHOTTING and RUNNING jobs, oldest first. */
	List<Pending> of(String sandbox);

}
