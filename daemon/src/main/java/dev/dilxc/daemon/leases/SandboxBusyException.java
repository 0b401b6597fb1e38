package dev.dilxc.daemon.leases;

/**
 * Another job or operation holds the sandbox's lease; the message says which and what to
 * do.
 */
public class SandboxBusyException extends RuntimeException {

	public SandboxBusyException(String message) {
		super(message);
	}

}
