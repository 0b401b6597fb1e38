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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.daemon.UnixSocketHttpClient;
import dev.dilxc.client.sandboxes.HostEnvironment;
import dev.dilxc.client.shell.ArgvParser;
import dev.dilxc.client.shell.ClientErrors;
import dev.dilxc.client.shell.ConsoleShellRunner;
import dev.dilxc.client.shell.OneShotRunner;
import dev.dilxc.client.shell.StandardStreams;
import org.springframework.shell.core.command.CommandRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one-shot client commands in this JVM, wired like the real client, against a socket
 * path, with captured stdout and stderr, a fixed clock (UTC), a short poll interval, and
 * a host environment of the test's choosing: by default no variables but PATH, the
 * socket's directory as the current directory and home, and no terminal.
 */
public final class InProcessClient {

	public static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

	private final Path socket;

	private String stdin = "";

	private final Map<String, String> env = new HashMap<>();

	private Path workingDirectory;

	private Path home;

	private boolean terminal;

	private Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	public InProcessClient(Path socket) {
		this.socket = socket;
		this.workingDirectory = socket.toAbsolutePath().getParent();
		this.home = this.workingDirectory;
		String path = System.getenv("PATH");
		if (path != null) {
			this.env.put("PATH", path);
		}
	}

	public InProcessClient stdin(String text) {
		this.stdin = text;
		return this;
	}

	public InProcessClient env(String name, String value) {
		this.env.put(name, value);
		return this;
	}

	public InProcessClient workingDirectory(Path directory) {
		this.workingDirectory = directory;
		return this;
	}

	public InProcessClient home(Path directory) {
		this.home = directory;
		return this;
	}

	/** The clock (and so the zone) the commands see instead of {@link #NOW} in UTC. */
	public InProcessClient clock(Clock clock) {
		this.clock = clock;
		return this;
	}

	public InProcessClient terminal(boolean terminal) {
		this.terminal = terminal;
		return this;
	}

	/**
	 * Runs the interactive shell on {@code lines} (the shell's stdin) until they run out.
	 */
	public Result shell(String lines) throws Exception {
		this.stdin = lines;
		Wiring wiring = wire();
		new ConsoleShellRunner(new ArgvParser(wiring.registry()), wiring.registry(), wiring.streams())
			.run(new String[0]);
		return new Result(0, wiring.out().toString(), wiring.err().toString());
	}

	public Result run(String... argv) {
		Wiring wiring = wire();
		OneShotRunner runner = new OneShotRunner(new ArgvParser(wiring.registry()), wiring.registry(), wiring.errors(),
				wiring.streams());
		int code = runner.run(List.of(argv));
		return new Result(code, wiring.out().toString(), wiring.err().toString());
	}

	private Wiring wire() {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		StandardStreams streams = new StandardStreams(new PrintWriter(out), new PrintWriter(err),
				new ByteArrayInputStream(this.stdin.getBytes(StandardCharsets.UTF_8)));
		JsonMapper json = ClientCommands.jsonMapper();
		DaemonClient daemon = new DaemonClient(new UnixSocketHttpClient(this.socket, Duration.ofSeconds(5)), json);
		ClientErrors errors = new ClientErrors(false, streams.err());
		boolean isTerminal = this.terminal;
		HostEnvironment host = new HostEnvironment(Map.copyOf(this.env), this.workingDirectory, this.home,
				() -> isTerminal);
		CommandRegistry registry = ClientCommands.registry(daemon, json, streams, errors, this.clock,
				Duration.ofMillis(10), host);
		return new Wiring(registry, streams, errors, out, err);
	}

	private record Wiring(CommandRegistry registry, StandardStreams streams, ClientErrors errors, StringWriter out,
			StringWriter err) {
	}

	/** What a run printed and returned. */
	public record Result(int exitCode, String out, String err) {
	}

}
