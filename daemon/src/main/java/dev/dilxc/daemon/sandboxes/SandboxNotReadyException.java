package dev.dilxc.daemon.sandboxes;

/**
 * The sandbox a job needs does not exist or is not running; the message says how to fix
 * it.
 */
public final class SandboxNotReadyException extends RuntimeException {

	SandboxNotReadyException(String message) {
		super(message);
	}

}
