package dev.dilxc.client.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The packaged {@code dilxc-client} jar, run as a user would, against a given socket. */
final class ClientProcess {

	static final Path JAR = Path.of(System.getProperty("dilxc.client.jar", "target/dilxc-client.jar")).toAbsolutePath();

	/** What the client printed and how it exited. */
	record Run(int exitCode, String out, String err) {
	}

	private final Path socket;

	private final Path directory;

	private final Map<String, String> environment;

	private final byte[] input;

	ClientProcess(Path socket) {
		this(socket, null, Map.of(), new byte[0]);
	}

	private ClientProcess(Path socket, Path directory, Map<String, String> environment, byte[] input) {
		this.socket = socket;
		this.directory = directory;
		this.environment = environment;
		this.input = input;
	}

	/**
	 * The same client started in another working directory (for {@code .dilxc} lookups).
	 */
	ClientProcess in(Path directory) {
		return new ClientProcess(this.socket, directory, this.environment, this.input);
	}

	/** The same client with one more environment variable. */
	ClientProcess withEnv(String name, String value) {
		Map<String, String> environment = new LinkedHashMap<>(this.environment);
		environment.put(name, value);
		return new ClientProcess(this.socket, this.directory, environment, this.input);
	}

	/** The same client with this text on its stdin. */
	ClientProcess withInput(String text) {
		return new ClientProcess(this.socket, this.directory, this.environment, text.getBytes(StandardCharsets.UTF_8));
	}

	Run run(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(DaemonProcess.javaBinary(), "-jar", JAR.toString()));
		command.addAll(List.of(args));
		return start(command, args);
	}

	/**
	 * Runs the client on a pseudo-terminal, as from a user's terminal ({@code script}
	 * from util-linux allocates it and passes the exit code through); stdin is typed into
	 * the terminal.
	 */
	Run runInTerminal(String... args) throws IOException, InterruptedException {
		StringBuilder line = new StringBuilder(quote(DaemonProcess.javaBinary())).append(" -jar ")
			.append(quote(JAR.toString()));
		for (String arg : args) {
			line.append(' ').append(quote(arg));
		}
		return start(List.of("script", "-qec", line.toString(), "/dev/null"), args);
	}

	private static String quote(String word) {
		return "'" + word.replace("'", "'\\''") + "'";
	}

	private Run start(List<String> command, String... args) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().remove("DILXC_CONTAINER");
		builder.environment().put("DILXC_SOCKET", this.socket.toString());
		builder.environment().putAll(this.environment);
		if (this.directory != null) {
			builder.directory(this.directory.toFile());
		}
		Process process = builder.start();
		try (var stdin = process.getOutputStream()) {
			stdin.write(this.input);
		}
		CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
		CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
		if (!process.waitFor(10, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new AssertionError("dilxc-client " + String.join(" ", args) + " did not finish in 10 minutes");
		}
		return new Run(process.exitValue(), out.join(), err.join());
	}

	private static String read(java.io.InputStream stream) {
		try {
			return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
