package dev.dilxc.daemon.lxd;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * A command running inside an instance. Ending this session ends only the local
 * {@code lxc exec} client: the command inside the instance keeps running, so callers stop
 * it from inside.
 */
public interface ExecSession {

	/**
	 * Waits up to {@code timeout} for the command to end; its exit code, or empty if
	 * still running.
	 */
	OptionalInt waitFor(Duration timeout) throws InterruptedException;

	/** Ends the local client and waits for its output to be delivered. */
	void detach();

}
