package dev.dilxc.client.daemon;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.dilxc.client.testing.FakeDaemon;
import dev.dilxc.client.testing.FakeDaemon.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class UnixSocketHttpClientTests {

	@TempDir
	Path dir;

	@Test
	void exchangeSendsOneHttp11RequestAndReadsTheResponse() throws IOException {
		try (FakeDaemon daemon = new FakeDaemon(this.dir)) {
			daemon.answer(request -> Response.json(201, "{\"id\":1,\"text\":\"h\u00e9\"}"));
			HttpResponse response = new UnixSocketHttpClient(daemon.socket()).exchange("POST", "/api/jobs",
					"{\"prompt\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8));
			assertThat(response.status()).isEqualTo(201);
			assertThat(response.isJson()).isTrue();
			assertThat(response.bodyText()).isEqualTo("{\"id\":1,\"text\":\"h\u00e9\"}");
			FakeDaemon.Request request = daemon.onlyRequest();
			assertThat(request.method()).isEqualTo("POST");
			assertThat(request.target()).isEqualTo("/api/jobs");
			assertThat(request.headers()).containsEntry("host", "localhost")
				.containsEntry("connection", "close")
				.containsEntry("content-type", "application/json")
				.containsEntry("content-length", "15");
			assertThat(request.body()).isEqualTo("{\"prompt\":\"\u00e9\"}");
		}
	}

	@Test
	void exchangeDecodesAChunkedBody() throws IOException {
		try (FakeDaemon daemon = new FakeDaemon(this.dir)) {
			String body = "{\"lines\":[\"" + "\u00e9".repeat(50) + "\"]}";
			daemon.answer(request -> Response.json(200, body).chunkedEncoding());
			HttpResponse response = new UnixSocketHttpClient(daemon.socket()).exchange("GET", "/api/jobs", null);
			assertThat(response.bodyText()).isEqualTo(body);
			assertThat(daemon.onlyRequest().headers()).doesNotContainKey("content-length");
		}
	}

	@Test
	void readSkipsInterimResponsesAndReadsBodiesWithoutLength() throws IOException {
		String wire = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 500 Server Error\r\nContent-Type: text/plain\r\n"
				+ "X-A: 1\r\nX-A: 2\r\n\r\nbroken";
		HttpResponse response = UnixSocketHttpClient
			.read(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)));
		assertThat(response.status()).isEqualTo(500);
		assertThat(response.header("x-a")).isEqualTo("1, 2");
		assertThat(response.isJson()).isFalse();
		assertThat(response.bodyText()).isEqualTo("broken");
	}

	@Test
	void exchangeWhenSocketMissingThrowsUnreachableNamingThePath() {
		Path socket = this.dir.resolve("missing.sock");
		assertThatExceptionOfType(DaemonUnreachableException.class)
			.isThrownBy(() -> new UnixSocketHttpClient(socket).exchange("GET", "/api/jobs", null))
			.satisfies(ex -> {
				assertThat(ex.socket()).isEqualTo(socket);
				assertThat(ex.reason()).isEqualTo("no socket file there");
				assertThat(ex.getMessage()).isEqualTo("cannot reach the dilxc daemon at " + socket
						+ " (no socket file there). Start it with 'systemctl --user start dilxc' (after deploy/install.sh) or 'dilxc-daemon', or set DILXC_SOCKET.");
			});
	}

	@Test
	void exchangeWhenNobodyListensThrowsUnreachableWithConnectionRefused() throws IOException {
		Path socket = this.dir.resolve("stale.sock");
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(socket));
		}
		assertThat(Files.exists(socket)).isTrue();
		assertThatExceptionOfType(DaemonUnreachableException.class)
			.isThrownBy(() -> new UnixSocketHttpClient(socket).exchange("GET", "/api/jobs", null))
			.satisfies(ex -> assertThat(ex.reason()).containsIgnoringCase("connection refused"));
	}

	@Test
	void exchangeWhenDaemonNeverAnswersGivesUpAfterTheTimeout() throws IOException {
		try (FakeDaemon daemon = new FakeDaemon(this.dir)) {
			daemon.answer(request -> Response.silence());
			UnixSocketHttpClient client = new UnixSocketHttpClient(daemon.socket(), Duration.ofMillis(300));
			long start = System.nanoTime();
			assertThatExceptionOfType(DaemonUnreachableException.class)
				.isThrownBy(() -> client.exchange("GET", "/api/jobs", null))
				.satisfies(ex -> assertThat(ex.reason()).isEqualTo("no answer within 300ms"));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		}
	}

}
