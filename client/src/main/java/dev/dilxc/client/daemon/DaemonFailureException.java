package dev.dilxc.client.daemon;

/**
 * The daemon could not do what was asked for a reason on its side: an internal error, LXD
 * trouble, or an answer the client does not understand (a different daemon version, say).
 */
public final class DaemonFailureException extends DaemonException {

	public DaemonFailureException(String message) {
		super(message);
	}

	public DaemonFailureException(String message, Throwable cause) {
		super(message, cause);
	}

}
