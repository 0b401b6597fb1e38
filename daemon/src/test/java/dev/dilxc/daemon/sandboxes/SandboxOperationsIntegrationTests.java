package dev.dilxc.daemon.sandboxes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.api.CheckReport;
import dev.dilxc.api.CheckResult;
import dev.dilxc.api.CommandResult;
import dev.dilxc.api.HostAuth;
import dev.dilxc.api.JobView;
import dev.dilxc.api.ProblemTypes;
import dev.dilxc.api.ProxyView;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.api.SyncRequest;
import dev.dilxc.api.TerminalCommand;
import dev.dilxc.api.TerminalKind;
import dev.dilxc.api.TerminalRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.jobs.JobQueue;
import dev.dilxc.daemon.testing.TestBackend;
import dev.dilxc.daemon.testing.Await;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.Lxc;

/**
 * sync, pull/push, terminal, proxies, health, git-auth and doctor through the daemon's
 * HTTP API (in-process, MockMvc) on real LXD: one running sandbox set up as init leaves
 * one (from the test image, no Docker), one that was never started, and a name LXD does
 * not know.
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK)
class SandboxOperationsIntegrationTests {

	private static final String SYNC = "{\"force\":false,\"dryRun\":false}";

	private static final String API_KEY = "sk-ant-ops-SECRET-9d3f1a77c2";

	private static OpsSandbox sandbox;

	private static OpsSandbox stopped;

	@TempDir
	static Path data;

	@TempDir
	Path hostDir;

	@Autowired
	private WebApplicationContext context;

	@Autowired
	private JsonMapper json;

	@Autowired
	private JobQueue jobs;

	@Autowired
	private AuthForwarding authForwarding;

	@Autowired
	private dev.dilxc.daemon.lxd.Lxd lxd;

	private MockMvc mvc;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
	}

	@BeforeAll
	static void launch() {
		sandbox = OpsSandbox.launch(OpsSandbox.BASE_IMAGE);
		stopped = OpsSandbox.stopped();
	}

	@AfterAll
	static void remove() {
		if (sandbox != null) {
			sandbox.close();
		}
		if (stopped != null) {
			stopped.close();
		}
	}

	@BeforeEach
	void mockMvc() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).build();
	}

	// --- sync
	// ---------------------------------------------------------------------------------------------

	@Test
	void syncMirrorsTheSourceKeepsTheWorkingCopysGitAndHonoursExcludesAtAnyDepth() throws Exception {
		sandbox.writeSource("a.txt", "a\n");
		sandbox.writeSource("sub/b.txt", "b\n");
		sandbox.writeSource("node_modules/x.js", "x\n");
		sandbox.writeSource("sub/node_modules/y.js", "y\n");
		sandbox.writeSource("sub/dist/z.js", "z\n");
		sandbox.writeSource("build/w.o", "w\n");
		sandbox.writeSource("deep/er/build/v.o", "v\n");
		sandbox.writeSource(".git/HEAD", "ref: refs/heads/host\n");
		sandbox.asUser("git", "init", "-q", OpsSandbox.PROJECT);
		sandbox.asUser("mkdir", "-p", OpsSandbox.PROJECT + "/sub/dist");
		sandbox.writeFile(OpsSandbox.PROJECT + "/sub/dist/local.js", "built in the sandbox\n", "0644");

		CommandResult result = sync(false, false);

		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.summary()).matches("Project synced \\(\\d+ changes\\)");
		assertThat(sandbox.root("cat", OpsSandbox.PROJECT + "/a.txt", OpsSandbox.PROJECT + "/sub/b.txt"))
			.isEqualTo("a\nb\n");
		for (String excluded : List.of("node_modules", "sub/node_modules", "sub/dist/z.js", "build", "deep/er/build")) {
			assertThat(sandbox.exists(OpsSandbox.PROJECT + "/" + excluded)).as(excluded).isFalse();
		}
		assertThat(sandbox.exists(OpsSandbox.PROJECT + "/deep/er")).isTrue();
		// The working copy's own .git and excluded dirs survive, and the host's .git
		// never arrives.
		assertThat(sandbox.root("cat", OpsSandbox.PROJECT + "/.git/HEAD")).doesNotContain("refs/heads/host");
		assertThat(sandbox.asUser("git", "-C", OpsSandbox.PROJECT, "rev-parse", "--is-inside-work-tree"))
			.isEqualTo("true\n");
		assertThat(sandbox.root("cat", OpsSandbox.PROJECT + "/sub/dist/local.js")).isEqualTo("built in the sandbox\n");
		assertThat(sandbox.root("stat", "-c", "%u:%g", OpsSandbox.PROJECT + "/a.txt")).isEqualTo("1000:1000\n");

		CommandResult again = sync(false, false);
		assertThat(again.summary()).isEqualTo("Project synced (0 changes)");
	}

	@Test
	void syncDeletesFromTheWorkingCopyWhatWasDeletedFromTheSource() throws Exception {
		sandbox.writeSource("doomed.txt", "bye\n");
		assertThat(sync(false, false).exitCode()).isZero();
		assertThat(sandbox.exists(OpsSandbox.PROJECT + "/doomed.txt")).isTrue();

		sandbox.deleteSource("doomed.txt");
		CommandResult result = sync(false, false);

		assertThat(result.exitCode()).isZero();
		assertThat(result.output()).contains("*deleting   doomed.txt");
		assertThat(sandbox.exists(OpsSandbox.PROJECT + "/doomed.txt")).isFalse();
	}

	@Test
	void syncDryRunListsWhatWouldChangeAndChangesNothing() throws Exception {
		assertThat(sync(false, false).exitCode()).isZero();
		sandbox.writeSource("dry/new.txt", "new\n");

		CommandResult result = sync(false, true);

		assertThat(result.exitCode()).isZero();
		assertThat(result.output()).contains("dry/new.txt");
		assertThat(result.summary()).startsWith("Dry run: ").endsWith("would be made; nothing was changed");
		assertThat(sandbox.exists(OpsSandbox.PROJECT + "/dry")).isFalse();
		sandbox.deleteSource("dry/new.txt");
	}

	@Test
	void syncWhileAJobIsQueuedIsRefusedAsBusyUnlessForced() throws Exception {
		JobView job = this.jobs.submit(new SubmitJobRequest("wait", sandbox.name(), RestorePolicy.NEVER, 60L));
		try {
			MockHttpServletResponse busy = perform(
					post(path("/sync")).contentType(MediaType.APPLICATION_JSON).content(SYNC));
			assertProblem(busy, 409, ProblemTypes.SANDBOX_BUSY, "job " + job.id() + " is queued");
			assertThat(problem(busy).get("detail").asString()).contains("--force");

			CommandResult forced = sync(true, false);
			assertThat(forced.exitCode()).isZero();
		}
		finally {
			this.jobs.cancel(job.id());
		}
	}

	@Test
	void syncOfAFileTheSandboxUserCannotReadIsReportedAsIncompleteNamingTheFile() throws Exception {
		sandbox.writeSource("locked/secret.txt", "s\n");
		Path locked = sandbox.project().resolve("locked/secret.txt");
		Files.setAttribute(locked, "unix:uid", 0);
		Files.setAttribute(locked, "unix:gid", 0);
		Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
		sandbox.writeSource("locked/open.txt", "o\n");
		Files.setAttribute(locked, "unix:uid", 0); // writeSource gave everything back to
													// 1000
		try {
			CommandResult result = sync(false, false);

			assertThat(result.exitCode()).isEqualTo(23);
			assertThat(result.summary()).startsWith("Sync incomplete (rsync exit 23)")
				.contains("1 file could not be read: locked/secret.txt");
			assertThat(sandbox.root("cat", OpsSandbox.PROJECT + "/locked/open.txt")).isEqualTo("o\n");
		}
		finally {
			Files.delete(locked);
		}
	}

	@Test
	void syncWithoutTheProjectMountSaysHowToMountIt() throws Exception {
		Lxc.run("config", "device", "remove", sandbox.name(), "project").orFail("remove project device");
		try {
			MockHttpServletResponse response = perform(
					post(path("/sync")).contentType(MediaType.APPLICATION_JSON).content(SYNC));
			assertProblem(response, 409, ProblemTypes.CONFLICT, "has no project source at /home/ubuntu/project-src");
		}
		finally {
			Lxc.run("config", "device", "add", sandbox.name(), "project", "disk", "source=" + sandbox.project(),
					"path=" + OpsSandbox.SOURCE, "readonly=true")
				.orFail("re-add project device");
		}
	}

	// --- pull / push
	// ------------------------------------------------------------------------------------------

	@Test
	void pushThenPullRoundTripsARelativePathOwnedByUbuntu() throws Exception {
		Path file = this.hostDir.resolve("in.txt");
		Files.writeString(file, "pushed\n");

		CommandResult pushed = transfer("/push", "data/in.txt", file.toString());

		assertThat(pushed.summary()).isEqualTo("Pushed " + file + " -> /home/ubuntu/project/data/in.txt");
		assertThat(
				sandbox.root("stat", "-c", "%u:%g", OpsSandbox.PROJECT + "/data", OpsSandbox.PROJECT + "/data/in.txt"))
			.isEqualTo("1000:1000\n1000:1000\n");
		assertThat(sandbox.root("cat", OpsSandbox.PROJECT + "/data/in.txt")).isEqualTo("pushed\n");

		Path back = Files.createDirectory(this.hostDir.resolve("back"));
		CommandResult pulled = transfer("/pull", "data/in.txt", back.toString());

		assertThat(pulled.summary()).isEqualTo("Pulled /home/ubuntu/project/data/in.txt -> " + back.resolve("in.txt"));
		assertThat(Files.readString(back.resolve("in.txt"))).isEqualTo("pushed\n");
	}

	@Test
	void pushOfADirectoryWithoutDestinationLandsInTheWorkingCopyOwnedByUbuntuAndOverwrites() throws Exception {
		Path dir = Files.createDirectories(this.hostDir.resolve("fixtures/nested"));
		Files.writeString(dir.resolve("one.txt"), "first\n");

		transfer("/push", null, this.hostDir.resolve("fixtures").toString());
		assertThat(sandbox.root("stat", "-c", "%u:%g", OpsSandbox.PROJECT + "/fixtures/nested/one.txt"))
			.isEqualTo("1000:1000\n");

		Path single = this.hostDir.resolve("one.txt");
		Files.writeString(single, "second\n");
		CommandResult overwritten = transfer("/push", "fixtures/nested/one.txt", single.toString());

		assertThat(overwritten.exitCode()).isZero();
		assertThat(sandbox.root("cat", OpsSandbox.PROJECT + "/fixtures/nested/one.txt")).isEqualTo("second\n");
		assertThat(sandbox.root("stat", "-c", "%u:%g", OpsSandbox.PROJECT + "/fixtures/nested/one.txt"))
			.isEqualTo("1000:1000\n");
	}

	@Test
	void pushOfAMissingHostPathIsRefusedNamingThePath() throws Exception {
		String missing = this.hostDir.resolve("nope.txt").toString();
		assertProblem(
				perform(post(path("/push")).contentType(MediaType.APPLICATION_JSON)
					.content(this.json.writeValueAsString(Map.of("hostPath", missing)))),
				400, ProblemTypes.INVALID_REQUEST, "host path '" + missing + "' does not exist");
		assertProblem(
				perform(post(path("/push")).contentType(MediaType.APPLICATION_JSON)
					.content("{\"hostPath\":\"relative.txt\"}")),
				400, ProblemTypes.INVALID_REQUEST, "must be absolute");
	}

	@Test
	void pullOfAMissingSandboxPathIsNotFoundAndWithoutAPathSaysWhatToGive() throws Exception {
		assertProblem(
				perform(post(path("/pull")).contentType(MediaType.APPLICATION_JSON)
					.content(this.json
						.writeValueAsString(Map.of("sandboxPath", "no/such", "hostPath", this.hostDir.toString())))),
				404, ProblemTypes.NOT_FOUND, "there is no '/home/ubuntu/project/no/such'");
		assertProblem(
				perform(post(path("/pull")).contentType(MediaType.APPLICATION_JSON)
					.content(this.json.writeValueAsString(Map.of("hostPath", this.hostDir.toString())))),
				400, ProblemTypes.INVALID_REQUEST, "say what to pull");
	}

	// --- pull and links an agent planted
	// ------------------------------------------------------------------------

	@Test
	void pullOfADirectoryWithLinksToAHostFileOutsideIsRefusedEveryTimeNamingThemAndWritesNothing() throws Exception {
		Path outside = outsideFile();
		// Absolute, and relative: from <dest>/dist/sub, ../../../bashrc is the outside
		// file on the host.
		sandbox.asUser("sh", "-c", "mkdir -p project/links1/sub && echo app > project/links1/app.js" + " && ln -s "
				+ outside + " project/links1/abs && ln -s ../../../bashrc project/links1/sub/rel");
		Path out = Files.createDirectory(this.hostDir.resolve("out"));

		for (int attempt = 1; attempt <= 2; attempt++) {
			MockHttpServletResponse refused = perform(post(path("/pull")).contentType(MediaType.APPLICATION_JSON)
				.content(this.json.writeValueAsString(Map.of("sandboxPath", "links1", "hostPath", out.toString()))));

			assertProblem(refused, 409, ProblemTypes.CONFLICT,
					"'" + OpsSandbox.PROJECT + "/links1/abs' is a symbolic link to '" + outside + "', outside '"
							+ OpsSandbox.PROJECT + "/links1'");
			// LXD hands relative links over resolved in the sandbox (../../../bashrc from
			// links1/sub); Incus hands them over as they are. Either way the link points
			// out.
			String rel = (TestBackend.current() == TestBackend.LXD) ? "/home/ubuntu/bashrc" : "../../../bashrc";
			assertThat(problem(refused).get("detail").asString()).contains(
					"'" + OpsSandbox.PROJECT + "/links1/sub/rel' is a symbolic link to '" + rel + "', outside",
					"nothing was written");
			assertThat(out).isEmptyDirectory();
			assertOutsideUntouched(outside);
		}
	}

	@Test
	void aDestinationHoldingALinkFromAnEarlierPullIsNeverWrittenThroughAndLinksInsideComeAlongAsLinks()
			throws Exception {
		Path outside = outsideFile();
		sandbox.asUser("sh", "-c", "mkdir -p project/links2 && echo app > project/links2/app.js"
				+ " && echo planted > project/links2/x && ln -s app.js project/links2/latest");
		// As a pull before this rule would have left it: dist/x, a link the sandbox
		// planted, to a host file.
		Path out = Files.createDirectories(this.hostDir.resolve("out2/links2"));
		Files.createSymbolicLink(out.resolve("x"), outside);

		assertProblem(
				perform(post(path("/pull")).contentType(MediaType.APPLICATION_JSON)
					.content(this.json
						.writeValueAsString(Map.of("sandboxPath", "links2", "hostPath", out.getParent().toString())))),
				409, ProblemTypes.CONFLICT, "'" + out.resolve("x") + "' on the host is a symbolic link (to '" + outside
						+ "') and pull never writes through a link: remove it ('rm " + out.resolve("x") + "')");
		assertThat(out.resolve("app.js")).doesNotExist();
		assertOutsideUntouched(outside);

		Files.delete(out.resolve("x"));
		for (int attempt = 1; attempt <= 2; attempt++) {
			CommandResult pulled = transfer("/pull", "links2", out.getParent().toString());

			assertThat(pulled.summary()).isEqualTo("Pulled " + OpsSandbox.PROJECT + "/links2 -> " + out);
			assertThat(out.resolve("x")).hasContent("planted");
			assertThat(Files.isSymbolicLink(out.resolve("x"))).isFalse();
			assertThat(Files.readSymbolicLink(out.resolve("latest"))).isEqualTo(Path.of("app.js"));
			assertThat(out.resolve("latest")).hasContent("app");
			assertOutsideUntouched(outside);
		}
	}

	@Test
	void aSingleFilePullOntoAHostLinkIsRefusedNamingTheLinkAndTheFileItPointsToIsUnchanged() throws Exception {
		Path outside = outsideFile();
		sandbox.asUser("sh", "-c", "echo from-the-sandbox > project/notes.txt");
		Path link = Files.createSymbolicLink(this.hostDir.resolve("notes.txt"), outside);

		for (String destination : List.of(link.toString(), this.hostDir.toString())) {
			assertProblem(
					perform(post(path("/pull")).contentType(MediaType.APPLICATION_JSON)
						.content(this.json
							.writeValueAsString(Map.of("sandboxPath", "notes.txt", "hostPath", destination)))),
					409, ProblemTypes.CONFLICT, "'" + link + "' on the host is a symbolic link (to '" + outside + "')");
			assertThat(Files.readSymbolicLink(link)).isEqualTo(outside);
			assertOutsideUntouched(outside);
		}
	}

	@Test
	void pullOfALinkItselfOrOfADirectoryHoldingAFifoIsRefusedBeforeLxcRuns() throws Exception {
		sandbox.asUser("sh", "-c",
				"mkdir -p project/fifo-dir && mkfifo project/fifo-dir/pipe && ln -s fifo-dir project/current");

		assertProblem(
				perform(post(path("/pull")).contentType(MediaType.APPLICATION_JSON)
					.content(this.json
						.writeValueAsString(Map.of("sandboxPath", "current", "hostPath", this.hostDir.toString())))),
				409, ProblemTypes.CONFLICT, "'" + OpsSandbox.PROJECT + "/current' in sandbox '" + sandbox.name()
						+ "' is a symbolic link (to 'fifo-dir'), and pull never copies a link on its own");
		long started = System.nanoTime();
		assertProblem(
				perform(post(path("/pull")).contentType(MediaType.APPLICATION_JSON)
					.content(this.json
						.writeValueAsString(Map.of("sandboxPath", "fifo-dir", "hostPath", this.hostDir.toString())))),
				409, ProblemTypes.CONFLICT,
				"holds '" + OpsSandbox.PROJECT + "/fifo-dir/pipe', which is no regular file");
		assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(20));
		try (var left = Files.list(this.hostDir)) {
			assertThat(left).isEmpty();
		}
	}

	/**
	 * A host file outside every pull's destination, as ~/.bashrc is, with a fixed time to
	 * see any write.
	 */
	private Path outsideFile() throws IOException {
		Path outside = Files.writeString(this.hostDir.resolve("bashrc"), "the user's own\n");
		Files.setLastModifiedTime(outside, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
		return outside;
	}

	private static void assertOutsideUntouched(Path outside) throws IOException {
		assertThat(outside).hasContent("the user's own");
		assertThat(Files.getLastModifiedTime(outside).toMillis()).isEqualTo(1_000_000_000_000L);
	}

	// --- terminal
	// --------------------------------------------------------------------------------------------

	@Test
	void terminalArgvForExecReallyRunsAndPassesTheExitCodeThrough() throws Exception {
		TerminalCommand command = terminal(
				new TerminalRequest(TerminalKind.EXEC, List.of("sh", "-c", "exit 7"), false, false, null));

		assertThat(command.argv()).startsWith(TestBackend.current().client(), "exec", sandbox.name(), "-T");
		assertThat(run(command.argv()).exitCode()).isEqualTo(7);
	}

	@Test
	void terminalExecSeesTheSandboxEnvironmentThroughEnvShWithoutSecretsInTheArgv() throws Exception {
		sandbox.writeFile(OpsSandbox.AGENT_ENV, "ANTHROPIC_API_KEY=" + API_KEY + "\nDILXC_OPS_MARK=from-agent-env\n",
				"0600");
		sandbox.asUser("mkdir", "-p", "/home/ubuntu/.local/bin");
		TerminalCommand command = terminal(new TerminalRequest(
				TerminalKind.EXEC, List.of("sh", "-c",
						"echo \"$HOME|$USER|$PWD|$PATH|$DILXC_OPS_MARK|${#ANTHROPIC_API_KEY}|$1\"", "x", "a b;$(no)"),
				false, false, null));

		Ran ran = run(command.argv());

		assertThat(ran.exitCode()).as(ran.output()).isZero();
		String[] seen = ran.output().strip().split("\\|");
		assertThat(seen).hasSize(7);
		assertThat(seen[0]).isEqualTo("/home/ubuntu");
		assertThat(seen[1]).isEqualTo("ubuntu");
		assertThat(seen[2]).isEqualTo("/home/ubuntu/project");
		assertThat(seen[3]).startsWith("/home/ubuntu/.local/bin:").contains("/usr/bin");
		assertThat(seen[4]).isEqualTo("from-agent-env");
		assertThat(seen[5]).isEqualTo(Integer.toString(API_KEY.length()));
		assertThat(seen[6]).isEqualTo("a b;$(no)");
		assertThat(String.join(" ", command.argv())).doesNotContain(API_KEY);
	}

	@Test
	void terminalExecWithoutACommandSaysHowToGiveOne() throws Exception {
		assertProblem(
				perform(post(path("/terminal")).contentType(MediaType.APPLICATION_JSON)
					.content("{\"kind\":\"EXEC\",\"args\":[],\"pick\":false,\"tty\":false}")),
				400, ProblemTypes.INVALID_REQUEST, "provide a command to run, e.g.");
	}

	@Test
	void withoutDockerHealthAndDockerLogsSaySoAndExitNonZero() throws Exception {
		// A sandbox whose image has no Docker: hide the client binary for this test.
		sandbox.root("mv", "/usr/bin/docker", "/usr/bin/docker.hidden");
		try {
			CheckReport report = this.json.readValue(expect(perform(get(path("/health"))), 200), CheckReport.class);
			assertThat(check(report, "Docker")).satisfies((c) -> {
				assertThat(c.ok()).isFalse();
				assertThat(c.detail()).contains("docker is not installed");
				assertThat(c.fix()).contains("dilxc-golden");
			});

			TerminalCommand command = terminal(
					new TerminalRequest(TerminalKind.DOCKER_LOGS, List.of(), false, false, null));
			Ran ran = run(command.argv());

			assertThat(ran.exitCode()).isEqualTo(127);
			assertThat(ran.output()).contains("Docker is not installed in this sandbox");
		}
		finally {
			sandbox.root("mv", "/usr/bin/docker.hidden", "/usr/bin/docker");
		}
	}

	@Test
	void terminalForwardsAuthOnlyWhenItDiffersAndMountsGhConfigOnce() throws Exception {
		Lxc.run("config", "device", "add", sandbox.name(), "ssh-agent", "proxy", "listen=unix:/tmp/ssh-agent.sock",
				"connect=unix:/dev/null", "bind=container", "uid=1000", "gid=1000", "mode=0600")
			.orFail("add ssh-agent");
		Path gh = Files.createDirectories(this.hostDir.resolve("gh"));
		try {
			String socket = this.hostDir.resolve("agent.sock").toString();
			HostAuth auth = new HostAuth(socket, gh.toString());
			terminal(new TerminalRequest(TerminalKind.SHELL, List.of(), false, true, auth));

			assertThat(sandbox.device("ssh-agent", "connect")).isEqualTo("unix:" + socket);
			assertThat(sandbox.device("gh-config", "source")).isEqualTo(gh.toString());
			assertThat(sandbox.device("gh-config", "path")).isEqualTo("/home/ubuntu/.config/gh");
			assertThat(sandbox.device("gh-config", "readonly")).isEqualTo("true");
			// Unchanged: nothing is touched the second time.
			assertThat(this.authForwarding
				.ensure(this.lxd.describeInstance(SandboxCatalog.instanceName(sandbox.name())), auth)).isEmpty();
		}
		finally {
			Lxc.run("config", "device", "remove", sandbox.name(), "ssh-agent");
			Lxc.run("config", "device", "remove", sandbox.name(), "gh-config");
		}
	}

	// --- proxies
	// -----------------------------------------------------------------------------------------------

	@Test
	void proxiesAddListRemoveOneAndRemoveAll() throws Exception {
		int local = freePort();
		int shared = freePort();
		ProxyView first = this.json
			.readValue(expect(perform(post(path("/proxies")).contentType(MediaType.APPLICATION_JSON)
				.content("{\"containerPort\":" + local + "}")), 201), ProxyView.class);
		assertThat(first).isEqualTo(new ProxyView("proxy-tcp-" + local, "127.0.0.1", local, local));
		assertThat(sandbox.device("proxy-tcp-" + local, "listen")).isEqualTo("tcp:127.0.0.1:" + local);
		assertThat(sandbox.device("proxy-tcp-" + local, "connect")).isEqualTo("tcp:127.0.0.1:" + local);

		ProxyView second = this.json.readValue(
				expect(perform(post(path("/proxies")).contentType(MediaType.APPLICATION_JSON)
					.content("{\"containerPort\":80,\"hostPort\":" + shared + ",\"publicBind\":true}")), 201),
				ProxyView.class);
		assertThat(second).isEqualTo(new ProxyView("proxy-tcp-" + shared, "0.0.0.0", shared, 80));
		assertThat(sandbox.device("proxy-tcp-" + shared, "listen")).isEqualTo("tcp:0.0.0.0:" + shared);

		assertThat(proxies()).containsExactlyInAnyOrder(first, second);

		expect(perform(delete(path("/proxies/" + local))), 204);
		assertThat(sandbox.hasDevice("proxy-tcp-" + local)).isFalse();
		assertProblem(perform(delete(path("/proxies/" + local))), 404, ProblemTypes.NOT_FOUND,
				"has no proxy for host port " + local);

		ProxyView[] removed = this.json.readValue(expect(perform(delete(path("/proxies"))), 200), ProxyView[].class);
		assertThat(removed).containsExactly(second);
		assertThat(proxies()).isEmpty();
	}

	@Test
	void proxyPortsOutOfRangeOrNotPlainNumbersAreRefused() throws Exception {
		for (String body : List.of("{\"containerPort\":0}", "{\"containerPort\":65536}", "{\"containerPort\":\"abc\"}",
				"{\"containerPort\":\"080\"}", "{\"containerPort\":80,\"hostPort\":0}", "{\"containerPort\":3000.5}",
				"{}")) {
			assertProblem(perform(post(path("/proxies")).contentType(MediaType.APPLICATION_JSON).content(body)), 400,
					ProblemTypes.INVALID_REQUEST, "");
		}
		assertProblem(perform(
				post(path("/proxies")).contentType(MediaType.APPLICATION_JSON).content("{\"containerPort\":080}")), 400,
				ProblemTypes.INVALID_REQUEST, "");
		assertProblem(
				perform(post(path("/proxies")).contentType(MediaType.APPLICATION_JSON)
					.content("{\"containerPort\":\"080\"}")),
				400, ProblemTypes.INVALID_REQUEST,
				"invalid container port '080': must be a number between 1 and 65535");
		for (String port : List.of("0", "65536", "abc", "080")) {
			assertProblem(perform(delete(path("/proxies/" + port))), 400, ProblemTypes.INVALID_REQUEST,
					"invalid host port '" + port + "'");
		}
		assertThat(proxies()).isEmpty();
	}

	@Test
	void proxyForAHostPortAlreadyProxiedIsAConflictNamingTheDevice() throws Exception {
		int port = freePort();
		expect(perform(post(path("/proxies")).contentType(MediaType.APPLICATION_JSON)
			.content("{\"containerPort\":" + port + "}")), 201);
		try {
			assertProblem(
					perform(post(path("/proxies")).contentType(MediaType.APPLICATION_JSON)
						.content("{\"containerPort\":22,\"hostPort\":" + port + "}")),
					409, ProblemTypes.CONFLICT,
					"host port " + port + " is already proxied (device: proxy-tcp-" + port + ")");
		}
		finally {
			Lxc.run("config", "device", "remove", sandbox.name(), "proxy-tcp-" + port);
		}
	}

	@Test
	void proxyOnAHostPortInUseIsAConflictAskingWhetherItIsTaken() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			int port = taken.getLocalPort();
			assertProblem(
					perform(post(path("/proxies")).contentType(MediaType.APPLICATION_JSON)
						.content("{\"containerPort\":80,\"hostPort\":" + port + "}")),
					409, ProblemTypes.CONFLICT, "is port " + port + " already in use on the host?");
			assertThat(sandbox.hasDevice("proxy-tcp-" + port)).isFalse();
		}
	}

	@Test
	void proxyListWorksOnAStoppedSandbox() throws Exception {
		Lxc.run("config", "device", "add", stopped.name(), "proxy-tcp-40123", "proxy", "listen=tcp:127.0.0.1:40123",
				"connect=tcp:127.0.0.1:3000")
			.orFail("add proxy to stopped");
		try {
			ProxyView[] list = this.json.readValue(
					expect(perform(get("/api/sandboxes/" + stopped.name() + "/proxies")), 200), ProxyView[].class);
			assertThat(list).containsExactly(new ProxyView("proxy-tcp-40123", "127.0.0.1", 40123, 3000));
		}
		finally {
			Lxc.run("config", "device", "remove", stopped.name(), "proxy-tcp-40123");
		}
	}

	// --- health, git-auth, doctor
	// ------------------------------------------------------------------------------

	@Test
	void healthRunsEveryCheckAndReportsEachTruthfully() throws Exception {
		sandbox.writeFile(OpsSandbox.AGENT_ENV, "ANTHROPIC_API_KEY=" + API_KEY + "\n", "0600");
		String body = expect(perform(get(path("/health"))), 200);
		CheckReport report = this.json.readValue(body, CheckReport.class);

		assertThat(report.subject()).isEqualTo("Health Check: " + sandbox.name());
		assertThat(report.checks()).extracting(CheckResult::name)
			.containsExactly("Network", "Docker", "Claude Code", "Agent credentials", "Project dir", "Source mount");
		assertThat(check(report, "Network")).satisfies((c) -> {
			assertThat(c.ok()).isFalse();
			assertThat(c.detail()).isEqualTo("no IPv4 (no NIC)");
		});
		assertThat(check(report, "Docker")).satisfies((c) -> {
			assertThat(c.ok()).as(c.detail()).isTrue();
			assertThat(c.detail()).startsWith("ok");
		});
		assertThat(check(report, "Claude Code")).satisfies((c) -> {
			assertThat(c.ok()).as(c.detail()).isTrue();
			assertThat(c.detail()).contains("Claude Code");
		});
		assertThat(check(report, "Agent credentials")).satisfies((c) -> {
			assertThat(c.ok()).isTrue();
			assertThat(c.detail()).isEqualTo("ok (ANTHROPIC_API_KEY in " + OpsSandbox.AGENT_ENV + ")");
		});
		assertThat(check(report, "Project dir").ok()).isTrue();
		assertThat(check(report, "Source mount")).satisfies((c) -> {
			assertThat(c.ok()).as(c.detail()).isTrue();
			assertThat(c.detail()).isEqualTo("ok (" + sandbox.project() + ", read-only)");
		});
		assertThat(report.ok()).isFalse();
		assertThat(body).doesNotContain(API_KEY);
	}

	@Test
	void healthWithoutCredentialsSaysHowToProvideThem() throws Exception {
		sandbox.root("rm", "-f", OpsSandbox.AGENT_ENV);
		CheckReport report = this.json.readValue(expect(perform(get(path("/health"))), 200), CheckReport.class);

		assertThat(check(report, "Agent credentials")).satisfies((c) -> {
			assertThat(c.ok()).isFalse();
			assertThat(c.fix()).contains("ANTHROPIC_API_KEY").contains("dilxc-client login");
		});
	}

	@Test
	void gitAuthTellsNotConfiguredPlaceholderNoKeysAndOkApart() throws Exception {
		CheckReport none = gitAuth(new HostAuth(null, null));
		assertThat(check(none, "SSH agent").detail()).startsWith("NOT CONFIGURED");
		assertThat(check(none, "GitHub CLI").detail()).startsWith("NOT CONFIGURED");
		assertThat(check(none, "SSH agent").fix()).contains("ssh-agent");

		Lxc.run("config", "device", "add", sandbox.name(), "ssh-agent", "proxy", "listen=unix:/tmp/ssh-agent.sock",
				"connect=unix:/dev/null", "bind=container", "uid=1000", "gid=1000", "mode=0600")
			.orFail("add ssh-agent");
		Process agent = null;
		try {
			CheckReport placeholder = gitAuth(new HostAuth(null, null));
			assertThat(check(placeholder, "SSH agent").detail()).startsWith("NOT AVAILABLE").contains("placeholder");

			Path socket = this.hostDir.resolve("agent.sock");
			agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true).start();
			awaitFile(socket);
			CheckReport noKeys = gitAuth(new HostAuth(socket.toString(), null));
			assertThat(check(noKeys, "SSH agent").detail()).startsWith("NO KEYS");
			assertThat(check(noKeys, "SSH agent").fix()).contains("ssh-add");

			Path key = this.hostDir.resolve("id_ed25519");
			new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).inheritIO()
				.start()
				.waitFor();
			ProcessBuilder add = new ProcessBuilder("ssh-add", key.toString());
			add.environment().put("SSH_AUTH_SOCK", socket.toString());
			assertThat(add.start().waitFor()).isZero();
			CheckReport ok = gitAuth(new HostAuth(socket.toString(), null));
			assertThat(check(ok, "SSH agent")).satisfies((c) -> {
				assertThat(c.ok()).isTrue();
				assertThat(c.detail()).isEqualTo("ok (1 identity available)");
			});
		}
		finally {
			if (agent != null) {
				agent.destroy();
			}
			Lxc.run("config", "device", "remove", sandbox.name(), "ssh-agent");
		}
	}

	@Test
	void doctorChecksTheHostAndTheSandbox() throws Exception {
		CheckReport host = this.json.readValue(expect(perform(get("/api/doctor").param("uid", "1000")), 200),
				CheckReport.class);
		String backend = TestBackend.current().displayName();
		assertThat(host.checks()).extracting(CheckResult::name).containsExactly(backend, "Storage pool", "Id map");
		assertThat(check(host, backend).detail()).startsWith("ok (" + backend + " ")
			.endsWith("; dilxc.lxd.backend: " + TestBackend.current().setting() + ")");
		assertThat(check(host, "Storage pool").detail()).isEqualTo("ok (pool default: btrfs)");
		CheckReport unmapped = this.json.readValue(expect(perform(get("/api/doctor").param("uid", "4242")), 200),
				CheckReport.class);
		if (TestBackend.current() == TestBackend.LXD) {
			// LXD 5.0.2 cannot shift mounts here: init maps the owner with raw.idmap,
			// which
			// needs root's delegation of that id.
			assertThat(check(host, "Id map")).satisfies((c) -> {
				assertThat(c.ok()).as(c.detail()).isTrue();
				assertThat(c.detail()).contains("root:1000:1 in /etc/subuid");
			});
			assertThat(check(unmapped, "Id map")).satisfies((c) -> {
				assertThat(c.ok()).isFalse();
				assertThat(c.fix()).contains("root:4242:1").contains("/etc/subuid").contains("restart LXD");
			});
		}
		else {
			// Incus shifts mounts here: any owner maps, no delegation needed.
			assertThat(check(unmapped, "Id map")).satisfies((c) -> {
				assertThat(c.ok()).as(c.detail()).isTrue();
				assertThat(c.detail()).isEqualTo("ok (uid 4242 maps to the sandbox user through shifted mounts: "
						+ "Incus shifts ids on mounts here)");
			});
		}

		CheckReport withSandbox = this.json
			.readValue(expect(perform(get("/api/doctor").param("sandbox", sandbox.name())), 200), CheckReport.class);
		assertThat(withSandbox.checks()).extracting(CheckResult::name)
			.containsExactly(TestBackend.current().displayName(), "Storage pool", "Id map", "Nesting",
					"Syscall intercepts", "Sandbox IPv4", "Host firewall");
		assertThat(check(withSandbox, "Id map").detail()).contains("uid 1000 (owner of " + sandbox.project() + ")");
		assertThat(check(withSandbox, "Nesting").ok()).isTrue();
		assertThat(check(withSandbox, "Syscall intercepts").ok()).isTrue();
		assertThat(check(withSandbox, "Sandbox IPv4").detail()).isEqualTo("no IPv4 (no NIC)");
		assertThat(check(withSandbox, "Host firewall")).satisfies((c) -> {
			assertThat(c.ok()).isTrue();
			assertThat(c.detail()).contains("no NIC");
		});
		assertProblem(perform(get("/api/doctor").param("sandbox", "ops-no-such-sandbox")), 404,
				ProblemTypes.SANDBOX_NOT_FOUND, "");
	}

	// --- bad input, everywhere
	// ----------------------------------------------------------------------------------

	@Test
	void everyEndpointAnswersMissingSandboxStoppedSandboxAndBadNameWithTheirProblemTypes() throws Exception {
		String missing = "ops-missing-" + Long.toHexString(System.nanoTime());
		for (Endpoint endpoint : endpoints()) {
			assertProblem(perform(endpoint.request(missing)), 404, ProblemTypes.SANDBOX_NOT_FOUND,
					"sandbox '" + missing + "' does not exist");
			assertProblem(perform(endpoint.request("Bad_Name!")), 400, ProblemTypes.INVALID_REQUEST,
					"is not a valid sandbox name");
			if (endpoint.needsRunning()) {
				assertProblem(perform(endpoint.request(stopped.name())), 409, ProblemTypes.SANDBOX_NOT_RUNNING,
						"sandbox '" + stopped.name() + "' is stopped (not running)");
			}
		}
	}

	private List<Endpoint> endpoints() {
		String hostPath = this.hostDir.toString();
		String files = "{\"sandboxPath\":\"x\",\"hostPath\":\"" + hostPath + "\"}";
		return List.of(new Endpoint("POST", "/sync", SYNC, true), new Endpoint("POST", "/pull", files, true),
				new Endpoint("POST", "/push", files, true),
				new Endpoint("POST", "/terminal", "{\"kind\":\"SHELL\",\"pick\":false,\"tty\":true}", true),
				new Endpoint("POST", "/terminal",
						"{\"kind\":\"EXEC\",\"args\":[\"true\"],\"pick\":false,\"tty\":false}", true),
				new Endpoint("GET", "/proxies", null, false),
				new Endpoint("POST", "/proxies", "{\"containerPort\":3000}", true),
				new Endpoint("DELETE", "/proxies/3000", null, false), new Endpoint("DELETE", "/proxies", null, false),
				new Endpoint("GET", "/health", null, true), new Endpoint("POST", "/git-auth", "{}", true));
	}

	record Endpoint(String method, String suffix, String body, boolean needsRunning) {

		MockHttpServletRequestBuilder request(String sandbox) {
			String uri = "/api/sandboxes/" + sandbox + this.suffix;
			MockHttpServletRequestBuilder request = switch (this.method) {
				case "GET" -> get(uri);
				case "DELETE" -> delete(uri);
				default -> post(uri);
			};
			return (this.body != null) ? request.contentType(MediaType.APPLICATION_JSON).content(this.body) : request;
		}
	}

	// --- helpers
	// ------------------------------------------------------------------------------------------------

	private static String path(String suffix) {
		return "/api/sandboxes/" + sandbox.name() + suffix;
	}

	private CommandResult sync(boolean force, boolean dryRun) throws Exception {
		return this.json
			.readValue(
					expect(perform(post(path("/sync")).contentType(MediaType.APPLICATION_JSON)
						.content(this.json.writeValueAsString(new SyncRequest(force, dryRun)))), 200),
					CommandResult.class);
	}

	private CommandResult transfer(String endpoint, String sandboxPath, String hostPath) throws Exception {
		Map<String, String> body = new java.util.HashMap<>();
		body.put("sandboxPath", sandboxPath);
		body.put("hostPath", hostPath);
		return this.json.readValue(expect(perform(post(path(endpoint)).contentType(MediaType.APPLICATION_JSON)
			.content(this.json.writeValueAsString(body))), 200), CommandResult.class);
	}

	private TerminalCommand terminal(TerminalRequest request) throws Exception {
		return this.json.readValue(expect(perform(post(path("/terminal")).contentType(MediaType.APPLICATION_JSON)
			.content(this.json.writeValueAsString(request))), 200), TerminalCommand.class);
	}

	private CheckReport gitAuth(HostAuth auth) throws Exception {
		return this.json.readValue(expect(perform(post(path("/git-auth")).contentType(MediaType.APPLICATION_JSON)
			.content(this.json.writeValueAsString(auth))), 200), CheckReport.class);
	}

	private List<ProxyView> proxies() throws Exception {
		return List.of(this.json.readValue(expect(perform(get(path("/proxies"))), 200), ProxyView[].class));
	}

	private MockHttpServletResponse perform(MockHttpServletRequestBuilder request) throws Exception {
		return this.mvc.perform(request).andReturn().getResponse();
	}

	private static String expect(MockHttpServletResponse response, int status) throws Exception {
		String body = response.getContentAsString(StandardCharsets.UTF_8);
		assertThat(response.getStatus()).as(body).isEqualTo(status);
		return body;
	}

	private JsonNode problem(MockHttpServletResponse response) throws Exception {
		return this.json.readTree(response.getContentAsString(StandardCharsets.UTF_8));
	}

	private void assertProblem(MockHttpServletResponse response, int status, java.net.URI type, String detail)
			throws Exception {
		String body = response.getContentAsString(StandardCharsets.UTF_8);
		assertThat(response.getStatus()).as(body).isEqualTo(status);
		JsonNode problem = this.json.readTree(body);
		assertThat(problem.get("type").asString()).as(body).isEqualTo(type.toString());
		assertThat(problem.get("detail").asString()).as(body).contains(detail);
	}

	private static CheckResult check(CheckReport report, String name) {
		return report.checks().stream().filter((c) -> c.name().equals(name)).findFirst().orElseThrow();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
	}

	private static void awaitFile(Path path) {
		Await.until(path + " to exist", Duration.ofSeconds(10), Duration.ofMillis(20), () -> Files.exists(path));
	}

	record Ran(int exitCode, String output) {
	}

	/** Runs a returned argv as the client would, without a terminal. */
	static Ran run(List<String> argv) throws Exception {
		Process process = new ProcessBuilder(new ArrayList<>(argv)).redirectErrorStream(true)
			.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return new Ran(process.exitValue(), output);
	}

}
