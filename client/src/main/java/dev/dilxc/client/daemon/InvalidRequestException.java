package dev.dilxc.client.daemon;

/**
 * The daemon rejected the request as malformed or out of range ({@code invalid-request}).
 */
public final class InvalidRequestException extends DaemonException {

	public InvalidRequestException(String detail) {
		super(detail);
	}

}
