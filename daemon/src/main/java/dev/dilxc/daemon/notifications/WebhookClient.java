package dev.dilxc.daemon.notifications;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs a notification to the webhook. One deadline covers connecting, sending and the
 * whole answer, so a receiver that accepts the connection and then hangs costs at most
 * the timeout. Redirects are not followed (a moved webhook should be reconfigured, not
 * chased). The answer's body is never read: a receiver that echoes the request would put
 * the auth header into the error.
 */
final class WebhookClient implements AutoCloseable {

	private final HttpClient http;

	private final URI url;

	private final Duration timeout;

	private final Map<String, String> headers;

	WebhookClient(URI url, Duration timeout, Map<String, String> headers) {
		this.url = url;
		this.timeout = timeout;
		this.headers = headers;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(timeout)
			.build();
	}

	/** Where it posts, without path or query (those may hold a token): for logs. */
	String target() {
		return NotificationsProperties.redacted(this.url);
	}

	Delivery post(Notification notification) throws InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.url)
			.timeout(this.timeout)
			.header("Content-Type", "application/json")
			.header("User-Agent", "dilxc-daemon")
			.header("X-Dilxc-Event", notification.event())
			.header("X-Dilxc-Delivery", String.valueOf(notification.id()))
			.header("X-Dilxc-Attempt", String.valueOf(notification.attempts() + 1))
			.POST(HttpRequest.BodyPublishers.ofString(notification.payload(), StandardCharsets.UTF_8));
		this.headers.forEach(request::header);
		CompletableFuture<HttpResponse<Void>> answer = this.http.sendAsync(request.build(),
				HttpResponse.BodyHandlers.discarding());
		try {
			int status = answer.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
			return (status / 100 == 2) ? Delivery.ok("HTTP " + status) : Delivery.failed("HTTP " + status);
		}
		catch (TimeoutException ex) {
			answer.cancel(true);
			return Delivery.failed(timedOut());
		}
		catch (InterruptedException ex) {
			answer.cancel(true);
			throw ex;
		}
		catch (ExecutionException ex) {
			return Delivery.failed(describe(Objects.requireNonNull(ex.getCause(), "a failed future has a cause")));
		}
	}

	private String describe(Throwable failure) {
		if (failure instanceof HttpTimeoutException) {
			return timedOut();
		}
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String what = (root instanceof ConnectException || failure instanceof ConnectException) ? "cannot connect"
				: "the request failed";
		String message = (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
		// Exception texts sometimes quote the URL; only its redacted form may reach a
		// log.
		message = message.replace(this.url.toString(), target());
		return what + " to " + target() + ": " + message;
	}

	/** Ends the client's connections and threads. */
	@Override
	public void close() {
		this.http.shutdownNow();
	}

	private String timedOut() {
		return "no answer from " + target() + " within " + this.timeout.toMillis()
				+ " ms (dilxc.notifications.webhook-timeout)";
	}

}
