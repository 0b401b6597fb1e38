package dev.dilxc.client.testing;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.daemon.UnixSocketHttpClient;
import dev.dilxc.client.shell.ArgvParser;
import dev.dilxc.client.shell.ClientErrors;
import dev.dilxc.client.shell.OneShotRunner;
import dev.dilxc.client.shell.StandardStreams;
import org.springframework.shell.core.command.CommandRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one-shot client commands in this JVM, wired like the real client, against a socket path, with
 * captured stdout and stderr, a fixed clock (UTC) and a short poll interval.
 */
public final class InProcessClient {

	public static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

	private final Path socket;

	private String stdin = "";

	public InProcessClient(Path socket) {
		this.socket = socket;
	}

	public InProcessClient stdin(String text) {
		this.stdin = text;
		return this;
	}

	public Result run(String... argv) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		StandardStreams streams = new StandardStreams(new PrintWriter(out), new PrintWriter(err),
				new ByteArrayInputStream(this.stdin.getBytes(StandardCharsets.UTF_8)));
		JsonMapper json = ClientCommands.jsonMapper();
		DaemonClient daemon = new DaemonClient(new UnixSocketHttpClient(this.socket, Duration.ofSeconds(5)), json);
		ClientErrors errors = new ClientErrors(false, streams.err());
		CommandRegistry registry = ClientCommands.registry(daemon, json, streams, errors,
				Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMillis(10));
		OneShotRunner runner = new OneShotRunner(new ArgvParser(registry), registry, errors, streams);
		int code = runner.run(List.of(argv));
		return new Result(code, out.toString(), err.toString());
	}

	/** What a run printed and returned. */
	public record Result(int exitCode, String out, String err) {
	}
}
