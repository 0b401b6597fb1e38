package dev.dilxc.daemon.sandboxes;

/**
 * Ends an operation as FAILED with a message the user can act on (what went wrong and how
 * to fix it).
 */
final class OperationFailure extends RuntimeException {

	OperationFailure(String message) {
		super(message);
	}

}
