package dev.dilxc.daemon.lxd;

import org.jspecify.annotations.Nullable;

/**
 * The daemon's own LXD (or Incus) answers, but the cluster member that holds the instance
 * does not: it is offline, shutting down or cut off. Calls for its instances fail (after
 * the cluster's own wait) until it is back; nothing of the instance is known meanwhile.
 */
public final class MemberUnavailableException extends LxdException {

	private final @Nullable String member;

	MemberUnavailableException(String message, @Nullable String member, Throwable cause) {
		super(message, cause);
		this.member = member;
	}

	/** The member's name when the error or the instance list says it, else null. */
	public @Nullable String member() {
		return this.member;
	}

}
