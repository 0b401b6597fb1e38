package dev.dilxc.api;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reading Claude Code's {@code --output-format stream-json} lines as stored in a job's
 * output, the same way for the client's terminal renderer and the daemon's review pages:
 * never throwing on odd input.
 */
public final class StreamJson {

	private StreamJson() {
	}

	/**
	 * The line's event when it is a JSON object, else null (plain text, a cut line, an
	 * array).
	 */
	public static @Nullable JsonNode event(JsonMapper json, String line) {
		if (!line.stripLeading().startsWith("{")) {
			return null;
		}
		try {
			JsonNode node = json.readTree(line);
			return (node != null && node.isObject()) ? node : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * A scalar field as text, or {@code fallback} when it is absent, null or not a
	 * scalar.
	 */
	public static String text(JsonNode node, String field, String fallback) {
		String text = text(node, field);
		return (text != null) ? text : fallback;
	}

	/** A scalar field as text, or null when it is absent, null or not a scalar. */
	public static @Nullable String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull() || !value.isValueNode()) {
			return null;
		}
		return value.asString();
	}

}
