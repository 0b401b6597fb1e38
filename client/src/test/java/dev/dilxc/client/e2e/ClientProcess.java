package dev.dilxc.client.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The packaged {@code dilxc-client} jar, run as a user would, against a given socket. */
final class ClientProcess {

	static final Path JAR = Path.of(System.getProperty("dilxc.client.jar", "target/dilxc-client.jar")).toAbsolutePath();

	/** What the client printed and how it exited. */
	record Run(int exitCode, String out, String err) {
	}

	private final Path socket;

	ClientProcess(Path socket) {
		this.socket = socket;
	}

	Run run(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(DaemonProcess.javaBinary(), "-jar", JAR.toString()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().put("DILXC_SOCKET", this.socket.toString());
		Process process = builder.start();
		process.getOutputStream().close();
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
