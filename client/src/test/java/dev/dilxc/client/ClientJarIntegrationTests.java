package dev.dilxc.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.dilxc.client.testing.FakeDaemon;
import dev.dilxc.client.testing.FakeDaemon.Response;
import dev.dilxc.client.testing.Jobs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the packaged client ({@code target/dilxc-client.jar}, and the launcher script) as
 * a separate process and checks what a shell script would see: exit codes, stdout,
 * stderr.
 */
class ClientJarIntegrationTests {

	private static final Path JAR = Path.of("target/dilxc-client.jar").toAbsolutePath();

	private static final Path LAUNCHER = Path.of("../deploy/bin/dilxc-client").toAbsolutePath().normalize();

	private static final JsonMapper JSON = ClientCommands.jsonMapper();

	@TempDir
	static Path dir;

	@BeforeAll
	static void jarIsBuilt() {
		assertThat(JAR).as("run 'mvn package' first").isRegularFile();
	}

	@Test
	void jobsWhenDaemonNotRunningExits69WithOneLineOnStderr() throws Exception {
		Path socket = dir.resolve("no-daemon.sock");
		Run run = java(socket, "jobs");
		assertThat(run.exitCode()).isEqualTo(69);
		assertThat(run.out()).isEmpty();
		assertThat(run.err()).isEqualTo("dilxc-client: cannot reach the dilxc daemon at " + socket
				+ " (no socket file there). Start it with 'systemctl --user start dilxc' (after deploy/install.sh) or 'dilxc-daemon', or set DILXC_SOCKET.\n");
	}

	@Test
	void badOptionExits2() throws Exception {
		Run run = java(dir.resolve("no-daemon.sock"), "jobs", "--colour", "always");
		assertThat(run.exitCode()).isEqualTo(2);
		assertThat(run.out()).isEmpty();
		assertThat(run.err()).startsWith("dilxc-client: unknown option '--colour' for 'jobs'").hasLineCount(1);
	}

	@Test
	void badOptionValueExits2() throws Exception {
		Run run = java(dir.resolve("no-daemon.sock"), "submit", "--timeout", "forever", "x");
		assertThat(run.exitCode()).isEqualTo(2);
		assertThat(run.err()).startsWith("dilxc-client: invalid --timeout 'forever'").hasLineCount(1);
	}

	@Test
	void unknownCommandExits2() throws Exception {
		Run run = java(dir.resolve("no-daemon.sock"), "frobnicate");
		assertThat(run.exitCode()).isEqualTo(2);
		assertThat(run.out()).isEmpty();
		assertThat(run.err()).startsWith("dilxc-client: unknown command 'frobnicate'").hasLineCount(1);
	}

	@Test
	void helpExits0AndPrintsTheCommands() throws Exception {
		Run run = java(dir.resolve("no-daemon.sock"), "help");
		assertThat(run.exitCode()).isZero();
		assertThat(run.out()).contains("submit", "jobs", "logs", "cancel", "Exit codes");
		assertThat(run.err()).isEmpty();
	}

	@Test
	void submitSendsALeadingDashPromptUntouchedAndPrintsOnlyTheId() throws Exception {
		try (FakeDaemon daemon = new FakeDaemon(Files.createTempDirectory(dir, "d"))) {
			daemon.answer(request -> Response.json(201, JSON.writeValueAsString(Jobs.queued(42, "x"))));
			String prompt = "-rf everything\n$(touch /tmp/pwned) \"q\" '\u00e9\ud83d\ude80'  --spring.main.banner-mode=console";
			Run run = java(daemon.socket(), "submit", "--", prompt);
			assertThat(run.exitCode()).as(run.err()).isZero();
			assertThat(run.out()).isEqualTo("42\n");
			assertThat(run.err()).isEmpty();
			assertThat(JSON.readTree(daemon.onlyRequest().body()).get("prompt").stringValue()).isEqualTo(prompt);
		}
	}

	@Test
	void launcherPassesArgumentsThroughAndKeepsStdoutClean() throws Exception {
		try (FakeDaemon daemon = new FakeDaemon(Files.createTempDirectory(dir, "d"))) {
			daemon.answer(request -> Response.json(200, JSON.writeValueAsString(List.of(Jobs.succeeded(2, "p")))));
			Run run = launcher(daemon.socket(), "jobs", "--json");
			assertThat(run.exitCode()).as(run.err()).isZero();
			assertThat(JSON.readTree(run.out()).get(0).get("id").asLong()).isEqualTo(2);
			assertThat(run.err()).isEmpty();

			daemon.answer(request -> Response.json(201, JSON.writeValueAsString(Jobs.queued(43, "x"))));
			String prompt = "-n\n  two  spaces * $HOME `id` \\";
			Run submit = launcher(daemon.socket(), "submit", "--", prompt);
			assertThat(submit.exitCode()).as(submit.err()).isZero();
			assertThat(submit.out()).isEqualTo("43\n");
			assertThat(JSON.readTree(daemon.requests().getLast().body()).get("prompt").stringValue()).isEqualTo(prompt);
		}
	}

