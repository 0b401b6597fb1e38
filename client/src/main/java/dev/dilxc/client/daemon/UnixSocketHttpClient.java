package dev.dilxc.client.daemon;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * A minimal HTTP/1.1 client over a Unix domain socket: one request per connection
 * ({@code Connection: close}), bodies with {@code Content-Length}, chunked, or read to
 * the end.
 *
 * <p>
 * Hand-written on {@code java.nio} rather than Jetty's {@code HttpClient} because the
 * client is a short-lived command: this loads a dozen JDK classes instead of a few
 * hundred, and the daemon speaks nothing but small JSON exchanges.
 */
public final class UnixSocketHttpClient {

	/** How long one exchange may take before the daemon is considered unresponsive. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

	private static final int MAX_LINE = 64 * 1024;

	private final Path socket;

	private final Duration timeout;

	public UnixSocketHttpClient(Path socket) {
		this(socket, DEFAULT_TIMEOUT);
	}

	public UnixSocketHttpClient(Path socket, Duration timeout) {
		this.socket = socket;
		this.timeout = timeout;
	}

	public Path socket() {
		return this.socket;
	}

	/**
	 * Sends one request and reads the whole response.
	 * @param method {@code GET}, {@code POST}, …
	 * @param target the request target, already percent-encoded
	 * ({@code /api/jobs?state=RUNNING})
	 * @param jsonBody a JSON body to send, or {@code null} for none
	 * @throws DaemonUnreachableException if no daemon answers on the socket
	 */
	public HttpResponse exchange(String method, String target, byte @Nullable [] jsonBody) {
		return exchange(method, target, jsonBody, this.timeout);
	}

