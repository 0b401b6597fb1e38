package dev.dilxc.client.daemon;

import org.jspecify.annotations.Nullable;

/**
 * The fields of an RFC 9457 problem detail the client reads. {@code type} is one of
 * {@link dev.dilxc.api.ProblemTypes}, or something else from a daemon the client does not
 * know.
 */
record ProblemDetail(@Nullable String type, @Nullable String title, @Nullable Integer status, @Nullable String detail) {

	/**
	 * The most specific text the problem carries, or {@code fallback} when it carries
	 * none.
	 */
	String describe(String fallback) {
		if (this.detail != null && !this.detail.isBlank()) {
			return this.detail;
		}
		if (this.title != null && !this.title.isBlank()) {
			return this.title;
		}
		return fallback;
	}
}
