package dev.dilxc.daemon.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A real LXD container made from the project's test image ({@code dilxc-golden}, built by
 * {@code provisioning/test-host.sh}), with the fake Anthropic API bridged into its
 * loopback by an LXD proxy device and the agent's environment written to
 * {@code agent.env}. If LXD or the image is missing the test fails: these tests never
 * skip.
 */
public final class TestSandbox implements AutoCloseable {

	public static final String IMAGE = System.getenv().getOrDefault("DILXC_IMAGE", "dilxc-golden");

	public static final String PROJECT = "/home/ubuntu/project";

	public static final String ENV_FILE = "/home/ubuntu/.config/dilxc/agent.env";

	private final String name;

	private TestSandbox(String name) {
		this.name = name;
	}

	/**
	 * Put in front of every instance name, so that engineers sharing one LXD can tell
	 * their instances apart (e.g. {@code DILXC_TEST_PREFIX=me-}).
	 */
	private static final String NAME_PREFIX = System.getenv().getOrDefault("DILXC_TEST_PREFIX", "");

	/** Launches a fresh sandbox wired to the given fake API. */
	public static TestSandbox launch(String prefix, FakeAnthropicApi api, String apiKey) {
		return launch(prefix, api, apiKey, true);
	}

	/**
	 * As {@link #launch(String, FakeAnthropicApi, String)}, but PID 1 is
	 * {@code sleep infinity} instead of systemd: a sandbox as an image without systemd
	 * (or a container started without it) gives.
	 */
	public static TestSandbox launchWithoutSystemd(String prefix, FakeAnthropicApi api, String apiKey) {
		return launch(prefix, api, apiKey, false);
	}

	private static TestSandbox launch(String prefix, FakeAnthropicApi api, String apiKey, boolean systemd) {
		requireLxd();
		String name = NAME_PREFIX + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
		List<String> launch = new java.util.ArrayList<>(List.of("launch", IMAGE, name));
		if (!systemd) {
			launch.addAll(List.of("--config", "raw.lxc=lxc.init.cmd = /usr/bin/sleep infinity"));
		}
		Lxc.run(launch.toArray(String[]::new)).orFail("lxc launch " + IMAGE + " " + name);
		TestSandbox sandbox = new TestSandbox(name);
		try {
			sandbox.awaitExec();
			if (!systemd) {
				// systemd brings the loopback up, and the fake API is reached through it;
				// no ip(8) in the
				// image, so SIOCSIFFLAGS (IFF_UP|IFF_LOOPBACK|IFF_RUNNING) from
				// perl-base.
				Lxc.run("exec", name, "--", "perl", "-e",
						"socket(S, 2, 2, 0) or die \"socket: $!\"; "
								+ "my $r = pack('a16 s x22', 'lo', 0x49); ioctl(S, 0x8914, $r) or die \"ioctl: $!\"")
					.orFail("bring up the loopback in " + name);
			}
			Lxc.run("config", "device", "add", name, "fakeapi", "proxy", "listen=tcp:127.0.0.1:" + api.port(),
					"connect=tcp:127.0.0.1:" + api.port(), "bind=container")
				.orFail("add proxy device");
			sandbox.writeAgentEnv(apiKey, api);
			return sandbox;
		}
		catch (RuntimeException | AssertionError ex) {
			sandbox.close();
			throw ex;
		}
	}

	/** Fails the test with a fix-it message when LXD or the test image is not there. */
	public static void requireLxd() {
		TestBackend backend = TestBackend.current();
		Lxc.Result info = Lxc.run("query", "/1.0");
		if (info.exitCode() != 0) {
			throw new AssertionError(backend + " is not reachable through '" + backend.client() + "' ("
					+ info.stderr().strip() + "): run provisioning/test-host.sh (CONTRIBUTING.md's test command, "
					+ "deploy/test.sh, does; it sets up LXD and Incus)");
		}
		if (Lxc.run("image", "info", IMAGE).exitCode() != 0) {
			throw new AssertionError(
					"the " + backend + " image '" + IMAGE + "' is missing: run provisioning/test-host.sh");
		}
	}

	public String name() {
		return this.name;
	}

	/**
	 * Writes agent.env (0600, owned by ubuntu) through stdin, so no value appears on a
	 * command line.
	 */
	public void writeAgentEnv(String apiKey, FakeAnthropicApi api) {
		writeFile(ENV_FILE, api.agentEnv(apiKey), "0600");
	}

	/** Writes a file as the sandbox user with the given mode, content through stdin. */
	public void writeFile(String path, String content, String mode) {
		Lxc.runWithInput(content.getBytes(StandardCharsets.UTF_8), "exec", this.name, "--user", "1000", "--group",
				"1000", "--env", "HOME=/home/ubuntu", "--", "sh", "-c",
				"umask 077 && cat > \"$1\" && chmod \"$2\" \"$1\"", "write", path, mode)
			.orFail("write " + path);
	}

	public boolean fileExists(String path) {
		return Lxc.run("exec", this.name, "--", "test", "-e", path).exitCode() == 0;
	}

	public String readFile(String path) {
		return Lxc.exec(this.name, "cat", path);
	}

	public List<String> snapshots() {
		return Lxc.snapshots(this.name);
	}

	/**
	 * Processes inside the sandbox whose command line mentions {@code needle} (e.g.
	 * "claude").
	 */
	public List<String> processesMatching(String needle) {
		String ps = Lxc.exec(this.name, "ps", "-eo", "pid=,user=,args=");
		return Arrays.stream(ps.split("\n"))
			.map(String::strip)
			.filter((line) -> line.contains(needle) && !line.contains("ps -eo"))
			.toList();
	}

	public void stop() {
		Lxc.run("stop", this.name, "--force").orFail("lxc stop " + this.name);
	}

	private void awaitExec() {
		Await.until("sandbox " + this.name + " to accept exec", Duration.ofSeconds(60), Duration.ZERO,
				() -> Lxc.run("exec", this.name, "--", "true"), (result) -> result.exitCode() == 0);
	}

	@Override
	public void close() {
		Lxc.run("delete", "--force", this.name);
	}

}
