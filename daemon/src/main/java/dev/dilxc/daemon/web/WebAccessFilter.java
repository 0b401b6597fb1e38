package dev.dilxc.daemon.web;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards the loopback TCP port, which unlike the 0600 socket any local user (or a web
 * page in a browser) can reach: only GET/HEAD of {@code /ui/**}, only with a {@code Host}
 * naming the loopback port (a DNS-rebound name is refused), only with the token (once as
 * {@code ?token=}, then as an HttpOnly, SameSite=Strict cookie). Requests on the Unix
 * socket pass untouched. Every {@code /ui/} answer also gets headers that keep the pages
 * inert: no scripts or requests to anywhere, no framing, no referrer, no caching.
 */
final class WebAccessFilter extends OncePerRequestFilter {

	static final String COOKIE = "dilxc-web-token";

	private static final String UNAUTHORIZED_PAGE = """
			<!DOCTYPE html>
			<html lang="en"><head><meta charset="utf-8"><title>dilxc review: token needed</title></head>
			<body style="font-family: sans-serif; margin: 2em">
			<h1>A token is needed</h1>
			<p>This page is served by the dilxc daemon to the user who runs it. Get its address, token included,
			by running <code>dilxc-client web</code> as that user, and open that address.</p>
			</body></html>
			""";

	private final int port;

	private final @Nullable WebToken token;

	/**
	 * @param port the TCP port's number, or 0 when there is none (then every request came
	 * by the socket)
	 */
	WebAccessFilter(int port, @Nullable WebToken token) {
		this.port = port;
		this.token = token;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI();
		boolean ui = path.equals("/ui") || path.startsWith("/ui/");
		if (ui) {
			response.setHeader("Content-Security-Policy",
					"default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'none'; frame-ancestors 'none'");
			response.setHeader("X-Content-Type-Options", "nosniff");
			response.setHeader("Referrer-Policy", "no-referrer");
			response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		}
		if (!overTcp(request)) {
			chain.doFilter(request, response);
			return;
		}
		WebToken token = Objects.requireNonNull(this.token, "a TCP port has a token");
		if (!loopbackHost(request.getHeader(HttpHeaders.HOST))) {
			refuse(response, HttpServletResponse.SC_FORBIDDEN,
					"Forbidden: the Host header must be 127.0.0.1:" + this.port + " or localhost:" + this.port + ".");
			return;
		}
		if (!ui) {
			refuse(response, HttpServletResponse.SC_FORBIDDEN,
					"Forbidden: only the review pages under /ui/ are served on this port; the API is on the daemon's socket.");
			return;
		}
		if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
			response.setHeader(HttpHeaders.ALLOW, "GET, HEAD");
			refuse(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
					"Method not allowed: the review pages are read-only.");
			return;
		}
		String offered = request.getParameter("token");
		if (offered != null) {
			if (!token.matches(offered)) {
				unauthorized(response);
				return;
			}
			// Swap the token in the address for a cookie, so it leaves the address bar
			// and the history.
			ResponseCookie cookie = ResponseCookie.from(COOKIE, token.value())
				.path("/ui")
				.httpOnly(true)
				.sameSite("Strict")
				.build();
			response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
			response.setStatus(HttpServletResponse.SC_SEE_OTHER);
			response.setHeader(HttpHeaders.LOCATION, withoutToken(path, request.getQueryString()));
			return;
		}
		if (!token.matches(cookie(request).orElse(null))) {
			unauthorized(response);
			return;
		}
		chain.doFilter(request, response);
	}

	private boolean overTcp(HttpServletRequest request) {
		// The socket's connector reports no port; only the TCP connector reports this
		// one.
		return this.port != 0 && request.getLocalPort() == this.port;
	}

	private boolean loopbackHost(@Nullable String host) {
		if (host == null) {
			return false;
		}
		String lower = host.toLowerCase(Locale.ROOT);
		return lower.equals("127.0.0.1:" + this.port) || lower.equals("localhost:" + this.port);
	}

	/**
	 * The same path and query, less every {@code token} parameter; {@code path} is this
	 * server's own /ui path.
	 */
	static String withoutToken(String path, String query) {
		if (query == null) {
			return path;
		}
		String kept = Arrays.stream(query.split("&"))
			.filter((parameter) -> !parameter.isEmpty() && !parameter.equals("token")
					&& !parameter.startsWith("token="))
			.collect(Collectors.joining("&"));
		return kept.isEmpty() ? path : path + "?" + kept;
	}

	private static Optional<String> cookie(HttpServletRequest request) {
		Cookie[] cookies = request.getCookies();
		if (cookies == null) {
			return Optional.empty();
		}
		return Arrays.stream(cookies).filter((c) -> c.getName().equals(COOKIE)).map(Cookie::getValue).findFirst();
	}

	private static void unauthorized(HttpServletResponse response) throws IOException {
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setContentType("text/html;charset=UTF-8");
		response.getWriter().write(UNAUTHORIZED_PAGE);
	}

	private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
		response.setStatus(status);
		response.setContentType("text/plain;charset=UTF-8");
		response.getWriter().write(message + "\n");
	}

}
