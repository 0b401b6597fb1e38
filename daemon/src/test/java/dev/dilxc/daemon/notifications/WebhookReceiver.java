package dev.dilxc.daemon.notifications;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 standing in for a webhook receiver. What it answers is
 * scripted per job (found in the request's body), so notifications of other tests' jobs
 * never take another test's answers: a status code per request, or {@link #HANG} (no
 * answer until {@link #release()} or {@link #close()}); 204 when nothing is scripted.
 */
final class WebhookReceiver implements AutoCloseable {

	static final int HANG = -1;

	private static final Pattern JOB_ID = Pattern.compile("\"job\":\\{[^{}]*?\"id\":(\\d+)");

	/** One request as it arrived. */
	record Request(String method, String path, Headers headers, String body, long jobId) {

		String header(String name) {
			return this.headers.getFirst(name);
		}
	}

	private final HttpServer server;

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private final Map<Long, Deque<Integer>> answers = new ConcurrentHashMap<>();

	private final CountDownLatch released = new CountDownLatch(1);

	private WebhookReceiver(HttpServer server) {
		this.server = server;
	}

	static WebhookReceiver start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
			WebhookReceiver receiver = new WebhookReceiver(server);
			server.createContext("/", receiver::handle);
			server.start();
			return receiver;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A URL on 127.0.0.1 where nothing listens: the port was just free and is closed
	 * again.
	 */
	static URI closedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/hook");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	URI url(String path) {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + path);
	}

	/** The answers to the next requests about {@code jobId}, in order. */
	void answer(long jobId, int... statuses) {
		Deque<Integer> queue = new ArrayDeque<>();
		for (int status : statuses) {
			queue.add(status);
		}
		this.answers.put(jobId, queue);
	}

	List<Request> requestsFor(long jobId) {
		return this.requests.stream().filter((request) -> request.jobId() == jobId).toList();
	}

	private void handle(HttpExchange exchange) throws IOException {
		String body;
		try (InputStream in = exchange.getRequestBody()) {
			body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		Matcher id = JOB_ID.matcher(body);
		long jobId = id.find() ? Long.parseLong(id.group(1)) : -1;
		this.requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
				exchange.getRequestHeaders(), body, jobId));
		Deque<Integer> queue = this.answers.get(jobId);
		Integer status = (queue != null) ? queue.poll() : null;
		if (status != null && status == HANG) {
			try {
				this.released.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
			return;
		}
		exchange.sendResponseHeaders((status != null) ? status : 204, -1);
		exchange.close();
	}

	/** Ends every hanging request (without an answer: the connection is closed). */
	void release() {
		this.released.countDown();
	}

	@Override
	public void close() {
		this.released.countDown();
		this.server.stop(0);
	}

}
