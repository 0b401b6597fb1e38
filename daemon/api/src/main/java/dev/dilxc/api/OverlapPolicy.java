package dev.dilxc.api;

/**
 * What a schedule does when it fires while its previous run is still queued or running.
 */
public enum OverlapPolicy {

	/** do not start another run; the firing is recorded as skipped. */
	SKIP,
	/** queue the run behind the previous one. */
	QUEUE

}