	@Test
	void bashCompletionThroughTheLauncherOffersTheDaemonsJobIds() throws Exception {
		try (FakeDaemon daemon = new FakeDaemon(Files.createTempDirectory(dir, "d"))) {
			daemon.answer(request -> request.path().equals("/api/jobs")
					? Response.json(200,
							JSON.writeValueAsString(List.of(Jobs.queued(21, "b"), Jobs.succeeded(20, "a"))))
					: Response.problem(404, "not-found", "no"));
			String program = "source <('" + LAUNCHER + "' completion bash)\n" + "COMP_WORDS=('" + LAUNCHER
					+ "' logs '2')\nCOMP_CWORD=2\n_dilxc_client\n" + "echo \"${COMPREPLY[*]}\"\n" + "COMP_WORDS=('"
					+ LAUNCHER + "' schedule 'run')\nCOMP_CWORD=2\n_dilxc_client\n" + "echo \"${COMPREPLY[*]}\"\n";
			Run run = run(List.of("bash", "-c", program), daemon.socket());
			assertThat(run.exitCode()).as(run.err()).isZero();
			assertThat(run.out()).isEqualTo("21 20\nrun-now\n");
			assertThat(daemon.requests()).extracting(FakeDaemon.Request::path).containsExactly("/api/jobs");
		}
	}

