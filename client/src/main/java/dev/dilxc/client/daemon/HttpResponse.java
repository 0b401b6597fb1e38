package dev.dilxc.client.daemon;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One HTTP response as read off the socket.
 *
 * @param status the status code
 * @param headers header values by lower-case name (repeated headers joined with
 * {@code ", "})
 * @param body the decoded body (chunked transfer coding already removed)
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {

	public @Nullable String header(String name) {
		return this.headers.get(name.toLowerCase(Locale.ROOT));
	}

	/**
	 * Whether the body is JSON ({@code application/json},
	 * {@code application/problem+json}, …).
	 */
	public boolean isJson() {
		String contentType = header("content-type");
		return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json");
	}

	public boolean isSuccess() {
		return this.status >= 200 && this.status < 300;
	}

	public String bodyText() {
		return new String(this.body, StandardCharsets.UTF_8);
	}
}
