package dev.dilxc.daemon.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A scripted fake of the Anthropic Messages API on 127.0.0.1, for driving the real Claude
 * Code CLI in tests.
 *
 * <p>
 * Point the CLI at it with {@code ANTHROPIC_BASE_URL=api.baseUrl()} (plus
 * {@code ANTHROPIC_API_KEY=anything}, {@code DISABLE_TELEMETRY=1},
 * {@code CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1}). Every {@code POST /v1/messages}
 * that is a <em>main agent turn</em> takes the next scripted {@link Answer} from the
 * queue, or the {@link #whenEmpty(Answer) fallback} when the queue is empty. Side
 * requests that are not main turns (the CLI's small one-off queries,
 * {@code count_tokens}, {@code GET}/{@code HEAD} of {@code /} or {@code /api/hello})
 * never consume scripted answers; they are answered by {@link #whenSideQuery(Answer)} /
 * built-in replies. Everything received is recorded.
 *
 * <p>
 * A {@code POST /v1/messages} counts as a main turn when it carries a non-empty
 * {@code tools} array, or an empty one together with the long agent system prompt (see
 * {@link #looksLikeMainTurn}); override with {@link #mainTurnWhen(Predicate)}. With
 * {@code CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1}, CLI 2.1.332 in {@code -p} mode was
 * seen to send main turns only (one per agent step, plus one per retry). See
 * {@code src/test/resources/stream-json/README.md}.
 *
 * <pre>{@code
 * try (var api = FakeAnthropicApi.start()) {
 *     api.scriptBashThenFinish("touch /home/ubuntu/project/done.txt", "All done.");
 *     // run claude with ANTHROPIC_BASE_URL=api.baseUrl() ...
 *     assertThat(api.receivedPrompts()).first().isEqualTo(prompt);
 * }
 * }</pre>
 */
public final class FakeAnthropicApi implements AutoCloseable {

	/** Model name reported when a request names none. */
	public static final String DEFAULT_MODEL = "claude-sonnet-4-5";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final AtomicLong IDS = new AtomicLong();

	private final HttpServer server;

	private final ExecutorService executor;

	/**
	 * Parked (hanging) handlers wait on this; counted down by {@link #close()} and
	 * swapped by {@link #reset()}.
	 */
	private volatile CountDownLatch released = new CountDownLatch(1);

	private final AtomicBoolean closing = new AtomicBoolean();

	private final Deque<Answer> queue = new ArrayDeque<>();

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	private final Object lock = new Object();

	private Answer whenEmpty = Answer.text("ok");

	private Answer sideAnswer = Answer.text("ok");

	private Predicate<RecordedRequest> mainTurnWhen;

	private FakeAnthropicApi(HttpServer server, ExecutorService executor) {
		this.server = server;
		this.executor = executor;
	}

	// ---------------------------------------------------------------- lifecycle

	/** Starts a server on 127.0.0.1 with an ephemeral port. */
	public static FakeAnthropicApi start() {
		return start(0);
	}

	/** Starts a server on 127.0.0.1:{@code port} ({@code 0} = ephemeral). */
	public static FakeAnthropicApi start(int port) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
			ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
			server.setExecutor(executor);
			FakeAnthropicApi api = new FakeAnthropicApi(server, executor);
			server.createContext("/", api::handle);
			server.start();
			return api;
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot bind fake Anthropic API on 127.0.0.1:" + port, e);
		}
	}

	public int port() {
		return server.getAddress().getPort();
	}

	/** {@code http://127.0.0.1:PORT} — the value for {@code ANTHROPIC_BASE_URL}. */
	public String baseUrl() {
		return "http://127.0.0.1:" + port();
	}

	/**
	 * The sandbox's {@code agent.env} that sends its agents here with {@code apiKey}, and
	 * keeps the CLI from calling anywhere else.
	 */
	public String agentEnv(String apiKey) {
		return String.join("\n", "ANTHROPIC_API_KEY=" + apiKey, "ANTHROPIC_BASE_URL=" + baseUrl(),
				"DISABLE_TELEMETRY=1", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", "DISABLE_AUTOUPDATER=1",
				"CLAUDE_CODE_MAX_RETRIES=1", "");
	}

	/**
	 * Stops the server; requests parked in {@link Answer#hang()} are released and their
	 * connections dropped.
	 */
	@Override
	public void close() {
		if (!closing.compareAndSet(false, true)) {
			return;
		}
		released.countDown();
		server.stop(0);
		executor.shutdownNow();
		try {
			executor.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	// ---------------------------------------------------------------- scripting

	/** Appends answers for the next main-turn requests, one answer per request. */
	public FakeAnthropicApi enqueue(Answer... answers) {
		synchronized (lock) {
			for (Answer a : answers) {
				queue.addLast(Objects.requireNonNull(a));
			}
		}
		return this;
	}

	/** Appends {@code times} copies of {@code answer} (e.g. one per CLI retry). */
	public FakeAnthropicApi enqueue(int times, Answer answer) {
		for (int i = 0; i < times; i++) {
			enqueue(answer);
		}
		return this;
	}

	/**
	 * Answer for main-turn requests when the queue is empty (default:
	 * {@code Answer.text("ok")}).
	 */
	public FakeAnthropicApi whenEmpty(Answer answer) {
		synchronized (lock) {
			this.whenEmpty = Objects.requireNonNull(answer);
		}
		return this;
	}

	/**
	 * Answer for side queries (the CLI's tool-free helper requests; default:
	 * {@code Answer.text("ok")}).
	 */
	public FakeAnthropicApi whenSideQuery(Answer answer) {
		synchronized (lock) {
			this.sideAnswer = Objects.requireNonNull(answer);
		}
		return this;
	}

	/**
	 * Overrides how {@code POST /v1/messages} requests are split into main turns
	 * (consuming scripted answers) and side queries. The predicate sees method, path,
	 * headers and parsed JSON (its {@code body()} is empty).
	 */
	public FakeAnthropicApi mainTurnWhen(Predicate<RecordedRequest> predicate) {
		synchronized (lock) {
			this.mainTurnWhen = predicate;
		}
		return this;
	}

	/**
	 * Back to a fresh state between tests: drops queued answers and recorded requests,
	 * restores the defaults ({@code whenEmpty} and {@code whenSideQuery} =
	 * {@code Answer.text("ok")}, default main-turn test) and releases requests parked in
	 * {@link Answer#hang()} / {@link Answer#hangMidStream(String)} /
	 * {@link Answer#delayed} (their connections are closed without a complete answer).
	 */
	public FakeAnthropicApi reset() {
		synchronized (lock) {
			queue.clear();
			whenEmpty = Answer.text("ok");
			sideAnswer = Answer.text("ok");
			mainTurnWhen = null;
			requests.clear();
			if (!closing.get()) {
				CountDownLatch old = released;
				released = new CountDownLatch(1);
				old.countDown();
			}
		}
		return this;
	}

	/** Drops all queued answers. */
	public FakeAnthropicApi clearQueue() {
		synchronized (lock) {
			queue.clear();
		}
		return this;
	}

	/** Number of scripted answers not yet consumed. */
	public int pendingAnswers() {
		synchronized (lock) {
			return queue.size();
		}
	}

	/**
	 * The common flow: a main turn whose last message carries a {@code tool_result} gets
	 * {@code Answer.text(finalText)}, every other main turn gets
	 * {@code Answer.bash(command)}. Set as the fallback, so queued answers still win.
	 */
	public FakeAnthropicApi scriptBashThenFinish(String command, String finalText) {
		Answer bash = Answer.bash(command);
		Answer done = Answer.text(finalText);
		return whenEmpty(Answer.dynamic(r -> r.hasToolResult() ? done : bash));
	}

	// ---------------------------------------------------------------- recording

	/** Every request received, in arrival order. */
	public List<RecordedRequest> requests() {
		return List.copyOf(requests);
	}

	/**
	 * The {@code POST /v1/messages} requests that were main agent turns (those that
	 * consume scripted answers).
	 */
	public List<RecordedRequest> mainTurns() {
		return requests.stream().filter(r -> r.kind() == Kind.MAIN_TURN).toList();
	}

	/** The tool-less {@code POST /v1/messages} side queries. */
	public List<RecordedRequest> sideQueries() {
		return requests.stream().filter(r -> r.kind() == Kind.SIDE_QUERY).toList();
	}

	/**
	 * For each main turn, {@link RecordedRequest#prompt()}: the user's prompt as the CLI
	 * sent it.
	 */
	public List<String> receivedPrompts() {
		return mainTurns().stream().map(RecordedRequest::prompt).flatMap(Optional::stream).toList();
	}

	/**
	 * The {@code x-api-key} header of each {@code /v1/messages} request (main turns and
	 * side queries).
	 */
	public List<String> receivedApiKeys() {
		return requests.stream()
			.filter(r -> r.kind() == Kind.MAIN_TURN || r.kind() == Kind.SIDE_QUERY)
			.map(r -> r.header("x-api-key").orElse(null))
			.filter(Objects::nonNull)
			.toList();
	}

	/**
	 * The distinct {@code x-claude-code-session-id} headers seen (equal to the
	 * stream-json {@code session_id}).
	 */
	public List<String> receivedSessionIds() {
		return requests.stream()
			.map(r -> r.header("x-claude-code-session-id").orElse(null))
			.filter(Objects::nonNull)
			.distinct()
			.toList();
	}

	/**
	 * Waits until at least {@code n} requests matching {@code filter} arrived; returns
	 * whether they did.
	 */
	public boolean awaitRequests(int n, Predicate<RecordedRequest> filter, Duration timeout) {
		return Await.holdsWithin(timeout, Duration.ofMillis(20), () -> requests.stream().filter(filter).count() >= n);
	}

	/** Waits until at least {@code n} main turns arrived. */
	public boolean awaitMainTurns(int n, Duration timeout) {
		return awaitRequests(n, r -> r.kind() == Kind.MAIN_TURN, timeout);
	}

	// ---------------------------------------------------------------- HTTP handling

	private void handle(HttpExchange ex) throws IOException {
		try (ex) {
			byte[] raw = readBody(ex);
			String body = new String(raw, StandardCharsets.UTF_8);
			Map<String, List<String>> headers = new LinkedHashMap<>();
			ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
			String method = ex.getRequestMethod();
			String path = ex.getRequestURI().getPath();
			JsonNode json = null;
			if (!body.isBlank()) {
				try {
					json = JSON.readTree(body);
				}
				catch (JacksonException e) {
					json = null;
				}
			}
			Kind kind = classify(method, path, json, headers);
			RecordedRequest req = new RecordedRequest(Instant.now(), method, ex.getRequestURI().toString(), path,
					Collections.unmodifiableMap(headers), body, json, kind);
			requests.add(req);

			switch (kind) {
				case PING -> sendRaw(ex, 200, "application/json",
						method.equals("HEAD") ? null : "{\"message\":\"hello\"}", Map.of());
				case COUNT_TOKENS -> {
					ObjectNode n = JSON.createObjectNode();
					n.put("input_tokens", estimateTokens(body));
					sendRaw(ex, 200, "application/json", n.toString(), Map.of());
				}
				case MAIN_TURN, SIDE_QUERY -> {
					Answer answer;
					synchronized (lock) {
						answer = kind == Kind.SIDE_QUERY ? sideAnswer
								: (queue.isEmpty() ? whenEmpty : queue.pollFirst());
					}
					respond(ex, req, answer);
				}
				case OTHER -> {
					if (method.equals("HEAD")) {
						sendRaw(ex, 404, "application/json", null, Map.of());
					}
					else {
						sendError(ex, new Answer.HttpError(404, "not_found_error", "Not found: " + method + " " + path,
								Map.of()));
					}
				}
			}
		}
		catch (IOException e) {
			// client went away (e.g. the CLI timed out or was killed) — nothing to do
		}
	}

	private Kind classify(String method, String path, JsonNode json, Map<String, List<String>> headers) {
		if ((method.equals("GET") || method.equals("HEAD")) && (path.equals("/") || path.equals("/api/hello"))) {
			return Kind.PING;
		}
		if (method.equals("POST") && path.equals("/v1/messages/count_tokens")) {
			return Kind.COUNT_TOKENS;
		}
		if (!(method.equals("POST") && path.equals("/v1/messages"))) {
			return Kind.OTHER;
		}
		Predicate<RecordedRequest> custom;
		synchronized (lock) {
			custom = mainTurnWhen;
		}
		if (custom != null) {
			RecordedRequest probe = new RecordedRequest(Instant.now(), method, path, path, headers, "", json,
					Kind.OTHER);
			return custom.test(probe) ? Kind.MAIN_TURN : Kind.SIDE_QUERY;
		}
		return looksLikeMainTurn(json, headers) ? Kind.MAIN_TURN : Kind.SIDE_QUERY;
	}

	/**
	 * The default main-turn test. 2.1.332 sends no request-class header to a custom base
	 * URL, and its agent loop always sends a {@code tools} key (a non-empty list, or
	 * {@code []} under {@code --tools ""}) and its long agent system prompt (~7 kB);
	 * tool-free helper queries are told apart by the absence of either.
	 */
	static boolean looksLikeMainTurn(JsonNode json, Map<String, List<String>> headers) {
		List<String> cls = headers.get("x-claude-code-request-class");
		if (cls != null && !cls.isEmpty()) {
			String c = cls.getFirst();
			return c.equals("main") || c.equals("subagent") || c.equals("workflow");
		}
		if (json == null) {
			return false;
		}
		JsonNode tools = json.get("tools");
		if (tools == null || !tools.isArray()) {
			return false;
		}
		if (!tools.isEmpty()) {
			return true;
		}
		JsonNode system = json.get("system");
		int systemChars = 0;
		if (system != null && system.isString()) {
			systemChars = system.stringValue().length();
		}
		else if (system != null) {
			for (JsonNode b : system.values()) {
				systemChars += b.path("text").asString("").length();
			}
		}
		return systemChars > 3000;
	}

	private void respond(HttpExchange ex, RecordedRequest req, Answer answer) throws IOException {
		switch (answer) {
			case Answer.Dynamic d -> respond(ex, req, Objects.requireNonNull(d.fn().apply(req), "dynamic answer"));
			case Answer.Delayed d -> {
				if (awaitClose(d.delay())) {
					return;
				}
				respond(ex, req, d.then());
			}
			case Answer.Hang h -> awaitClose(null);
			case Answer.HttpError e -> sendError(ex, e);
			case Answer.Message m -> {
				if (req.stream()) {
					streamMessage(ex, req, m, Ending.COMPLETE);
				}
				else {
					sendRaw(ex, 200, "application/json", messageJson(req, m).toString(), requestIdHeader());
				}
			}
			case Answer.HangMidStream m -> {
				if (req.stream()) {
					streamMessage(ex, req, m.partial(), Ending.HANG);
				}
				else {
					sendPartialJson(ex, req, m.partial());
					awaitClose(null);
				}
			}
			case Answer.TruncatedStream m -> {
				if (req.stream()) {
					streamMessage(ex, req, m.partial(), Ending.TRUNCATE);
				}
				else {
					sendPartialJson(ex, req, m.partial());
				}
			}
		}
	}

	/**
	 * Waits for close / reset (or the timeout); returns true if released by close or
	 * reset.
	 */
	private boolean awaitClose(Duration timeout) {
		CountDownLatch latch = released;
		try {
			if (timeout == null) {
				latch.await();
				return true;
			}
			return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return true;
		}
	}

	private enum Ending {

		COMPLETE, HANG, TRUNCATE

	}

	/**
	 * 200 with a chunked body holding the first half of the message JSON (for stalled /
	 * cut non-streaming answers).
	 */
	private static void sendPartialJson(HttpExchange ex, RecordedRequest req, Answer.Message m) throws IOException {
		ex.getResponseHeaders().add("content-type", "application/json");
		requestIdHeader().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
		ex.sendResponseHeaders(200, 0);
		String json = messageJson(req, m).toString();
		ex.getResponseBody().write(json.substring(0, json.length() / 2).getBytes(StandardCharsets.UTF_8));
		ex.getResponseBody().flush();
	}

	private void streamMessage(HttpExchange ex, RecordedRequest req, Answer.Message m, Ending ending)
			throws IOException {
		ex.getResponseHeaders().add("content-type", "text/event-stream; charset=utf-8");
		ex.getResponseHeaders().add("cache-control", "no-cache");
		requestIdHeader().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
		ex.sendResponseHeaders(200, 0);
		OutputStream out = ex.getResponseBody();
		String model = req.model().orElse(DEFAULT_MODEL);
		int inputTokens = estimateTokens(req.body());

		ObjectNode start = JSON.createObjectNode();
		start.put("type", "message_start");
		ObjectNode msg = start.putObject("message");
		msg.put("id", newId("msg_"));
		msg.put("type", "message");
		msg.put("role", "assistant");
		msg.put("model", model);
		msg.putArray("content");
		msg.putNull("stop_reason");
		msg.putNull("stop_sequence");
		ObjectNode startUsage = msg.putObject("usage");
		startUsage.put("input_tokens", inputTokens);
		startUsage.put("cache_creation_input_tokens", 0);
		startUsage.put("cache_read_input_tokens", 0);
		startUsage.put("output_tokens", 1);
		event(out, "message_start", start);
		event(out, "ping", JSON.createObjectNode().put("type", "ping"));

		int index = 0;
		for (Block block : m.blocks()) {
			ObjectNode cbs = JSON.createObjectNode();
			cbs.put("type", "content_block_start");
			cbs.put("index", index);
			ObjectNode cb = cbs.putObject("content_block");
			List<ObjectNode> deltas = new ArrayList<>();
			switch (block) {
				case Block.Text t -> {
					cb.put("type", "text");
					cb.put("text", "");
					for (String chunk : chunks(t.text(), 40)) {
						ObjectNode d = JSON.createObjectNode();
						d.put("type", "text_delta");
						d.put("text", chunk);
						deltas.add(d);
					}
				}
				case Block.ToolUse u -> {
					cb.put("type", "tool_use");
					cb.put("id", u.id() != null ? u.id() : newId("toolu_"));
					cb.put("name", u.name());
					cb.putObject("input");
					for (String chunk : chunks(JSON.writeValueAsString(u.input()), 30)) {
						ObjectNode d = JSON.createObjectNode();
						d.put("type", "input_json_delta");
						d.put("partial_json", chunk);
						deltas.add(d);
					}
				}
			}
			event(out, "content_block_start", cbs);
			for (ObjectNode d : deltas) {
				ObjectNode cbd = JSON.createObjectNode();
				cbd.put("type", "content_block_delta");
				cbd.put("index", index);
				cbd.set("delta", d);
				event(out, "content_block_delta", cbd);
			}
			if (ending == Ending.HANG) {
				awaitClose(null);
				return;
			}
			if (ending == Ending.TRUNCATE) {
				return;
			}
			ObjectNode stop = JSON.createObjectNode();
			stop.put("type", "content_block_stop");
			stop.put("index", index);
			event(out, "content_block_stop", stop);
			index++;
		}
		if (ending != Ending.COMPLETE) {
			if (ending == Ending.HANG) {
				awaitClose(null);
			}
			return;
		}
		ObjectNode md = JSON.createObjectNode();
		md.put("type", "message_delta");
		ObjectNode delta = md.putObject("delta");
		delta.put("stop_reason", m.stopReason());
		delta.putNull("stop_sequence");
		ObjectNode usage = md.putObject("usage");
		usage.put("input_tokens", inputTokens);
		usage.put("cache_creation_input_tokens", 0);
		usage.put("cache_read_input_tokens", 0);
		usage.put("output_tokens", outputTokens(m));
		event(out, "message_delta", md);
		event(out, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
	}

	private static ObjectNode messageJson(RecordedRequest req, Answer.Message m) {
		ObjectNode msg = JSON.createObjectNode();
		msg.put("id", newId("msg_"));
		msg.put("type", "message");
		msg.put("role", "assistant");
		msg.put("model", req.model().orElse(DEFAULT_MODEL));
		ArrayNode content = msg.putArray("content");
		for (Block block : m.blocks()) {
			ObjectNode b = content.addObject();
			switch (block) {
				case Block.Text t -> b.put("type", "text").put("text", t.text());
				case Block.ToolUse u -> {
					b.put("type", "tool_use").put("id", u.id() != null ? u.id() : newId("toolu_"));
					b.put("name", u.name());
					b.set("input", JSON.valueToTree(u.input()));
				}
			}
		}
		msg.put("stop_reason", m.stopReason());
		msg.putNull("stop_sequence");
		ObjectNode usage = msg.putObject("usage");
		usage.put("input_tokens", estimateTokens(req.body()));
		usage.put("cache_creation_input_tokens", 0);
		usage.put("cache_read_input_tokens", 0);
		usage.put("output_tokens", outputTokens(m));
		return msg;
	}

	private static void event(OutputStream out, String name, JsonNode data) throws IOException {
		out.write(("event: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n")
			.getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	private static void sendError(HttpExchange ex, Answer.HttpError e) throws IOException {
		ObjectNode n = JSON.createObjectNode();
		n.put("type", "error");
		ObjectNode err = n.putObject("error");
		err.put("type", e.type());
		err.put("message", e.message());
		Map<String, String> headers = new LinkedHashMap<>(requestIdHeader());
		headers.putAll(e.headers());
		sendRaw(ex, e.status(), "application/json", n.toString(), headers);
	}

	private static void sendRaw(HttpExchange ex, int status, String contentType, String body,
			Map<String, String> headers) throws IOException {
		ex.getResponseHeaders().add("content-type", contentType);
		headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
		if (body == null) {
			ex.sendResponseHeaders(status, -1);
			return;
		}
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		ex.sendResponseHeaders(status, bytes.length);
		ex.getResponseBody().write(bytes);
	}

	private static Map<String, String> requestIdHeader() {
		return Map.of("request-id", newId("req_"));
	}

	private static byte[] readBody(HttpExchange ex) throws IOException {
		byte[] raw;
		try (InputStream in = ex.getRequestBody()) {
			raw = in.readAllBytes();
		}
		String enc = ex.getRequestHeaders().getFirst("content-encoding");
		if (enc != null && enc.equalsIgnoreCase("gzip")) {
			try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
				return in.readAllBytes();
			}
		}
		return raw;
	}

	private static List<String> chunks(String s, int size) {
		List<String> out = new ArrayList<>();
		int i = 0;
		while (i < s.length()) {
			int end = Math.min(s.length(), i + size);
			if (end < s.length() && Character.isHighSurrogate(s.charAt(end - 1))) {
				end++; // never split a surrogate pair
			}
			out.add(s.substring(i, end));
			i = end;
		}
		if (out.isEmpty()) {
			out.add("");
		}
		return out;
	}

	/** Roughly 4 characters per token, as a stand-in for the real tokenizer; never 0. */
	private static int estimateTokens(String text) {
		return Math.max(1, text.length() / 4);
	}

	private static int outputTokens(Answer.Message m) {
		int chars = 0;
		for (Block b : m.blocks()) {
			chars += switch (b) {
				case Block.Text t -> t.text().length();
				case Block.ToolUse u -> u.name().length() + JSON.writeValueAsString(u.input()).length();
			};
		}
		return Math.max(1, chars / 4) + 5;
	}

	private static String newId(String prefix) {
		String u = UUID.randomUUID().toString().replace("-", "");
		return prefix + "01" + u.substring(0, 22) + IDS.incrementAndGet();
	}

	// ---------------------------------------------------------------- types

	/** How a request was classified. */
	public enum Kind {

		/** {@code POST /v1/messages} of the agent loop: consumes a scripted answer. */
		MAIN_TURN,
		/**
		 * Any other {@code POST /v1/messages} (the CLI's tool-free helper queries, e.g.
		 * title generation).
		 */
		SIDE_QUERY,
		/** {@code POST /v1/messages/count_tokens}. */
		COUNT_TOKENS,
		/**
		 * {@code GET}/{@code HEAD} of {@code /} or {@code /api/hello} (the CLI's
		 * connectivity check).
		 */
		PING,
		/** Anything else (answered 404). */
		OTHER

	}

	/**
	 * One received HTTP request. Header names are lower-cased. {@code json} is null if
	 * the body is not JSON.
	 */
	public record RecordedRequest(Instant receivedAt, String method, String uri, String path,
			Map<String, List<String>> headers, String body, JsonNode json, Kind kind) {

		public Optional<String> header(String name) {
			List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
			return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
		}

		public Optional<String> model() {
			return json == null || !json.path("model").isString() ? Optional.empty()
					: Optional.of(json.path("model").stringValue());
		}

		public boolean stream() {
			return json != null && json.path("stream").asBoolean(false);
		}

		/** The {@code messages} array (empty if absent). */
		public List<JsonNode> messages() {
			JsonNode m = json == null ? null : json.get("messages");
			return m == null || !m.isArray() ? List.of() : List.copyOf(m.values());
		}

		/**
		 * Whether the last message is a user message carrying a {@code tool_result}
		 * block.
		 */
		public boolean hasToolResult() {
			List<JsonNode> msgs = messages();
			if (msgs.isEmpty()) {
				return false;
			}
			JsonNode last = msgs.getLast();
			if (!"user".equals(last.path("role").asString(""))) {
				return false;
			}
			for (JsonNode block : last.path("content").values()) {
				if ("tool_result".equals(block.path("type").asString(""))) {
					return true;
				}
			}
			return false;
		}

		/**
		 * The text blocks of the first user message, in order (a plain-string content
		 * counts as one block).
		 */
		public List<String> firstUserTexts() {
			for (JsonNode m : messages()) {
				if (!"user".equals(m.path("role").asString(""))) {
					continue;
				}
				JsonNode content = m.path("content");
				if (content.isString()) {
					return List.of(content.stringValue());
				}
				List<String> out = new ArrayList<>();
				for (JsonNode block : content.values()) {
					if ("text".equals(block.path("type").asString("")) && block.path("text").isString()) {
						out.add(block.path("text").stringValue());
					}
				}
				return out;
			}
			return List.of();
		}

		/**
		 * The user's prompt: the last text block of the first user message that is not a
		 * CLI-injected {@code <system-reminder>} block. Empty if there is no such block.
		 */
		public Optional<String> prompt() {
			List<String> texts = firstUserTexts();
			for (int i = texts.size() - 1; i >= 0; i--) {
				if (!texts.get(i).startsWith("<system-reminder>")) {
					return Optional.of(texts.get(i));
				}
			}
			return Optional.empty();
		}

		/**
		 * The system prompt text (string form, or the text blocks joined by newlines).
		 */
		public String systemText() {
			JsonNode s = json == null ? null : json.get("system");
			if (s == null) {
				return "";
			}
			if (s.isString()) {
				return s.stringValue();
			}
			List<String> parts = new ArrayList<>();
			for (JsonNode b : s.values()) {
				parts.add(b.path("text").asString(""));
			}
			return String.join("\n", parts);
		}

		/** Names of the tools offered in this request. */
		public List<String> toolNames() {
			JsonNode t = json == null ? null : json.get("tools");
			if (t == null || !t.isArray()) {
				return List.of();
			}
			return t.values().stream().map(n -> n.path("name").asString("")).toList();
		}
	}

	/** A content block of a scripted assistant message. */
	public sealed interface Block {

		record Text(String text) implements Block {
			public Text {
				Objects.requireNonNull(text);
			}
		}

		/**
		 * A tool call; a null {@code id} gets a fresh {@code toolu_...} id each time the
		 * answer is sent.
		 */
		record ToolUse(String id, String name, Map<String, ?> input) implements Block {
			public ToolUse {
				Objects.requireNonNull(name);
				input = Collections.unmodifiableMap(new LinkedHashMap<>(input));
			}
		}

	}

	/** A scripted answer to one {@code POST /v1/messages}. */
	public sealed interface Answer {

		/** An assistant message: {@code stop_reason: end_turn} with one text block. */
		static Answer text(String text) {
			return new Message(List.of(new Block.Text(text)), "end_turn");
		}

		/** An assistant message calling one tool ({@code stop_reason: tool_use}). */
		static Answer toolUse(String name, Map<String, ?> input) {
			return new Message(List.of(new Block.ToolUse(null, name, input)), "tool_use");
		}

		/** Like {@link #toolUse(String, Map)}, with a text block before the tool call. */
		static Answer toolUse(String preamble, String name, Map<String, ?> input) {
			return new Message(List.of(new Block.Text(preamble), new Block.ToolUse(null, name, input)), "tool_use");
		}

		/** A {@code Bash} tool call running {@code command}. */
		static Answer bash(String command) {
			return toolUse("Bash", Map.of("command", command));
		}

		/** Any message: e.g. {@code message("max_tokens", new Block.Text("cut off"))}. */
		static Answer message(String stopReason, Block... blocks) {
			return new Message(List.of(blocks), stopReason);
		}

		/**
		 * An HTTP error with the body the real API sends,
		 * {@code {"type":"error","error":{"type":..,"message":..}}}: 400
		 * invalid_request_error, 401 authentication_error, 403 permission_error, 404
		 * not_found_error, 413 request_too_large, 429 rate_limit_error, 529
		 * overloaded_error, other 5xx api_error.
		 */
		static Answer httpError(int status) {
			return switch (status) {
				case 400 -> new HttpError(400, "invalid_request_error", "Invalid request", Map.of());
				case 401 -> new HttpError(401, "authentication_error", "invalid x-api-key", Map.of());
				case 403 -> new HttpError(403, "permission_error",
						"Your API key does not have permission to use the specified resource.", Map.of());
				case 404 -> new HttpError(404, "not_found_error", "Not found", Map.of());
				case 413 ->
					new HttpError(413, "request_too_large", "Request exceeds the maximum allowed size.", Map.of());
				case 429 -> new HttpError(429, "rate_limit_error", "Rate limited", Map.of());
				case 529 -> new HttpError(529, "overloaded_error", "Overloaded", Map.of());
				default -> new HttpError(status, "api_error", "Internal server error", Map.of());
			};
		}

		/** An HTTP error with explicit error type, message and extra response headers. */
		static Answer httpError(int status, String errorType, String message, Map<String, String> headers) {
			return new HttpError(status, errorType, message, headers);
		}

		/** HTTP 429 rate_limit_error with a {@code retry-after} header (seconds). */
		static Answer rateLimited(int retryAfterSeconds) {
			return new HttpError(429, "rate_limit_error",
					"Number of request tokens has exceeded your per-minute " + "rate limit",
					Map.of("retry-after", Integer.toString(retryAfterSeconds)));
		}

		/**
		 * Accepts the request and never answers (no status line) until the server is
		 * closed or reset.
		 */
		static Answer hang() {
			return new Hang();
		}

		/**
		 * Sends status 200, message_start, content_block_start and the text deltas of
		 * {@code text}, then stalls until close (no content_block_stop / message_stop). A
		 * non-streaming request gets half a JSON body, then the stall. Real CLI 2.1.332:
		 * its stream idle watchdog fires after 300 s (minimum), then it retries without
		 * streaming.
		 */
		static Answer hangMidStream(String text) {
			return new HangMidStream((Message) text(text));
		}

		/**
		 * Sends status 200, message_start, content_block_start and the text deltas of
		 * {@code text}, then ends the response body cleanly without content_block_stop /
		 * message_delta / message_stop (a cut-off stream).
		 */
		static Answer truncatedStream(String text) {
			return new TruncatedStream((Message) text(text));
		}

		/** Waits {@code delay}, then answers with {@code then}. */
		static Answer delayed(Duration delay, Answer then) {
			return new Delayed(delay, then);
		}

		/**
		 * Computes the answer from the request (e.g. branch on
		 * {@link RecordedRequest#hasToolResult()}).
		 */
		static Answer dynamic(Function<RecordedRequest, Answer> fn) {
			return new Dynamic(fn);
		}

		record Message(List<Block> blocks, String stopReason) implements Answer {
			public Message {
				blocks = List.copyOf(blocks);
				Objects.requireNonNull(stopReason);
			}
		}

		record HttpError(int status, String type, String message, Map<String, String> headers) implements Answer {
			public HttpError {
				headers = Map.copyOf(headers);
			}
		}

		record Hang() implements Answer {
		}

		record HangMidStream(Message partial) implements Answer {
		}

		record TruncatedStream(Message partial) implements Answer {
		}

		record Delayed(Duration delay, Answer then) implements Answer {
		}

		record Dynamic(Function<RecordedRequest, Answer> fn) implements Answer {
		}

	}

}
