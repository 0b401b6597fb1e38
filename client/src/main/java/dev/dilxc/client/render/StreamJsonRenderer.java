package dev.dilxc.client.render;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.dilxc.api.OutputLine;
import dev.dilxc.api.StreamJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns stored output lines (Claude Code {@code --output-format stream-json} events on
 * stdout, plain text on stderr, the daemon's own markers) into readable, terminal-safe
 * lines.
 *
 * <ul>
 * <li>{@code system/init}: one line with session, model and working directory;</li>
 * <li>{@code assistant}: text blocks as text, tool calls as
 * {@code → Bash: <command>};</li>
 * <li>{@code user} tool results: shortened, {@code ←}-marked;</li>
 * <li>{@code result}: subtype, error flag, turns, cost, duration, then the result
 * text;</li>
 * <li>anything that is not JSON: as is ({@code [stderr]}-prefixed for stderr);</li>
 * <li>event types it does not know ({@code stream_event}, new ones): skipped.</li>
 * </ul>
 * Never throws on odd input: a line it cannot make sense of is printed as text.
 */
public final class StreamJsonRenderer {

	static final int TOOL_INPUT_MAX = 200;

	static final int RESULT_MAX_LINES = 5;

	static final int RESULT_MAX_CHARS = 300;

	private static final Map<String, String> TOOL_KEYS = Map.ofEntries(Map.entry("Read", "file_path"),
			Map.entry("Write", "file_path"), Map.entry("Edit", "file_path"), Map.entry("MultiEdit", "file_path"),
			Map.entry("NotebookEdit", "notebook_path"), Map.entry("Glob", "pattern"), Map.entry("Grep", "pattern"),
			Map.entry("WebFetch", "url"), Map.entry("WebSearch", "query"), Map.entry("Task", "description"),
			Map.entry("Agent", "description"), Map.entry("Skill", "skill"));

	private static final Pattern LEADING_BLANK_LINES = Pattern.compile("\\A(?:[ \\t]*\\n)+");

	private final JsonMapper json;

	public StreamJsonRenderer(JsonMapper json) {
		this.json = json;
	}

	/**
	 * The lines to print for one stored line; empty when the event is not worth a line.
	 */
	public List<String> render(OutputLine line) {
		String text = (line.text() != null) ? line.text() : "";
		String stream = (line.stream() != null) ? line.stream() : "stdout";
		return switch (stream) {
			case "stderr" -> prefixed("[stderr] ", TerminalText.sanitize(text));
			case "stdout" -> renderStdout(text);
			default -> List.of(TerminalText.sanitize(text));
		};
	}

	private List<String> renderStdout(String text) {
		JsonNode event = parseObject(text);
		if (event == null) {
			return List.of(TerminalText.sanitize(text));
		}
		try {
			return switch (str(event, "type", "")) {
				case "system" -> system(event);
				case "assistant" -> assistant(event);
				case "user" -> user(event);
				case "result" -> result(event);
				case "rate_limit_event" -> rateLimit(event);
				default -> List.of();
			};
		}
		catch (RuntimeException ex) {
			// an event shaped in a way this renderer did not foresee: show it rather than
			// fail
			return List.of(TerminalText.sanitize(text));
		}
	}

	private @Nullable JsonNode parseObject(String text) {
		return StreamJson.event(this.json, text);
	}

	private List<String> system(JsonNode event) {
		String subtype = str(event, "subtype", "");
		if (subtype.equals("init")) {
			StringBuilder line = new StringBuilder("[init] session ").append(str(event, "session_id", "?"));
			line.append(" · model ").append(str(event, "model", "?"));
			line.append(" · cwd ").append(str(event, "cwd", "?"));
			return List.of(TerminalText.oneLine(line.toString()));
		}
		if (subtype.equals("api_retry")) {
			return List.of(TerminalText.oneLine(apiRetry(event)));
		}
		return List.of(TerminalText.oneLine("[system] " + (subtype.isEmpty() ? "event" : subtype)));
	}

	/** {@code [api retry] attempt 1/1 after 429 rate_limit, next in 1.1s}. */
	private static String apiRetry(JsonNode event) {
		StringBuilder line = new StringBuilder("[api retry]");
		String attempt = str(event, "attempt");
		if (attempt != null) {
			line.append(" attempt ").append(attempt);
			String max = str(event, "max_retries");
			if (max != null) {
				line.append('/').append(max);
			}
		}
		String status = str(event, "error_status");
		String error = str(event, "error");
		if (status != null || error != null) {
			line.append(" after");
			if (status != null) {
				line.append(' ').append(status);
			}
			if (error != null) {
				line.append(' ').append(error);
			}
		}
		JsonNode delay = event.get("retry_delay_ms");
		if (delay != null && delay.isNumber()) {
			line.append(", next in ").append(Formats.millis(delay.asLong()));
		}
		return line.toString();
	}

	private List<String> assistant(JsonNode event) {
		List<String> lines = new ArrayList<>();
		JsonNode message = event.path("message");
		for (JsonNode block : blocks(message.path("content"))) {
			switch (str(block, "type", "")) {
				case "text" -> {
					String text = TerminalText.sanitize(str(block, "text", "")).strip();
					if (!text.isEmpty()) {
						lines.addAll(text.lines().toList());
					}
				}
				case "tool_use" -> lines.add(toolUse(block));
				default -> {
					// thinking, redacted_thinking, server tool blocks: not shown
				}
			}
		}
		String error = str(event, "error");
		if (error == null) {
			error = str(message, "error");
		}
		if (error != null) {
			lines.add(TerminalText.oneLine("[assistant error] " + error));
		}
		return lines;
	}

	private String toolUse(JsonNode block) {
		String name = str(block, "name", "tool");
		JsonNode input = block.path("input");
		String summary;
		String command = str(input, "command");
		String key = TOOL_KEYS.get(name);
		if (name.equals("Bash") && command != null) {
			summary = command;
		}
		else if (key != null && str(input, key) != null) {
			summary = str(input, key, "");
		}
		else if (input.isMissingNode() || input.isNull() || (input.isObject() && input.isEmpty())) {
			summary = "";
		}
		else {
			summary = input.toString();
		}
		String line = "→ " + name + (summary.isEmpty() ? "" : ": " + TerminalText.oneLine(summary));
		return TerminalText.abbreviate(line, TOOL_INPUT_MAX);
	}

	private List<String> user(JsonNode event) {
		List<String> lines = new ArrayList<>();
		for (JsonNode block : blocks(event.path("message").path("content"))) {
			if (!str(block, "type", "").equals("tool_result")) {
				continue;
			}
			boolean isError = block.path("is_error").asBoolean(false);
			String content = toolResultText(block.path("content"));
			lines.addAll(shortened(isError ? "← error: " : "← ", content));
		}
		return lines;
	}

	private static String toolResultText(JsonNode content) {
		if (content.isString()) {
			return content.stringValue();
		}
		StringBuilder text = new StringBuilder();
		for (JsonNode part : blocks(content)) {
			String type = str(part, "type", "");
			if (type.equals("text")) {
				if (!text.isEmpty()) {
					text.append('\n');
				}
				text.append(str(part, "text", ""));
			}
			else if (!type.isEmpty()) {
				if (!text.isEmpty()) {
					text.append('\n');
				}
				text.append('[').append(type).append(']');
			}
		}
		return text.toString();
	}

	/**
	 * At most {@link #RESULT_MAX_LINES} lines and {@link #RESULT_MAX_CHARS} characters of
	 * {@code text}.
	 */
	static List<String> shortened(String marker, String text) {
		// keep the first line's indentation (numbered listings, tables); drop blank lines
		// around
		String clean = LEADING_BLANK_LINES.matcher(TerminalText.sanitize(text).stripTrailing()).replaceFirst("");
		if (clean.isBlank()) {
			return List.of(marker + "(no output)");
		}
		List<String> all = clean.lines().toList();
		List<String> kept = new ArrayList<>();
		int chars = 0;
		boolean cut = false;
		for (String line : all) {
			if (kept.size() == RESULT_MAX_LINES || chars >= RESULT_MAX_CHARS) {
				cut = true;
				break;
			}
			int room = RESULT_MAX_CHARS - chars;
			if (line.length() > room) {
				line = line.substring(0, room);
				cut = true;
			}
			kept.add(line);
			chars += line.length();
			if (cut) {
				break;
			}
		}
		if (kept.size() < all.size()) {
			cut = true;
		}
		List<String> lines = new ArrayList<>(kept.size());
		String indent = " ".repeat(marker.codePointCount(0, marker.length()));
		for (int i = 0; i < kept.size(); i++) {
			String line = (i == 0 ? marker : indent) + kept.get(i).replace('\t', ' ');
			if (cut && i == kept.size() - 1) {
				line = line.stripTrailing() + " " + TerminalText.ELLIPSIS;
			}
			lines.add(line);
		}
		return lines;
	}

	private List<String> result(JsonNode event) {
		StringBuilder head = new StringBuilder("[result] ").append(str(event, "subtype", "?"));
		head.append(" · is_error=").append(event.path("is_error").asBoolean(false));
		JsonNode turns = event.get("num_turns");
		if (turns != null && turns.isNumber()) {
			head.append(" · ").append(turns.asLong()).append(turns.asLong() == 1 ? " turn" : " turns");
		}
		JsonNode cost = event.has("total_cost_usd") ? event.get("total_cost_usd") : event.get("cost_usd");
		if (cost != null && cost.isNumber()) {
			head.append(" · ").append(Formats.cost(new BigDecimal(cost.asString())));
		}
		JsonNode duration = event.get("duration_ms");
		if (duration != null && duration.isNumber()) {
			head.append(" · ").append(Formats.millis(duration.asLong()));
		}
		List<String> lines = new ArrayList<>();
		lines.add(TerminalText.oneLine(head.toString()));
		String text = TerminalText.sanitize(str(event, "result", "")).strip();
		if (!text.isEmpty()) {
			lines.addAll(text.lines().toList());
		}
		for (JsonNode error : blocks(event.path("errors"))) {
			lines.add(TerminalText.oneLine("error: " + (error.isString() ? error.stringValue() : error.toString())));
		}
		return lines;
	}

	private List<String> rateLimit(JsonNode event) {
		JsonNode info = event.path("rate_limit_info");
		String status = str(info, "status", "");
		if (status.isEmpty() || status.equals("allowed")) {
			return List.of();
		}
		StringBuilder line = new StringBuilder("[rate limit] ").append(status);
		String type = str(info, "rateLimitType");
		if (type != null) {
			line.append(" (").append(type).append(')');
		}
		JsonNode resetsAt = info.get("resetsAt");
		if (resetsAt != null && !resetsAt.isNull()) {
			line.append(", resets at ").append(resetsAt.asString());
		}
		return List.of(TerminalText.oneLine(line.toString()));
	}

	private static Iterable<JsonNode> blocks(JsonNode node) {
		return node.isArray() ? node.values() : List.of();
	}

	/**
	 * A scalar field as text, or {@code fallback} when it is absent, null or not a
	 * scalar.
	 */
	private static String str(JsonNode node, String field, String fallback) {
		return StreamJson.text(node, field, fallback);
	}

	/** A scalar field as text, or null when it is absent, null or not a scalar. */
	private static @Nullable String str(JsonNode node, String field) {
		return StreamJson.text(node, field);
	}

	private static List<String> prefixed(String prefix, String text) {
		List<String> lines = text.lines().map(line -> prefix + line).toList();
		return lines.isEmpty() ? List.of(prefix.stripTrailing()) : lines;
	}

}
