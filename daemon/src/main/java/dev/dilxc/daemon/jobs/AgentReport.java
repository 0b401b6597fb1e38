package dev.dilxc.daemon.jobs;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What Claude Code's stream-json told us about a run, read line by line as it arrives.
 * The {@code result} event is the truth about how the run ended; unknown event types are
 * ignored, since the CLI adds new ones over time.
 */
final class AgentReport {

	private final JsonMapper json;

	private @Nullable String sessionId;

	private boolean resultSeen;

	private @Nullable String subtype;

	private @Nullable Boolean isError;

	private @Nullable String resultText;

	private @Nullable BigDecimal costUsd;

	private @Nullable Integer numTurns;

	private @Nullable String lastAssistantText;

	AgentReport(JsonMapper json) {
		this.json = json;
	}

	/**
	 * Reads one stdout line; returns true if it revealed the session id for the first
	 * time.
	 */
	synchronized boolean accept(String line) {
		if (!line.startsWith("{")) {
			return false;
		}
		JsonNode event;
		try {
			event = this.json.readTree(line);
		}
		catch (JacksonException ex) {
			return false;
		}
		boolean newSession = false;
		String session = text(event, "session_id");
		if (session != null && this.sessionId == null) {
			this.sessionId = session;
			newSession = true;
		}
		switch (event.path("type").asString("")) {
			case "result" -> {
				this.resultSeen = true;
				this.subtype = text(event, "subtype");
				this.isError = event.has("is_error") ? event.get("is_error").asBoolean() : null;
				this.resultText = text(event, "result");
				JsonNode cost = event.has("total_cost_usd") ? event.get("total_cost_usd") : event.get("cost_usd");
				this.costUsd = (cost != null && cost.isNumber()) ? cost.decimalValue() : null;
				this.numTurns = event.path("num_turns").isNumber() ? event.get("num_turns").asInt() : null;
				if (session != null) {
					this.sessionId = session;
				}
			}
			case "assistant" -> {
				for (JsonNode block : event.path("message").path("content")) {
					if ("text".equals(block.path("type").asString(""))) {
						this.lastAssistantText = block.path("text").asString("");
					}
				}
			}
			default -> {
			}
		}
		return newSession;
	}

	private static @Nullable String text(JsonNode event, String field) {
		JsonNode node = event.get(field);
		return (node != null && node.isString()) ? node.asString() : null;
	}

	synchronized @Nullable String sessionId() {
		return this.sessionId;
	}

	synchronized boolean resultSeen() {
		return this.resultSeen;
	}

	synchronized @Nullable String subtype() {
		return this.subtype;
	}

	synchronized @Nullable Boolean isError() {
		return this.isError;
	}

	synchronized @Nullable String resultText() {
		return this.resultText;
	}

	synchronized @Nullable BigDecimal costUsd() {
		return this.costUsd;
	}

	synchronized @Nullable Integer numTurns() {
		return this.numTurns;
	}

	synchronized @Nullable String lastAssistantText() {
		return this.lastAssistantText;
	}

	/** Applies a masking function to the stored result text (it may quote a secret). */
	synchronized void maskResult(java.util.function.UnaryOperator<String> mask) {
		if (this.resultText != null) {
			this.resultText = mask.apply(this.resultText);
		}
		if (this.lastAssistantText != null) {
			this.lastAssistantText = mask.apply(this.lastAssistantText);
		}
	}

}