	@Test
	void launcherStartsFromItsTrainedCacheAndRunsWithoutAStaleOne() throws Exception {
		// a copy of the jar, so that making it stale does not touch target/
		Path jar = Files.copy(JAR, Files.createTempDirectory(dir, "jar").resolve("dilxc-client.jar"));
		Path cache = Files.createTempDirectory(dir, "cache");
		try (FakeDaemon daemon = new FakeDaemon(Files.createTempDirectory(dir, "d"))) {
			daemon.answer(request -> Response.json(200, JSON.writeValueAsString(List.of(Jobs.succeeded(2, "p")))));
			Map<String, String> env = Map.of("DILXC_CLIENT_JAR", jar.toString(), "DILXC_CLIENT_CACHE_DIR",
					cache.toString());

			Run untrained = launcher(daemon.socket(), env, "jobs");
			assertThat(untrained.exitCode()).as(untrained.err()).isZero();
			assertThat(untrained.err()).as("no cache yet: silent").isEmpty();

			Map<String, String> training = new java.util.HashMap<>(env);
			training.put("DILXC_CLIENT_TRAIN", "1");
			Run trained = launcher(daemon.socket(), training, "jobs");
			assertThat(trained.exitCode()).as(trained.err()).isZero();
			assertThat(trained.out()).isNotEmpty();

			// the application's own classes come from the cache
			// (to a file: the class list is too long for the test's pipes)
			Path classes = dir.resolve("classes.log");
			Map<String, String> loud = new java.util.HashMap<>(env);
			loud.put("DILXC_CLIENT_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes);
			Run cached = launcher(daemon.socket(), loud, "jobs", "--json");
			assertThat(cached.exitCode()).as(cached.err()).isZero();
			assertThat(JSON.readTree(cached.out()).get(0).get("id").asLong()).isEqualTo(2);
			assertThat(cached.err()).isEmpty();
			assertThat(Files.readString(classes))
				.contains("dev.dilxc.client.ClientApplication source: shared objects file");

			// a rebuilt jar (here: touched) is never run with the old cache
			Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
			Run stale = launcher(daemon.socket(), loud, "jobs", "--json");
			assertThat(stale.exitCode()).as(stale.err()).isZero();
			assertThat(JSON.readTree(stale.out()).get(0).get("id").asLong()).isEqualTo(2);
			assertThat(stale.err()).startsWith("dilxc-client: the start-up cache in " + cache)
				.contains("deploy/train.sh")
				.hasLineCount(1);
			assertThat(Files.readString(classes))
				.doesNotContain("dev.dilxc.client.ClientApplication source: shared objects file");
		}
	}

	@Test
	void launcherTrainsAndUsesItsCacheForJarsAtAwkwardPaths() throws Exception {
		// The JVM expands %p and %t in cache file names and refuses two %t: a slot named
		// after the
		// jar's path got no cache for a checkout under /tmp/... or /home/tom/... (and
		// never for %p).
		// (two paths: each training takes 5-15 s)
		List<Path> jarDirs = List.of(dir.resolve("tmp/100%t of %p and %t/client/target"),
				dir.resolve("home/tom/src/dilxc/client/target"));
		Path cache = Files.createTempDirectory(dir, "cache");
		try (FakeDaemon daemon = new FakeDaemon(Files.createTempDirectory(dir, "d"))) {
			daemon.answer(request -> Response.json(200, JSON.writeValueAsString(List.of(Jobs.succeeded(2, "p")))));
			for (int i = 0; i < jarDirs.size(); i++) {
				Path jar = Files.copy(JAR, Files.createDirectories(jarDirs.get(i)).resolve("dilxc-client.jar"));
				Map<String, String> env = Map.of("DILXC_CLIENT_JAR", jar.toString(), "DILXC_CLIENT_CACHE_DIR",
						cache.toString());

				Map<String, String> training = new java.util.HashMap<>(env);
				training.put("DILXC_CLIENT_TRAIN", "1");
				Run trained = launcher(daemon.socket(), training, "jobs");
				assertThat(trained.exitCode()).as("training for %s: %s", jar, trained.err()).isZero();
				assertThat(trained.out()).isNotEmpty();

				Map<String, String> check = new java.util.HashMap<>(env);
				check.put("DILXC_CLIENT_CACHE_CHECK", "1");
				assertThat(launcher(daemon.socket(), check).exitCode()).as("the cache is current for " + jar).isZero();

				// one slot per jar, named by the hash of its path: nothing of the path
				// the JVM could expand
				String hash = java.util.HexFormat.of()
					.formatHex(java.security.MessageDigest.getInstance("SHA-256")
						.digest(jar.toString().getBytes(StandardCharsets.UTF_8)))
					.substring(0, 16);
				try (var slots = Files.list(cache)) {
					assertThat(slots.map((slot) -> slot.getFileName().toString())).hasSize(i + 1)
						.allMatch((name) -> name.matches("[0-9a-f]{16}-[A-Za-z0-9._-]+"))
						.anyMatch((name) -> name.startsWith(hash + "-"));
				}

				Path classes = dir.resolve("awkward-classes-" + i + ".log");
				Map<String, String> loud = new java.util.HashMap<>(env);
				loud.put("DILXC_CLIENT_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes);
				Run cached = launcher(daemon.socket(), loud, "jobs", "--json");
				assertThat(cached.exitCode()).as(cached.err()).isZero();
				assertThat(JSON.readTree(cached.out()).get(0).get("id").asLong()).isEqualTo(2);
				assertThat(cached.err()).isEmpty();
				assertThat(Files.readString(classes)).as("classes of " + jar + " from its cache")
					.contains("dev.dilxc.client.ClientApplication source: shared objects file");
			}
		}
	}

	@Test
	void aCacheDirectoryWithAPercentSignIsRefusedForTrainingAndTheClientRunsWithoutIt() throws Exception {
		Path cache = dir.resolve("cache 100%t");
		Map<String, String> env = Map.of("DILXC_CLIENT_CACHE_DIR", cache.toString());
		Map<String, String> training = new java.util.HashMap<>(env);
		training.put("DILXC_CLIENT_TRAIN", "1");
		Run trained = launcher(dir.resolve("no-daemon.sock"), training, "help");
		assertThat(trained.exitCode()).isEqualTo(70);
		assertThat(trained.out()).isEmpty();
		assertThat(trained.err()).isEqualTo("dilxc-client: the start-up cache directory " + cache
				+ " contains '%', which Java expands in cache file names (%p, %t); set DILXC_CLIENT_CACHE_DIR to a"
				+ " directory without '%' (dilxc-client works without a cache, only slower)\n");
		assertThat(cache).doesNotExist();

		Run plain = launcher(dir.resolve("no-daemon.sock"), env, "help");
		assertThat(plain.exitCode()).as(plain.err()).isZero();
		assertThat(plain.out()).contains("submit");
		assertThat(plain.err()).isEmpty();
	}

	private static Run java(Path socket, String... args) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", JAR.toString()));
		command.addAll(List.of(args));
		return run(command, socket);
	}

	private static Run launcher(Path socket, String... args) throws Exception {
		// an empty cache directory: a cache the developer trained must not change what is
		// tested
		return launcher(socket, Map.of("DILXC_CLIENT_CACHE_DIR", dir.resolve("no-cache").toString()), args);
	}

	private static Run launcher(Path socket, Map<String, String> env, String... args) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(LAUNCHER.toString());
		command.addAll(List.of(args));
		return run(command, socket, env);
	}

	private static Run run(List<String> command, Path socket) throws IOException, InterruptedException {
		return run(command, socket, Map.of());
	}

	private static Run run(List<String> command, Path socket, Map<String, String> extraEnv)
			throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(command);
		Map<String, String> env = builder.environment();
		env.put("DILXC_SOCKET", socket.toString());
		env.put("DILXC_CLIENT_JAR", JAR.toString());
		env.remove("DILXC_CLIENT_AOT");
		env.remove("DILXC_CLIENT_TRAIN");
		env.remove("DILXC_CLIENT_JAVA_OPTS");
		env.putAll(extraEnv);
		env.remove("DILXC_DEBUG");
		env.remove("JAVA_TOOL_OPTIONS");
		env.remove("JDK_JAVA_OPTIONS");
		Process process = builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
		CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
		CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("client did not exit within 120s: " + command);
		}
		return new Run(process.exitValue(), out.join(), err.join());
	}

	private static String read(java.io.InputStream in) {
		try (in) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Run(int exitCode, String out, String err) {
	}

}
