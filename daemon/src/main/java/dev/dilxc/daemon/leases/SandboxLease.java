package dev.dilxc.daemon.leases;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Who owns a sandbox now: a job from its claim to its end, or an operation (restore,
 * sync, update, ...) while it runs. {@code jobId} is set for a job's lease only.
 */
public record SandboxLease(String sandbox, Kind kind, @Nullable Long jobId, String purpose, Instant takenAt,
		String token) {

	/** What holds a lease. */
	public enum Kind {

		JOB, OPERATION

	}

	/** The holder in words, for a busy message: "job 12" or "a restore". */
	String describe() {
		return (this.kind == Kind.JOB) ? "job " + this.jobId + " is running in it"
				: "a " + this.purpose + " is in progress";
	}
}
