package dev.dilxc.daemon.web;

import java.util.ArrayList;
import java.util.List;

import dev.dilxc.api.OutputLine;
import dev.dilxc.api.StreamJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A job's stored stream-json lines as the page shows them: what the client's terminal
 * renderer shows (assistant text, tool calls, tool results, the result, stderr), but
 * whole, since a page has room: a tool call's full input, a tool result's full text.
 * Lines are read by {@link StreamJson}, as the client reads them. Events nobody reads
 * ({@code stream_event}, allowed rate limits) are left out; a line that is not JSON is
 * shown as it is. The template escapes every field.
 */
final class LogEntries {

	/**
	 * One block of the log: {@code kind} picks its style (text, tool, output, error,
	 * result, system, stderr).
	 */
	record Entry(String kind, String title, String body) {
	}

	private final JsonMapper json;

	LogEntries(JsonMapper json) {
		this.json = json;
	}

	List<Entry> of(List<OutputLine> lines) {
		List<Entry> entries = new ArrayList<>();
		for (OutputLine line : lines) {
			String text = (line.text() != null) ? line.text() : "";
			String stream = (line.stream() != null) ? line.stream() : "stdout";
			if (stream.equals("stderr")) {
				entries.add(new Entry("stderr", "stderr", text));
				continue;
			}
			JsonNode event = stream.equals("stdout") ? StreamJson.event(this.json, text) : null;
			if (event == null) {
				entries.add(new Entry("system", stream.equals("stdout") ? "" : stream, text));
				continue;
			}
			try {
				add(entries, event);
			}
			catch (RuntimeException ex) {
				entries.add(new Entry("system", "", text)); // a shape nobody foresaw:
															// shown rather than lost
			}
		}
		return entries;
	}

	private void add(List<Entry> entries, JsonNode event) {
		switch (str(event, "type")) {
			case "system" -> {
				String subtype = str(event, "subtype");
				if (subtype.equals("init")) {
					entries.add(new Entry("system", "init", "session " + str(event, "session_id") + " · model "
							+ str(event, "model") + " · cwd " + str(event, "cwd")));
				}
				else if (!subtype.isEmpty()) {
					entries.add(new Entry("system", subtype, ""));
				}
			}
			case "assistant" -> {
				for (JsonNode block : event.path("message").path("content").values()) {
					switch (str(block, "type")) {
						case "text" -> entries.add(new Entry("text", "assistant", str(block, "text").strip()));
						case "tool_use" ->
							entries.add(new Entry("tool", str(block, "name"), toolInput(block.path("input"))));
						default -> {
							// thinking and server tool blocks: not shown, as in the
							// terminal
						}
					}
				}
				String error = event.has("error") ? str(event, "error") : str(event.path("message"), "error");
				if (!error.isEmpty()) {
					entries.add(new Entry("error", "assistant error", error));
				}
			}
			case "user" -> {
				for (JsonNode block : event.path("message").path("content").values()) {
					if (str(block, "type").equals("tool_result")) {
						boolean error = block.path("is_error").asBoolean(false);
						entries.add(new Entry(error ? "error" : "output", error ? "tool error" : "tool result",
								toolResult(block.path("content"))));
					}
				}
			}
			case "result" -> {
				StringBuilder title = new StringBuilder("result: ").append(str(event, "subtype"));
				if (event.path("is_error").asBoolean(false)) {
					title.append(" (error)");
				}
				StringBuilder body = new StringBuilder(str(event, "result").strip());
				for (JsonNode error : event.path("errors").values()) {
					body.append(body.isEmpty() ? "" : "\n")
						.append("error: ")
						.append(error.isString() ? error.stringValue() : error.toString());
				}
				entries.add(new Entry("result", title.toString(), body.toString()));
			}
			case "rate_limit_event" -> {
				String status = str(event.path("rate_limit_info"), "status");
				if (!status.isEmpty() && !status.equals("allowed")) {
					entries.add(new Entry("error", "rate limit", status));
				}
			}
			default -> {
				// stream_event and types newer than this page: skipped, as in the
				// terminal
			}
		}
	}

	/** Bash's command as is; any other tool's input as its JSON, pretty-printed. */
	private String toolInput(JsonNode input) {
		if (input.path("command").isString() && input.size() <= 2) {
			return input.path("command").stringValue();
		}
		return (input.isMissingNode() || input.isEmpty()) ? ""
				: this.json.writerWithDefaultPrettyPrinter().writeValueAsString(input);
	}

	private static String toolResult(JsonNode content) {
		if (content.isString()) {
			return content.stringValue();
		}
		List<String> parts = new ArrayList<>();
		for (JsonNode part : content.values()) {
			parts.add(str(part, "type").equals("text") ? str(part, "text") : "[" + str(part, "type") + "]");
		}
		return String.join("\n", parts);
	}

	/** A scalar field as text, or "" when it is absent, null or not a scalar. */
	private static String str(JsonNode node, String field) {
		return StreamJson.text(node, field, "");
	}

}
