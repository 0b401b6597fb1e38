package dev.dilxc.daemon.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code lxc} CLI (or {@code incus}, when the tests run on Incus: see
 * {@link TestBackend}) for test fixtures and independent checks: tests look at LXD
 * through this, not through the daemon's own adapter, so a bug there cannot hide itself.
 * Arguments are LXD's; only the snapshot verbs differ, and {@link #snapshot} and
 * {@link #restore} speak them.
 */
public final class Lxc {

	/** How long one call of {@link #run} may take. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

	private Lxc() {
	}

	/** The outcome of one {@code lxc} call. */
	public record Result(int exitCode, String stdout, String stderr) {

		public Result orFail(String what) {
			if (this.exitCode != 0) {
				throw new AssertionError(what + " failed (exit " + this.exitCode + "): " + this.stderr.strip());
			}
			return this;
		}
	}

	public static Result run(String... args) {
		return runWithInput(null, args);
	}

	/**
	 * Runs {@code lxc ARGS}. An exec that LXD itself fails with "Failed to retrieve PID
	 * of executing child process" (an LXD 5.0 race seen under load, mostly while a
	 * container boots) is tried again: the tests' own commands are checks and
	 * preparations that are safe to repeat.
	 */
	public static Result runWithInput(byte[] stdin, String... args) {
		return runClient(TestBackend.current().client(), DEFAULT_TIMEOUT, stdin, args);
	}

	/**
	 * Runs {@code executable ARGS}: another client than the back end's default one (a
	 * test cluster member's wrapper, see {@link TestCluster}), with a time limit; fails
	 * the test when it is not over by then. The exec race is tried again as in
	 * {@link #runWithInput}.
	 */
	public static Result runClient(String executable, Duration timeout, byte[] stdin, String... args) {
		Result result = runOnce(executable, timeout, stdin, args);
		for (int attempt = 1; attempt < 4 && result.stderr().contains("Failed to retrieve PID"); attempt++) {
			result = runOnce(executable, timeout, stdin, args);
		}
		return result;
	}

	private static Result runOnce(String executable, Duration timeout, byte[] stdin, String... args) {
		List<String> command = new ArrayList<>();
		command.add(executable);
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).start();
			try (OutputStream in = process.getOutputStream()) {
				if (stdin != null) {
					in.write(stdin);
				}
			}
			var out = drain(process.getInputStream());
			var err = drain(process.getErrorStream());
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new AssertionError(command + " did not finish in " + timeout.toSeconds() + " s");
			}
			out.join();
			err.join();
			return new Result(process.exitValue(), out.text(), err.text());
		}
		catch (IOException ex) {
			throw new AssertionError("cannot run " + executable + " (is it installed? run "
					+ "provisioning/test-host.sh): " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/**
	 * Runs a command inside an instance as root and returns its stdout; fails the test on
	 * a non-zero exit.
	 */
	public static String exec(String instance, String... command) {
		List<String> args = new ArrayList<>(List.of("exec", instance, "--"));
		args.addAll(List.of(command));
		return run(args.toArray(String[]::new)).orFail("lxc exec " + instance + " " + String.join(" ", command))
			.stdout();
	}

	/** Takes a snapshot ({@code lxc snapshot}, {@code incus snapshot create}). */
	public static Result snapshot(String instance, String snapshot) {
		return run(snapshotArguments("snapshot", instance, snapshot));
	}

	/**
	 * Restores a snapshot ({@code lxc restore}, {@code incus snapshot restore}).
	 */
	public static Result restore(String instance, String snapshot) {
		return run(snapshotArguments("restore", instance, snapshot));
	}

	/**
	 * Deletes a snapshot ({@code lxc delete NAME/SNAPSHOT},
	 * {@code incus snapshot delete}).
	 */
	public static Result deleteSnapshot(String instance, String snapshot) {
		return run(snapshotArguments("delete", instance, snapshot));
	}

	private static String[] snapshotArguments(String verb, String instance, String snapshot) {
		List<String> args = new ArrayList<>(List.of(TestBackend.current().snapshotVerb(verb)));
		if (TestBackend.current() == TestBackend.LXD && verb.equals("delete")) {
			args.add(instance + "/" + snapshot);
		}
		else {
			args.add(instance);
			args.add(snapshot);
		}
		return args.toArray(String[]::new);
	}

	public static List<String> snapshots(String instance) {
		return snapshotNames(
				run("query", "/1.0/instances/" + instance + "/snapshots").orFail("list snapshots").stdout());
	}

	/**
	 * The instance's snapshots, asked through another client (a test cluster member's
	 * wrapper).
	 */
	public static List<String> snapshotsThrough(String client, String instance) {
		return snapshotNames(
				runClient(client, DEFAULT_TIMEOUT, null, "query", "/1.0/instances/" + instance + "/snapshots")
					.orFail("list snapshots of " + instance + " through " + client)
					.stdout());
	}

	private static List<String> snapshotNames(String json) {
		List<String> names = new ArrayList<>();
		for (String part : json.split("\"")) {
			if (part.contains("/snapshots/")) {
				names.add(part.substring(part.lastIndexOf('/') + 1));
			}
		}
		return names;
	}

	private static Drain drain(InputStream stream) {
		Drain drain = new Drain(stream);
		drain.start();
		return drain;
	}

	private static final class Drain extends Thread {

		private final InputStream stream;

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		Drain(InputStream stream) {
			this.stream = stream;
			setDaemon(true);
		}

		@Override
		public void run() {
			try {
				this.stream.transferTo(this.bytes);
			}
			catch (IOException ignored) {
			}
		}

		String text() {
			return this.bytes.toString(StandardCharsets.UTF_8);
		}

	}

}
