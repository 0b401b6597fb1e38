package dev.dilxc.client.e2e;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.dilxc.daemon.testing.TestBackend;
import dev.dilxc.daemon.testing.Await;

/**
 * The packaged daemon jar, run as its own JVM, so a test can SIGKILL it like a crash
 * would.
 */
final class DaemonProcess implements AutoCloseable {

	static final Path JAR = Path.of(System.getProperty("dilxc.daemon.jar", "../daemon/target/dilxc-daemon.jar"))
		.toAbsolutePath()
		.normalize();

	private static final Path LAUNCHER = Path.of("../deploy/bin/dilxc-daemon").toAbsolutePath().normalize();

	private final Path home;

	private final List<String> arguments;

	private final Path socket;

	private Process process;

	DaemonProcess(Path home, String... arguments) {
		this(home, home.resolve("run/daemon.sock"), List.of(arguments));
	}

	private DaemonProcess(Path home, Path socket, List<String> arguments) {
		this.home = home;
		this.socket = socket;
		this.arguments = arguments;
	}

	/** The same data directory and arguments, listening on another socket. */
	DaemonProcess onSocket(Path socket) {
		return new DaemonProcess(this.home, socket, this.arguments);
	}

	Path socket() {
		return this.socket;
	}

	Path dataDirectory() {
		return this.home.resolve("data");
	}

	Path log() {
		return this.home.resolve("daemon.log");
	}

	DaemonProcess start() throws IOException, InterruptedException {
		if (!Files.isRegularFile(JAR)) {
			throw new AssertionError("the daemon jar " + JAR + " is missing: run 'mvn package' first");
		}
		this.process = launch().redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
		awaitSocket(Duration.ofSeconds(60));
		return this;
	}

	/**
	 * Starts the daemon where it is expected to refuse to start; returns its exit code
	 * and output.
	 */
	ClientProcess.Run startExpectingRefusal(Path logFile) throws IOException, InterruptedException {
		Process refused = launch().redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile())).start();
		if (!refused.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
			refused.destroyForcibly();
			throw new AssertionError("the second daemon did not exit: " + Files.readString(logFile));
		}
		return new ClientProcess.Run(refused.exitValue(), Files.readString(logFile), "");
	}

	/**
	 * The daemon as users start it: through its launcher (which execs Java, so the
	 * process is the JVM), with the launcher's flags (Spring AOT, the serial GC) and an
	 * empty start-up cache directory of its own.
	 */
	private ProcessBuilder launch() {
		List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
		command.addAll(this.arguments);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("DILXC_DAEMON_JAR", JAR.toString());
		builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
		builder.environment().put("DILXC_DAEMON_CACHE_DIR", this.home.resolve("cache").toString());
		builder.environment().put("DILXC_SOCKET", socket().toString());
		builder.environment().put("DILXC_DATA_DIR", dataDirectory().toString());
		// LXD or Incus, as the test run chose (-Ddilxc.lxd.backend): the daemon reads it
		// from the environment as a user's unit would set it.
		builder.environment().put("DILXC_LXD_BACKEND", TestBackend.current().setting());
		return builder;
	}

	long pid() {
		return this.process.pid();
	}

	/** SIGKILL: no shutdown hook, no graceful stop, exactly like a crash. */
	void kill9() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor();
	}

	/**
	 * SIGTERM, as systemd stops a service; returns whether the daemon exited within the
	 * timeout.
	 */
	boolean terminate(Duration timeout) throws InterruptedException {
		this.process.destroy();
		return this.process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
	}

	/**
	 * The TCP sockets the daemon listens on: the inodes of its open sockets matched
	 * against the LISTEN rows of /proc/net/tcp and tcp6.
	 */
	List<String> listeningTcpSockets() throws IOException {
		java.util.Set<String> inodes = new java.util.HashSet<>();
		try (var fds = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
			for (Path fd : fds.toList()) {
				try {
					String target = Files.readSymbolicLink(fd).toString();
					if (target.startsWith("socket:[")) {
						inodes.add(target.substring(8, target.length() - 1));
					}
				}
				catch (IOException closedMeanwhile) {
				}
			}
		}
		List<String> listening = new ArrayList<>();
		for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			for (String row : Files.readAllLines(Path.of(table))) {
				String[] columns = row.trim().split("\\s+");
				// column 3 is the state (0A = LISTEN), column 9 the socket inode
				if (columns.length > 9 && columns[3].equals("0A") && inodes.contains(columns[9])) {
					listening.add(table + " " + columns[1]);
				}
			}
		}
		return listening;
	}

	private void awaitSocket(Duration timeout) throws IOException {
		boolean answered = Await.holdsWithin(timeout, Duration.ZERO, () -> !this.process.isAlive() || answers());
		if (!this.process.isAlive()) {
			throw new AssertionError(
					"the daemon exited with " + this.process.exitValue() + ":\n" + Files.readString(log()));
		}
		if (!answered) {
			throw new AssertionError("the daemon did not listen on " + socket() + " within " + timeout + ":\n"
					+ Files.readString(log()));
		}
	}

	/**
	 * Whether the daemon gives an HTTP answer, not just a connect: Tomcat accepts
	 * connections on the socket before it has set the socket file's permissions, and only
	 * answers once its bind (permissions included) is done.
	 */
	private boolean answers() {
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.connect(UnixDomainSocketAddress.of(socket()));
			channel.write(java.nio.ByteBuffer
				.wrap("GET /api/system/status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
					.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
			byte[] head = java.nio.channels.Channels.newInputStream(channel).readNBytes(9);
			return new String(head, java.nio.charset.StandardCharsets.US_ASCII).equals("HTTP/1.1 ");
		}
		catch (IOException notYet) {
			return false;
		}
	}

	/**
	 * Starts the daemons at once, as the hosts sharing one database come up: one of them
	 * migrates an empty database while the others wait on Flyway's lock. Returns once
	 * every one answers; the first failure is thrown as it was.
	 */
	static void startTogether(java.util.Collection<DaemonProcess> daemons) throws Exception {
		try (java.util.concurrent.ExecutorService starts = java.util.concurrent.Executors
			.newVirtualThreadPerTaskExecutor()) {
			List<java.util.concurrent.Future<DaemonProcess>> started = daemons.stream()
				.map((daemon) -> starts.submit(daemon::start))
				.toList();
			for (java.util.concurrent.Future<DaemonProcess> start : started) {
				try {
					start.get();
				}
				catch (java.util.concurrent.ExecutionException ex) {
					if (ex.getCause() instanceof Exception cause) {
						throw cause;
					}
					if (ex.getCause() instanceof Error error) {
						throw error;
					}
					throw ex;
				}
			}
		}
	}

	static String javaBinary() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
				kill9();
			}
		}
	}

}
