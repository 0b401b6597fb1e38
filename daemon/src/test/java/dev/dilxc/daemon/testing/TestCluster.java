package dev.dilxc.daemon.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real three-member cluster of the current {@link TestBackend} (LXD, or Incus with
 * {@code -Ddilxc.lxd.backend=incus}) on this machine, beside the host's own daemon:
 * {@code provisioning/host/test-cluster.sh} forms it (every member its own daemon,
 * directory, socket, btrfs loop pool and loopback address {@code 127.42.1.N:8443}, Incus
 * {@code 127.42.2.N:8443}; the golden image on every member), see docs/cluster-notes.md.
 * <p>
 * {@link #up()} brings it up or finds it up (0.3 s then, so every test class calls it),
 * with {@code cluster.offline_threshold} {@value #OFFLINE_THRESHOLD_SECONDS} s: a member
 * that goes away is {@code OFFLINE} about 10 s later. It fails with the script's output
 * when the cluster cannot be formed: these tests never skip. {@code deploy/test.sh}
 * removes the clusters after the run; a developer removes them with
 * {@code provisioning/host/test-cluster.sh down}.
 * <p>
 * Each member's client wrapper ({@link Member#client()}) is the back end's client bound
 * to that member's socket, usable as the daemon's {@code dilxc.lxd.executable}. Every
 * member answers every call and forwards per-instance ones to the instance's member.
 * <p>
 * The first instance of the golden image on a member unpacks the image into that member's
 * pool: 15-30 s on LXD, about 15 s on Incus, under a second afterwards.
 * {@link #warm(int)} does that ahead, so that a test's own time limits do not pay it.
 * Instances the tests make should carry a prefix of their own and be removed with
 * {@link #deleteInstances(String)}; {@code test-cluster.sh down} removes them all in any
 * case.
 */
public final class TestCluster {

	/** Where the script is, from the repository root. */
	public static final String SCRIPT = "provisioning/host/test-cluster.sh";

	/**
	 * {@code cluster.offline_threshold} the tests ask for: the smallest LXD takes, so a
	 * member that goes away is OFFLINE within about 10 s.
	 */
	public static final int OFFLINE_THRESHOLD_SECONDS = 11;

	/**
	 * Limit for one run of the script: {@code up} from nothing takes 8-12 s with the
	 * image's tarballs cached, minutes when it has to build the image or install
	 * packages, and waits up to 10 min for another run's lock.
	 */
	private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(15);

	/** Limit for one client call unless the caller names one. */
	public static final Duration CALL_TIMEOUT = Lxc.DEFAULT_TIMEOUT;

	/**
	 * Limit for one call while looking for a member that answers: a live member answers
	 * {@code cluster list} in well under a second.
	 */
	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * One member of the cluster.
	 *
	 * @param name its name in the cluster ({@code member1}, ...)
	 * @param index its number, from 1
	 * @param host the host part of its cluster address ({@code 127.42.1.1})
	 * @param port the port of its cluster address (8443)
	 * @param client the client wrapper bound to it (an {@code lxc} or {@code incus}
	 * script): usable as {@code dilxc.lxd.executable}
	 * @param directory its {@code LXD_DIR} ({@code INCUS_DIR})
	 */
	public record Member(String name, int index, String host, int port, Path client, Path directory) {

		/** {@code HOST:PORT}. */
		public String address() {
			return this.host + ":" + this.port;
		}

	}

	private final TestBackend backend;

	private final Path script;

	private final String image;

	private final List<Member> members;

	private TestCluster(TestBackend backend, Path script, String image, List<Member> members) {
		this.backend = backend;
		this.script = script;
		this.image = image;
		this.members = List.copyOf(members);
	}

	/**
	 * The cluster of the current back end, brought up when it is not (or not healthy: a
	 * cluster with a member down is removed and formed again). Fails with the script's
	 * output when it cannot.
	 */
	public static TestCluster up() {
		TestBackend backend = TestBackend.current();
		Path script = repositoryFile(SCRIPT);
		String output = runScript(script, backend, SCRIPT_TIMEOUT, "up", backend.setting());
		Path env = directory().resolve(backend.setting()).resolve("cluster.env");
		Map<String, String> values = readEnv(env, output);
		int count = Integer.parseInt(required(values, "DILXC_TEST_CLUSTER_MEMBERS", env));
		List<Member> members = new ArrayList<>();
		for (int n = 1; n <= count; n++) {
			String prefix = "DILXC_TEST_CLUSTER_MEMBER" + n + "_";
			String address = required(values, prefix + "ADDRESS", env);
			int colon = address.lastIndexOf(':');
			members.add(new Member(required(values, prefix + "NAME", env), n, address.substring(0, colon),
					Integer.parseInt(address.substring(colon + 1)), Path.of(required(values, prefix + "CLIENT", env)),
					Path.of(required(values, prefix + "DIR", env))));
		}
		for (Member member : members) {
			if (!Files.isExecutable(member.client())) {
				throw new AssertionError("the client wrapper of " + member.name() + ", " + member.client()
						+ ", is missing after " + SCRIPT + " up; its output:\n" + output);
			}
		}
		return new TestCluster(backend, script, required(values, "DILXC_TEST_CLUSTER_IMAGE", env), members);
	}

	/**
	 * Where the script keeps its clusters: {@code DILXC_TEST_CLUSTER_DIR}, as the script
	 * reads it.
	 */
	public static Path directory() {
		return Path.of(System.getenv().getOrDefault("DILXC_TEST_CLUSTER_DIR", "/var/lib/dilxc-test-cluster"));
	}

	public TestBackend backend() {
		return this.backend;
	}

	/** The image every member has ({@code dilxc-golden}). */
	public String image() {
		return this.image;
	}

	public List<Member> members() {
		return this.members;
	}

	/** Member {@code n}, from 1. */
	public Member member(int n) {
		if (n < 1 || n > this.members.size()) {
			throw new IllegalArgumentException("member " + n + ": the cluster has members 1 to " + this.members.size());
		}
		return this.members.get(n - 1);
	}

	/** The client wrapper bound to member {@code n}. */
	public Path client(int n) {
		return member(n).client();
	}

	/**
	 * Runs the back end's client through member {@code n} and returns its stdout; fails
	 * with its stderr on a non-zero exit, and when it takes longer than
	 * {@link #CALL_TIMEOUT}.
	 */
	public String run(int n, String... args) {
		return run(n, CALL_TIMEOUT, args);
	}

	/** As {@link #run(int, String...)} with another time limit. */
	public String run(int n, Duration timeout, String... args) {
		return call(n, timeout, args).orFail(describe(n, args)).stdout();
	}

	/**
	 * Runs the back end's client through member {@code n}; the result whatever its exit
	 * code (for calls that are meant to fail). Fails when it takes longer than
	 * {@code timeout}.
	 */
	public Lxc.Result call(int n, Duration timeout, String... args) {
		return Lxc.runClient(client(n).toString(), timeout, null, args);
	}

	/** As {@link #call(int, Duration, String...)}, content on the client's stdin. */
	public Lxc.Result callWithInput(int n, Duration timeout, byte[] stdin, String... args) {
		return Lxc.runClient(client(n).toString(), timeout, stdin, args);
	}

	/**
	 * Creates (does not start) an instance of the golden image on member {@code target},
	 * asked through member 1; {@code options} go to {@code init} as they are (e.g.
	 * {@code -c security.nesting=true}).
	 */
	public void initOn(int target, String name, String... options) {
		List<String> args = new ArrayList<>(List.of("init", this.image, name, "--target", member(target).name()));
		args.addAll(List.of(options));
		run(1, Duration.ofMinutes(5), args.toArray(String[]::new));
	}

	/**
	 * As {@link #initOn}, then starts the instance and waits until it accepts an exec.
	 */
	public void launchOn(int target, String name, String... options) {
		initOn(target, name, options);
		run(1, Duration.ofMinutes(2), "start", name);
		Await.until(name + " to accept exec", Duration.ofSeconds(60), Duration.ofMillis(200),
				() -> call(1, CALL_TIMEOUT, "exec", name, "--", "true"), (result) -> result.exitCode() == 0);
	}

	/**
	 * Points the instance's agents at {@code api}, as {@link TestSandbox} does on one
	 * host: a proxy device whose host side connects on the instance's member (this
	 * machine's loopback in the loopback mode) and {@code agent.env} written through
	 * stdin, never in an argv. Asked through member 1.
	 */
	public void wireToFakeApi(String instance, FakeAnthropicApi api, String apiKey) {
		run(1, "config", "device", "add", instance, "fakeapi", "proxy", "listen=tcp:127.0.0.1:" + api.port(),
				"connect=tcp:127.0.0.1:" + api.port(), "bind=container");
		callWithInput(1, CALL_TIMEOUT, api.agentEnv(apiKey).getBytes(java.nio.charset.StandardCharsets.UTF_8), "exec",
				instance, "--user", "1000", "--group", "1000", "--env", "HOME=/home/ubuntu", "--", "sh", "-c",
				"mkdir -p \"$(dirname \"$1\")\" && umask 077 && cat > \"$1\"", "write", TestSandbox.ENV_FILE)
			.orFail("write agent.env in " + instance);
	}

	/**
	 * The member an instance lives on ({@code location}), asked through a live member.
	 */
	public String location(String instance) {
		JsonNode node = JSON.readTree(run(answering(), "query", "/1.0/instances/" + instance));
		return node.path("location").asString();
	}

	/**
	 * Unpacks the golden image into member {@code n}'s pool unless it is there (an
	 * instance created and deleted on it): the first instance on a member takes 15-30 s,
	 * later ones under a second. Asked through member 1.
	 */
	public void warm(int n) {
		String member = member(n).name();
		String fingerprint = JSON.readTree(run(1, "query", "/1.0/images/aliases/" + this.image))
			.path("target")
			.asString();
		String volumes = run(1, "query", "/1.0/storage-pools/default/volumes/image?target=" + member);
		// ["/1.0/storage-pools/default/volumes/image/FINGERPRINT?target=member2"]
		if (volumes.contains("/image/" + fingerprint)) {
			return;
		}
		String name = "dilxc-test-cluster-warm-" + n;
		call(1, CALL_TIMEOUT, "delete", "--force", name);
		initOn(n, name);
		run(1, "delete", name);
	}

	// --- members
	// ------------------------------------------------------------------------------------------

	/**
	 * SIGKILLs member {@code n}'s daemon ({@code test-cluster.sh kill-member}); its
	 * containers live on. Calls for its instances fail (after 10 s on LXD) until it is
	 * back; it is OFFLINE about 10 s after.
	 */
	public void killMember(int n) {
		member(n);
		runScript(this.script, this.backend, SCRIPT_TIMEOUT, "kill-member", Integer.toString(n),
				this.backend.setting());
	}

	/**
	 * Shuts member {@code n}'s daemon down cleanly ({@code test-cluster.sh stop-member});
	 * its containers stop.
	 */
	public void stopMember(int n) {
		member(n);
		runScript(this.script, this.backend, SCRIPT_TIMEOUT, "stop-member", Integer.toString(n),
				this.backend.setting());
	}

	/**
	 * Starts member {@code n}'s daemon again and waits until it answers on its socket
	 * ({@code test-cluster.sh start-member}); the cluster may still show it OFFLINE for a
	 * few seconds: {@link #awaitMemberStatus}.
	 */
	public void startMember(int n) {
		member(n);
		runScript(this.script, this.backend, SCRIPT_TIMEOUT, "start-member", Integer.toString(n),
				this.backend.setting());
	}

	/** Whether member {@code n}'s daemon answers on its socket now. */
	public boolean answers(int n) {
		try {
			return call(n, PROBE_TIMEOUT, "query", "/1.0").exitCode() == 0;
		}
		catch (AssertionError ex) {
			return false;
		}
	}

	/**
	 * Every member's status as the cluster sees it ({@code Online}, {@code Offline},
	 * {@code Evacuated}, ...), asked of the first member that answers.
	 */
	public Map<String, String> memberStatuses() {
		JsonNode list = JSON.readTree(run(answering(), PROBE_TIMEOUT, "cluster", "list", "--format", "json"));
		Map<String, String> statuses = new LinkedHashMap<>();
		for (JsonNode member : list) {
			statuses.put(member.path("server_name").asString(), member.path("status").asString());
		}
		return statuses;
	}

	/**
	 * Waits until the cluster shows {@code member} in {@code status} (case ignored:
	 * {@code ONLINE} as {@code cluster list} prints it, or {@code Online} as the API
	 * says), asking members that answer; fails naming the last statuses seen.
	 */
	public void awaitMemberStatus(String member, String status, Duration timeout) {
		Await.until(member + " " + status + " in the " + this.backend.displayName() + " test cluster", timeout,
				Duration.ofMillis(500), this::memberStatusesOrProblem,
				(seen) -> status.equalsIgnoreCase(seen.get(member)));
	}

	private Map<String, String> memberStatusesOrProblem() {
		try {
			return memberStatuses();
		}
		catch (AssertionError ex) {
			// No member answers for the moment (a member just started, a leader
			// changing): polled again.
			return Map.of("(no answer)", String.valueOf(ex.getMessage()));
		}
	}

	/**
	 * The first member, in order, whose daemon answers on its socket and can read the
	 * cluster's database.
	 */
	private int answering() {
		StringBuilder problems = new StringBuilder();
		for (Member member : this.members) {
			try {
				Lxc.Result result = call(member.index(), PROBE_TIMEOUT, "cluster", "list", "--format", "csv");
				if (result.exitCode() == 0) {
					return member.index();
				}
				problems.append("\n  ").append(member.name()).append(": ").append(result.stderr().strip());
			}
			catch (AssertionError ex) {
				// Over the time limit: a member whose daemon hangs.
				problems.append("\n  ").append(member.name()).append(": ").append(ex.getMessage());
			}
		}
		throw new AssertionError(
				"no member of the " + this.backend.displayName() + " test cluster answers:" + problems);
	}

	// --- clean-up
	// -----------------------------------------------------------------------------------------

	/**
	 * Force-deletes every instance whose name starts with {@code prefix}, through a
	 * member that answers; fails naming those it could not delete (an instance on a
	 * member that is down cannot be).
	 */
	public void deleteInstances(String prefix) {
		if (prefix.isBlank()) {
			throw new IllegalArgumentException("a prefix is needed: the cluster's other instances are not the test's");
		}
		int via = answering();
		List<String> failures = new ArrayList<>();
		for (String name : instances(via)) {
			if (name.startsWith(prefix)) {
				Lxc.Result deleted = call(via, Duration.ofMinutes(2), "delete", "--force", name);
				if (deleted.exitCode() != 0) {
					failures.add(name + ": " + deleted.stderr().strip());
				}
			}
		}
		if (!failures.isEmpty()) {
			throw new AssertionError("could not delete the test cluster's instances " + failures);
		}
	}

	/** The names of every instance in the cluster. */
	public List<String> instances() {
		return instances(answering());
	}

	private List<String> instances(int via) {
		return run(via, "list", "--format", "csv", "-c", "n").lines()
			.map(String::strip)
			.filter((line) -> !line.isEmpty())
			.toList();
	}

	// --- helpers
	// ------------------------------------------------------------------------------------------

	private String describe(int n, String... args) {
		return this.backend.client() + " " + String.join(" ", args) + " (through " + member(n).name() + " of the "
				+ this.backend.displayName() + " test cluster)";
	}

	/**
	 * Runs the script and returns its output (stdout and stderr together); fails with
	 * that output when it exits non-zero or takes longer than {@code timeout}.
	 */
	private static String runScript(Path script, TestBackend backend, Duration timeout, String... args) {
		List<String> command = new ArrayList<>(List.of("bash", script.toString()));
		command.addAll(List.of(args));
		String what = SCRIPT + " " + String.join(" ", args);
		// From the repository root, as CI runs it.
		Path root = script.getParent().getParent().getParent();
		ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
		builder.environment().put("DILXC_TEST_CLUSTER_OFFLINE_THRESHOLD", Integer.toString(OFFLINE_THRESHOLD_SECONDS));
		try {
			Path log = Files.createTempFile("dilxc-test-cluster-", ".log");
			try {
				builder.redirectOutput(log.toFile());
				Process process = builder.start();
				process.getOutputStream().close();
				boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
				if (!done) {
					// The script only: what it started (the members) stays, and the
					// next 'up' finds it unhealthy and forms the cluster again.
					process.destroy();
					if (!process.waitFor(10, TimeUnit.SECONDS)) {
						process.destroyForcibly();
					}
				}
				String output = Files.readString(log, StandardCharsets.UTF_8);
				if (!done) {
					throw new AssertionError(what + " did not finish in " + timeout.toMinutes() + " min ("
							+ backend.displayName() + "); its output:\n" + output);
				}
				if (process.exitValue() != 0) {
					throw new AssertionError(what + " failed (exit " + process.exitValue() + ", "
							+ backend.displayName() + "); its output:\n" + output);
				}
				return output;
			}
			finally {
				Files.deleteIfExists(log);
			}
		}
		catch (IOException ex) {
			throw new AssertionError("cannot run " + what + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted while running " + what, ex);
		}
	}

	private static Map<String, String> readEnv(Path env, String output) {
		List<String> lines;
		try {
			lines = Files.readAllLines(env, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new AssertionError(
					"cannot read " + env + " after " + SCRIPT + " up (" + ex + "); its output:\n" + output, ex);
		}
		Map<String, String> values = new LinkedHashMap<>();
		for (String line : lines) {
			int equals = line.indexOf('=');
			if (!line.startsWith("#") && equals > 0) {
				values.put(line.substring(0, equals), line.substring(equals + 1));
			}
		}
		return values;
	}

	private static String required(Map<String, String> values, String key, Path env) {
		String value = values.get(key);
		if (value == null || value.isEmpty()) {
			throw new AssertionError(env + " has no " + key + ": " + values);
		}
		return value;
	}

	/** A file of this repository, found from the working directory upwards. */
	private static Path repositoryFile(String relative) {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path file = dir.resolve(relative);
			if (Files.isRegularFile(file)) {
				return file;
			}
		}
		throw new AssertionError(relative + " not found above " + Path.of("").toAbsolutePath());
	}

}
