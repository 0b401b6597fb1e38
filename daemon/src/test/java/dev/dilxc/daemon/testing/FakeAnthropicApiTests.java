package dev.dilxc.daemon.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.dilxc.daemon.testing.FakeAnthropicApi.Answer;
import dev.dilxc.daemon.testing.FakeAnthropicApi.Kind;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class FakeAnthropicApiTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String REMINDER = "<system-reminder>\nAttribution ...\n</system-reminder>\n";

	private final HttpClient http = HttpClient.newHttpClient();

	private final FakeAnthropicApi api = FakeAnthropicApi.start();

	@AfterEach
	void close() {
		this.api.close();
		this.http.close();
	}

	@Test
	void baseUrlIsLoopback() {
		assertThat(this.api.baseUrl()).isEqualTo("http://127.0.0.1:" + this.api.port());
		assertThat(this.api.port()).isPositive();
	}

	@Test
	void streamedTextAnswerIsWellFormedSse() throws Exception {
		this.api.enqueue(Answer.text("All done, with a long enough text to need several deltas. 🚀"));
		HttpResponse<String> response = post("/v1/messages", mainTurn("hello", true, false));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("content-type"))
			.hasValueSatisfying((ct) -> assertThat(ct).startsWith("text/event-stream"));
		List<JsonNode> events = sseData(response.body());
		assertThat(events).extracting((e) -> e.path("type").asString())
			.containsSubsequence("message_start", "content_block_start", "content_block_delta", "content_block_delta",
					"content_block_stop", "message_delta", "message_stop");
		assertThat(events.getFirst().path("message").path("model").asString()).isEqualTo("claude-opus-5-5");
		assertThat(events.getFirst().path("message").path("usage").path("input_tokens").asInt()).isPositive();
		StringBuilder text = new StringBuilder();
		events.stream()
			.filter((e) -> e.path("type").asString().equals("content_block_delta"))
			.forEach((e) -> text.append(e.path("delta").path("text").asString()));
		assertThat(text).hasToString("All done, with a long enough text to need several deltas. 🚀");
		JsonNode messageDelta = events.stream()
			.filter((e) -> e.path("type").asString().equals("message_delta"))
			.findFirst()
			.orElseThrow();
		assertThat(messageDelta.path("delta").path("stop_reason").asString()).isEqualTo("end_turn");
		assertThat(messageDelta.path("usage").path("output_tokens").asInt()).isPositive();
	}

	@Test
	void streamedToolUseCarriesInputAsJsonDeltas() throws Exception {
		this.api.enqueue(Answer.bash("touch /home/ubuntu/project/done.txt && echo \"quoted\""));
		List<JsonNode> events = sseData(post("/v1/messages", mainTurn("hi", true, false)).body());
		JsonNode start = events.stream()
			.filter((e) -> e.path("type").asString().equals("content_block_start"))
			.findFirst()
			.orElseThrow();
		assertThat(start.path("content_block").path("type").asString()).isEqualTo("tool_use");
		assertThat(start.path("content_block").path("name").asString()).isEqualTo("Bash");
		assertThat(start.path("content_block").path("id").asString()).startsWith("toolu_");
		StringBuilder partial = new StringBuilder();
		events.stream().filter((e) -> e.path("type").asString().equals("content_block_delta")).forEach((e) -> {
			assertThat(e.path("delta").path("type").asString()).isEqualTo("input_json_delta");
			partial.append(e.path("delta").path("partial_json").asString());
		});
		assertThat(JSON.readTree(partial.toString()).path("command").asString())
			.isEqualTo("touch /home/ubuntu/project/done.txt && echo \"quoted\"");
		assertThat(events)
			.anySatisfy((e) -> assertThat(e.path("delta").path("stop_reason").asString("")).isEqualTo("tool_use"));
	}

	@Test
	void aReusedToolUseAnswerGetsAFreshIdEachTime() throws Exception {
		this.api.whenEmpty(Answer.bash("true"));
		String first = JSON.readTree(post("/v1/messages", mainTurn("p", false, false)).body())
			.path("content")
			.get(0)
			.path("id")
			.asString();
		String second = JSON.readTree(post("/v1/messages", mainTurn("p", false, false)).body())
			.path("content")
			.get(0)
			.path("id")
			.asString();
		assertThat(first).startsWith("toolu_").isNotEqualTo(second);
	}

	@Test
	void nonStreamingRequestGetsAMessageObject() throws Exception {
		this.api.enqueue(Answer.toolUse("Let me look.", "Read", Map.of("file_path", "/etc/hostname")));
		HttpResponse<String> response = post("/v1/messages", mainTurn("hi", false, false));
		JsonNode message = JSON.readTree(response.body());
		assertThat(message.path("type").asString()).isEqualTo("message");
		assertThat(message.path("stop_reason").asString()).isEqualTo("tool_use");
		assertThat(message.path("content").get(0).path("text").asString()).isEqualTo("Let me look.");
		assertThat(message.path("content").get(1).path("input").path("file_path").asString())
			.isEqualTo("/etc/hostname");
		assertThat(message.path("usage").path("output_tokens").asInt()).isPositive();
	}

	@Test
	void scriptedAnswersAreConsumedInOrderThenTheFallbackAnswers() throws Exception {
		this.api.enqueue(Answer.httpError(529), Answer.text("second")).whenEmpty(Answer.text("fallback"));
		HttpResponse<String> first = post("/v1/messages", mainTurn("p", false, false));
		assertThat(first.statusCode()).isEqualTo(529);
		JsonNode error = JSON.readTree(first.body());
		assertThat(error.path("type").asString()).isEqualTo("error");
		assertThat(error.path("error").path("type").asString()).isEqualTo("overloaded_error");
		assertThat(text(post("/v1/messages", mainTurn("p", false, false)))).isEqualTo("second");
		assertThat(text(post("/v1/messages", mainTurn("p", false, false)))).isEqualTo("fallback");
		assertThat(this.api.pendingAnswers()).isZero();
	}

	@Test
	void sideRequestsDoNotConsumeScriptedAnswers() throws Exception {
		this.api.enqueue(Answer.text("main")).whenSideQuery(Answer.text("{\"title\":\"x\"}"));
		ObjectNode side = JSON.createObjectNode();
		side.put("model", "claude-haiku-4-5");
		side.put("max_tokens", 512);
		side.putArray("messages").addObject().put("role", "user").put("content", "title please");
		assertThat(text(post("/v1/messages", side))).isEqualTo("{\"title\":\"x\"}");
		HttpResponse<String> count = post("/v1/messages/count_tokens", mainTurn("p", false, false));
		assertThat(JSON.readTree(count.body()).path("input_tokens").asInt()).isPositive();
		HttpResponse<Void> hello = this.http.send(HttpRequest.newBuilder(URI.create(this.api.baseUrl() + "/api/hello"))
			.method("HEAD", HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.discarding());
		assertThat(hello.statusCode()).isEqualTo(200);
		assertThat(this.api.pendingAnswers()).isOne();
		assertThat(text(post("/v1/messages", mainTurn("p", false, false)))).isEqualTo("main");
		assertThat(this.api.requests()).extracting(FakeAnthropicApi.RecordedRequest::kind)
			.containsExactly(Kind.SIDE_QUERY, Kind.COUNT_TOKENS, Kind.PING, Kind.MAIN_TURN);
	}

	@Test
	void emptyToolListWithTheAgentSystemPromptIsStillAMainTurn() throws Exception {
		ObjectNode body = mainTurn("p", false, false);
		body.putArray("tools");
		body.putArray("system").addObject().put("type", "text").put("text", "x".repeat(6000));
		this.api.enqueue(Answer.text("main"));
		assertThat(text(post("/v1/messages", body))).isEqualTo("main");
		assertThat(this.api.mainTurns()).hasSize(1);
	}

	@Test
	void scriptBashThenFinishBranchesOnToolResult() throws Exception {
		this.api.scriptBashThenFinish("touch done.txt", "Finished.");
		JsonNode first = JSON.readTree(post("/v1/messages", mainTurn("p", false, false)).body());
		assertThat(first.path("content").get(0).path("input").path("command").asString()).isEqualTo("touch done.txt");
		String toolUseId = first.path("content").get(0).path("id").asString();
		ObjectNode second = mainTurn("p", false, false);
		ArrayNode messages = (ArrayNode) second.get("messages");
		messages.addObject().put("role", "assistant").set("content", first.path("content"));
		ObjectNode result = messages.addObject().put("role", "user").putArray("content").addObject();
		result.put("type", "tool_result").put("tool_use_id", toolUseId).put("content", "(no output)");
		assertThat(text(post("/v1/messages", second))).isEqualTo("Finished.");
		assertThat(this.api.mainTurns()).extracting(FakeAnthropicApi.RecordedRequest::hasToolResult)
			.containsExactly(false, true);
	}

	@Test
	void recordsPromptsApiKeysAndSessionIds() throws Exception {
		String nasty = "-rf $(touch /tmp/pwned) `x` 'a' \"b\"; c\n\tü 🚀 \u200F end\n";
		post("/v1/messages", mainTurn(nasty, false, true));
		assertThat(this.api.receivedPrompts()).containsExactly(nasty);
		assertThat(this.api.mainTurns().getFirst().firstUserTexts()).containsExactly(REMINDER, nasty);
		assertThat(this.api.receivedApiKeys()).containsExactly("sk-test-key");
		assertThat(this.api.receivedSessionIds()).containsExactly("0b1e7a5c-0000-4000-8000-000000000001");
		assertThat(this.api.mainTurns().getFirst().header("X-Api-Key")).hasValue("sk-test-key");
	}

	@Test
	void rateLimitedSendsRetryAfter() throws Exception {
		this.api.enqueue(Answer.rateLimited(7));
		HttpResponse<String> response = post("/v1/messages", mainTurn("p", true, false));
		assertThat(response.statusCode()).isEqualTo(429);
		assertThat(response.headers().firstValue("retry-after")).hasValue("7");
		assertThat(JSON.readTree(response.body()).path("error").path("type").asString()).isEqualTo("rate_limit_error");
	}

	@Test
	void hangNeverAnswersUntilClose() throws Exception {
		this.api.enqueue(Answer.hang());
		HttpRequest request = request("/v1/messages", mainTurn("p", true, false)).timeout(Duration.ofMillis(500))
			.build();
		assertThatThrownBy(() -> this.http.send(request, HttpResponse.BodyHandlers.ofString()))
			.isInstanceOf(HttpTimeoutException.class);
		assertThat(this.api.mainTurns()).hasSize(1);
	}

	@Test
	void closeReleasesHangingRequests() throws Exception {
		this.api.whenEmpty(Answer.hang());
		CompletableFuture<HttpResponse<String>> pending = this.http.sendAsync(
				request("/v1/messages", mainTurn("p", true, false)).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(this.api.awaitMainTurns(1, Duration.ofSeconds(5))).isTrue();
		long start = System.nanoTime();
		this.api.close();
		assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(5);
		assertThat(pending).failsWithin(Duration.ofSeconds(5));
	}

	@Test
	void resetForgetsEverythingAndReleasesHangingRequests() throws Exception {
		this.api.enqueue(Answer.hang(), Answer.text("stale")).whenEmpty(Answer.httpError(500));
		CompletableFuture<HttpResponse<String>> pending = this.http.sendAsync(
				request("/v1/messages", mainTurn("p", true, false)).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(this.api.awaitMainTurns(1, Duration.ofSeconds(5))).isTrue();
		this.api.reset();
		assertThat(pending).failsWithin(Duration.ofSeconds(5));
		assertThat(this.api.requests()).isEmpty();
		assertThat(this.api.pendingAnswers()).isZero();
		assertThat(text(post("/v1/messages", mainTurn("p", false, false)))).isEqualTo("ok");
	}

	@Test
	void hangMidStreamSendsTheStartThenStalls() throws Exception {
		this.api.enqueue(Answer.hangMidStream("Thinking"));
		HttpResponse<java.io.InputStream> response = this.http.send(
				request("/v1/messages", mainTurn("p", true, false)).build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		byte[] buffer = new byte[8192];
		StringBuilder seen = new StringBuilder();
		try (java.io.InputStream in = response.body()) {
			while (!seen.toString().contains("text_delta")) {
				int n = in.read(buffer);
				assertThat(n).isPositive();
				seen.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8));
			}
		}
		assertThat(seen.toString()).contains("message_start").doesNotContain("message_stop");
	}

	@Test
	void truncatedStreamEndsWithoutMessageStop() throws Exception {
		this.api.enqueue(Answer.truncatedStream("Half a thought"));
		List<JsonNode> events = sseData(post("/v1/messages", mainTurn("p", true, false)).body());
		assertThat(events).extracting((e) -> e.path("type").asString())
			.contains("message_start", "content_block_delta")
			.doesNotContain("content_block_stop", "message_delta", "message_stop");
	}

	private ObjectNode mainTurn(String prompt, boolean stream, boolean withReminder) {
		ObjectNode body = JSON.createObjectNode();
		body.put("model", "claude-opus-5-5");
		body.put("max_tokens", 128000);
		body.put("stream", stream);
		body.putArray("system").addObject().put("type", "text").put("text", "You are Claude Code.");
		body.putArray("tools").addObject().put("name", "Bash");
		ArrayNode content = body.putArray("messages").addObject().put("role", "user").putArray("content");
		if (withReminder) {
			content.addObject().put("type", "text").put("text", REMINDER);
		}
		content.addObject().put("type", "text").put("text", prompt);
		return body;
	}

	private HttpRequest.Builder request(String path, JsonNode body) {
		return HttpRequest.newBuilder(URI.create(this.api.baseUrl() + path))
			.header("content-type", "application/json")
			.header("x-api-key", "sk-test-key")
			.header("x-claude-code-session-id", "0b1e7a5c-0000-4000-8000-000000000001")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
	}

	private HttpResponse<String> post(String path, JsonNode body) throws Exception {
		return this.http.send(request(path, body).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String text(HttpResponse<String> response) {
		return JSON.readTree(response.body()).path("content").get(0).path("text").asString();
	}

	private static List<JsonNode> sseData(String body) {
		List<JsonNode> events = new ArrayList<>();
		for (String frame : body.split("\n\n")) {
			for (String line : frame.split("\n")) {
				if (line.startsWith("data: ")) {
					events.add(JSON.readTree(line.substring(6)));
				}
			}
		}
		return events;
	}

}