	/**
	 * Sends one request and reads the whole response, allowing it {@code timeout} instead
	 * of the client's default (for requests the daemon needs minutes for: stopping,
	 * syncing, restoring).
	 * @throws DaemonUnreachableException if no daemon answers on the socket
	 */
	public HttpResponse exchange(String method, String target, byte @Nullable [] jsonBody, Duration timeout) {
		SocketChannel channel;
		try {
			channel = SocketChannel.open(StandardProtocolFamily.UNIX);
		}
		catch (IOException ex) {
			throw new DaemonUnreachableException(this.socket, "cannot open a Unix domain socket: " + ex.getMessage(),
					ex);
		}
		AtomicBoolean done = new AtomicBoolean();
		AtomicBoolean timedOut = new AtomicBoolean();
		try (channel) {
			try {
				channel.connect(UnixDomainSocketAddress.of(this.socket));
			}
			catch (IOException ex) {
				throw new DaemonUnreachableException(this.socket, connectFailure(ex), ex);
			}
			CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
				if (!done.get()) {
					timedOut.set(true);
					closeQuietly(channel);
				}
			});
			writeFully(channel, request(method, target, jsonBody));
			return read(new BufferedInputStream(Channels.newInputStream(channel), 16 * 1024));
		}
		catch (IOException ex) {
			String reason = timedOut.get() ? "no answer within " + describe(timeout)
					: "connection lost: " + describe(ex);
			throw new DaemonUnreachableException(this.socket, reason, ex);
		}
		finally {
			done.set(true);
		}
	}

	private String connectFailure(IOException ex) {
		if (!Files.exists(this.socket)) {
			return "no socket file there";
		}
		return describe(ex);
	}

	private static String describe(IOException ex) {
		String message = ex.getMessage();
		if (message == null || message.isBlank()) {
			return ex.getClass().getSimpleName();
		}
		return Character.toLowerCase(message.charAt(0)) + message.substring(1);
	}

	private static String describe(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

	private static byte[] request(String method, String target, byte @Nullable [] jsonBody) {
		StringBuilder head = new StringBuilder(256).append(method)
			.append(' ')
			.append(target)
			.append(" HTTP/1.1\r\n")
			.append("Host: localhost\r\n")
			.append("User-Agent: dilxc-client\r\n")
			.append("Accept: application/json, application/problem+json\r\n")
			.append("Connection: close\r\n");
		if (jsonBody != null) {
			head.append("Content-Type: application/json\r\n")
				.append("Content-Length: ")
				.append(jsonBody.length)
				.append("\r\n");
		}
		head.append("\r\n");
		byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
		if (jsonBody == null) {
			return headBytes;
		}
		byte[] all = new byte[headBytes.length + jsonBody.length];
		System.arraycopy(headBytes, 0, all, 0, headBytes.length);
		System.arraycopy(jsonBody, 0, all, headBytes.length, jsonBody.length);
		return all;
	}

	private static void writeFully(SocketChannel channel, byte[] bytes) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		while (buffer.hasRemaining()) {
			channel.write(buffer);
		}
	}

	/** Reads one response (skipping interim 1xx ones) from {@code in}. */
	static HttpResponse read(InputStream in) throws IOException {
		while (true) {
			String statusLine = readLine(in);
			if (statusLine == null) {
				throw new EOFException("the daemon closed the connection without answering");
			}
			int status = parseStatus(statusLine);
			Map<String, String> headers = readHeaders(in);
			if (status >= 100 && status < 200) {
				continue;
			}
			return new HttpResponse(status, headers, readBody(in, status, headers));
		}
	}

	private static int parseStatus(String statusLine) throws IOException {
		String[] parts = statusLine.split(" ", 3);
		if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
			throw new IOException("not an HTTP response: " + abbreviate(statusLine));
		}
		try {
			return Integer.parseInt(parts[1]);
		}
		catch (NumberFormatException ex) {
			throw new IOException("not an HTTP status line: " + abbreviate(statusLine), ex);
		}
	}

	private static Map<String, String> readHeaders(InputStream in) throws IOException {
		Map<String, String> headers = new LinkedHashMap<>();
		while (true) {
			String line = readLine(in);
			if (line == null) {
				throw new EOFException("the connection closed inside the response headers");
			}
			if (line.isEmpty()) {
				return headers;
			}
			int colon = line.indexOf(':');
			if (colon <= 0) {
				continue;
			}
			String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
			String value = line.substring(colon + 1).trim();
			headers.merge(name, value, (a, b) -> a + ", " + b);
		}
	}

	private static byte[] readBody(InputStream in, int status, Map<String, String> headers) throws IOException {
		if (status == 204 || status == 304) {
			return new byte[0];
		}
		String transferEncoding = headers.get("transfer-encoding");
		if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
			return readChunked(in);
		}
		String contentLength = headers.get("content-length");
		if (contentLength != null) {
			int length;
			try {
				length = Integer.parseInt(contentLength.trim());
			}
			catch (NumberFormatException ex) {
				throw new IOException("bad Content-Length: " + abbreviate(contentLength), ex);
			}
			byte[] body = in.readNBytes(length);
			if (body.length != length) {
				throw new EOFException("the response body ended after " + body.length + " of " + length + " bytes");
			}
			return body;
		}
		return in.readAllBytes();
	}

	private static byte[] readChunked(InputStream in) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		while (true) {
			String sizeLine = readLine(in);
			if (sizeLine == null) {
				throw new EOFException("the chunked response body ended early");
			}
			int semicolon = sizeLine.indexOf(';');
			String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
			int size;
			try {
				size = Integer.parseInt(hex, 16);
			}
			catch (NumberFormatException ex) {
				throw new IOException("bad chunk size: " + abbreviate(sizeLine), ex);
			}
			if (size == 0) {
				// trailer section, up to the empty line (or the end of the stream)
				String trailer;
				do {
					trailer = readLine(in);
				}
				while (trailer != null && !trailer.isEmpty());
				return body.toByteArray();
			}
			byte[] chunk = in.readNBytes(size);
			if (chunk.length != size) {
				throw new EOFException("a response chunk ended early");
			}
			body.write(chunk);
			readLine(in); // the CRLF after the chunk
		}
	}

	/**
	 * A CRLF- (or LF-) terminated line without its terminator, or null at the end of the
	 * stream.
	 */
	private static @Nullable String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream(128);
		int b;
		while ((b = in.read()) != -1) {
			if (b == '\n') {
				break;
			}
			if (line.size() >= MAX_LINE) {
				throw new IOException("a response line is longer than " + MAX_LINE + " bytes");
			}
			line.write(b);
		}
		if (b == -1 && line.size() == 0) {
			return null;
		}
		byte[] bytes = line.toByteArray();
		int length = bytes.length;
		if (length > 0 && bytes[length - 1] == '\r') {
			length--;
		}
		return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
	}

	private static String abbreviate(String text) {
		return (text.length() > 80) ? text.substring(0, 80) + "…" : text;
	}

	private static void closeQuietly(SocketChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// closing to interrupt a read; nothing to do
		}
	}

}
