package dev.dilxc.api;

/**
 * The life of a job: {@code QUEUED → SNAPSHOTTING → RUNNING → one terminal state}. The
 * daemon's transition table decides which moves are legal; this enum only names the
 * states.
 */
public enum JobState {

	QUEUED, SNAPSHOTTING, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, INTERRUPTED;

	public boolean isTerminal() {
		return switch (this) {
			case QUEUED, SNAPSHOTTING, RUNNING -> false;
			case SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, INTERRUPTED -> true;
		};
	}

}
