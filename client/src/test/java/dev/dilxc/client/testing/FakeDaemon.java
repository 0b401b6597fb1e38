package dev.dilxc.client.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A tiny HTTP/1.1 server on a Unix domain socket, standing in for the daemon in tests: it
 * records each request and answers with whatever the handler returns.
 */
public final class FakeDaemon implements AutoCloseable {

	private final Path socket;

	private final ServerSocketChannel server;

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private volatile Function<Request, Response> handler = request -> Response.json(404,
			"{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}");

	private final Thread acceptor;

	public FakeDaemon(Path directory) throws IOException {
		this.socket = directory.resolve("daemon.sock");
		Files.deleteIfExists(this.socket);
		this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		this.server.bind(UnixDomainSocketAddress.of(this.socket));
		this.acceptor = Thread.ofPlatform().daemon().name("fake-daemon").start(this::acceptLoop);
	}

	public Path socket() {
		return this.socket;
	}

	/** Answers every request with what {@code handler} returns. */
	public FakeDaemon answer(Function<Request, Response> handler) {
		this.handler = handler;
		return this;
	}

	public List<Request> requests() {
		return List.copyOf(this.requests);
	}

	public Request onlyRequest() {
		if (this.requests.size() != 1) {
			throw new AssertionError("expected one request, got " + this.requests);
		}
		return this.requests.getFirst();
	}

	private void acceptLoop() {
		while (this.server.isOpen()) {
			try {
				SocketChannel channel = this.server.accept();
				Thread.ofVirtual().start(() -> serve(channel));
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(SocketChannel channel) {
		try (channel) {
			InputStream in = new BufferedInputStream(Channels.newInputStream(channel));
			Request request = readRequest(in);
			this.requests.add(request);
			Response response = this.handler.apply(request);
			if (response.silent()) {
				Thread.sleep(60_000);
				return;
			}
			OutputStream out = Channels.newOutputStream(channel);
			out.write(response.encode());
			out.flush();
		}
		catch (IOException | InterruptedException ex) {
			// the client went away
		}
	}

	private static Request readRequest(InputStream in) throws IOException {
		String requestLine = readLine(in);
		String[] parts = requestLine.split(" ", 3);
		Map<String, String> headers = new LinkedHashMap<>();
		String line;
		while (!(line = readLine(in)).isEmpty()) {
			int colon = line.indexOf(':');
			headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
		}
		int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
		byte[] body = in.readNBytes(length);
		return new Request(parts[0], parts[1], headers, new String(body, StandardCharsets.UTF_8));
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1 && b != '\n') {
			line.write(b);
		}
		String text = line.toString(StandardCharsets.ISO_8859_1);
		return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		this.acceptor.interrupt();
		Files.deleteIfExists(this.socket);
	}

	/** A request as the fake daemon received it. */
	public record Request(String method, String target, Map<String, String> headers, String body) {

		public String path() {
			int query = this.target.indexOf('?');
			return (query >= 0) ? this.target.substring(0, query) : this.target;
		}
	}

	/**
	 * What the fake daemon answers.
	 *
	 * @param chunked send the body with chunked transfer coding instead of Content-Length
	 * @param silent never answer
	 */
	public record Response(int status, String contentType, String body, boolean chunked, boolean silent) {

		public static Response json(int status, String body) {
			return new Response(status, "application/json", body, false, false);
		}

		public static Response problem(int status, String type, String detail) {
			String body = "{\"type\":\"urn:dilxc:problem:" + type + "\",\"title\":\"" + type + "\",\"status\":" + status
					+ ",\"detail\":\"" + detail.replace("\"", "\\\"") + "\"}";
			return new Response(status, "application/problem+json", body, false, false);
		}

		public static Response silence() {
			return new Response(0, "", "", false, true);
		}

		public Response chunkedEncoding() {
			return new Response(this.status, this.contentType, this.body, true, this.silent);
		}

		byte[] encode() {
			byte[] bytes = this.body.getBytes(StandardCharsets.UTF_8);
			StringBuilder head = new StringBuilder("HTTP/1.1 ").append(this.status).append(" X\r\n");
			head.append("Content-Type: ").append(this.contentType).append("\r\n");
			head.append("Connection: close\r\n");
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			if (this.chunked) {
				head.append("Transfer-Encoding: chunked\r\n\r\n");
				out.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
				List<byte[]> chunks = new ArrayList<>();
				for (int i = 0; i < bytes.length; i += 7) {
					byte[] chunk = new byte[Math.min(7, bytes.length - i)];
					System.arraycopy(bytes, i, chunk, 0, chunk.length);
					chunks.add(chunk);
				}
				for (byte[] chunk : chunks) {
					out.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
					out.writeBytes(chunk);
					out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
				}
				out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			}
			else {
				head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
				out.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
				out.writeBytes(bytes);
			}
			return out.toByteArray();
		}
	}

}
