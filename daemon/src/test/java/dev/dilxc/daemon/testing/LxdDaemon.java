package dev.dilxc.daemon.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine's real LXD daemon, for tests of what dilxc does when it goes away: killed
 * as a crash or an upgrade would (SIGKILL; its containers and the processes in them live
 * on), and started again by {@code provisioning/host/setup-lxd.sh}, the same way the test
 * command starts it. Only for test classes that run alone (failsafe runs one class at a
 * time here); anything else using LXD meanwhile fails.
 */
public final class LxdDaemon {

	private static final Pattern SERVER_PID = Pattern.compile("\"server_pid\"\\s*:\\s*(\\d+)");

	private LxdDaemon() {
	}

	/** Whether LXD answers on its socket now. */
	public static boolean answers() {
		return Lxc.run("query", "/1.0").exitCode() == 0;
	}

	/** SIGKILLs the LXD daemon and waits until it is gone; returns its pid. */
	public static long kill() throws Exception {
		String json = Lxc.run("query", "/1.0").orFail("asking LXD for its pid").stdout();
		Matcher matcher = SERVER_PID.matcher(json);
		if (!matcher.find()) {
			throw new AssertionError("LXD's /1.0 has no environment.server_pid: " + json);
		}
		long pid = Long.parseLong(matcher.group(1));
		ProcessHandle daemon = ProcessHandle.of(pid)
			.orElseThrow(() -> new AssertionError("LXD's pid " + pid + " is not a process here"));
		daemon.destroyForcibly();
		daemon.onExit().get(30, TimeUnit.SECONDS);
		Await.until("LXD to stop answering", Duration.ofSeconds(10), Duration.ofMillis(200), () -> !answers());
		return pid;
	}

	/** Starts LXD again (nothing happens when it answers) and waits until it answers. */
	public static void start() throws Exception {
		Process process = new ProcessBuilder("bash", setupScript().toString()).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		if (!process.waitFor(180, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError(TestBackend.current().setupScript() + " did not start it in 180 s");
		}
		if (process.exitValue() != 0) {
			throw new AssertionError(TestBackend.current().setupScript() + " exited " + process.exitValue()
					+ "; see /var/log/dilxc-lxd.log or /var/log/incus/incus.log");
		}
		Await.until("LXD to answer", Duration.ofSeconds(60), Duration.ofMillis(200), LxdDaemon::answers);
	}

	private static Path setupScript() throws IOException {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path script = dir.resolve(TestBackend.current().setupScript());
			if (Files.isRegularFile(script)) {
				return script;
			}
		}
		throw new IOException(TestBackend.current().setupScript() + " not found above " + Path.of("").toAbsolutePath());
	}

}
