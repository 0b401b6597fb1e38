package dev.dilxc.daemon.sandboxes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import dev.dilxc.api.AgentCredentials;
import dev.dilxc.api.InitSandboxRequest;
import dev.dilxc.api.OperationEvent;
import dev.dilxc.api.OperationState;
import dev.dilxc.api.OperationView;
import dev.dilxc.api.ProblemTypes;
import dev.dilxc.api.SandboxView;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.lxd.Lxd;
import dev.dilxc.daemon.testing.TestBackend;
import dev.dilxc.daemon.testing.Await;
import dev.dilxc.daemon.testing.CoreSandboxes;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.Lxc;
import dev.dilxc.daemon.testing.TestSandbox;

/**
 * init on real LXD: from nothing, re-run (converge), and every bad input refused before
 * anything is made.
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK)
class SandboxInitIntegrationTests {

	private static final String API_KEY = "sk-ant-init-SECRET-7c1e55aa90";

	private static final String IMAGE = CoreSandboxes.image();

	@TempDir
	static Path data;

	@TempDir
	Path host;

	@Autowired
	private WebApplicationContext context;

	@Autowired
	private SandboxInit init;

	@Autowired
	private Operations operations;

	@Autowired
	private SandboxCatalog catalog;

	@Autowired
	private Lxd lxd;

	@Autowired
	private SandboxesProperties properties;

	@Autowired
	private OperationExec exec;

	@Autowired
	private dev.dilxc.daemon.leases.SandboxLeases leases;

	@Autowired
	private AuthDevices auth;

	private MockMvc mvc;

	private String name;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("dilxc.sandboxes.default-image", () -> IMAGE);
	}

	@BeforeAll
	static void lxd() {
		TestSandbox.requireLxd();
	}

	@BeforeEach
	void setUp() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).build();
		this.name = CoreSandboxes.name("init");
	}

	@AfterEach
	void removeSandbox() {
		CoreSandboxes.delete(this.name);
	}

	@Test
	void initFromNothingMakesAReadyManagedSandboxWithReadOnlyProjectGitWorkingCopyBaselineAndPrivateCredentials()
			throws Exception {
		Path project = CoreSandboxes.projectDirectory(this.host, "project");

		long started = System.nanoTime();
		OperationView operation = this.init.start(request(project, null, API_KEY, null));
		Operation done = awaitEnd(operation.id());
		long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
		System.out.println("init from nothing (image " + IMAGE + ") took " + millis + " ms");

		List<OperationEvent> events = done.eventsAfter(0);
		assertThat(done.view().state()).as(describe(done)).isEqualTo(OperationState.SUCCEEDED);
		assertThat(events).filteredOn((e) -> e.kind().equals("step"))
			.extracting(OperationEvent::step)
			.containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
		assertThat(events).filteredOn((e) -> e.kind().equals("step"))
			.allSatisfy((e) -> assertThat(e.steps()).isEqualTo(8));
		assertThat(events).extracting(OperationEvent::text).noneMatch((text) -> text.contains(API_KEY));
		if (IMAGE.equals("dilxc-golden")) {
			// The golden image carries this very provision script: init only configures,
			// installs nothing.
			assertThat(events).filteredOn((e) -> Integer.valueOf(4).equals(e.step()))
				.singleElement()
				.satisfies((e) -> assertThat(e.text()).contains("configuring only"));
		}

		// The project is readable by the sandbox user, and read-only even for root.
		assertThat(asUbuntu("cat", SandboxInit.SOURCE + "/README.md").stdout()).isEqualTo("# demo project\n");
		assertThat(asUbuntu("touch", SandboxInit.SOURCE + "/written-by-ubuntu").exitCode()).isNotZero();
		assertThat(Lxc.run("exec", this.name, "--", "touch", SandboxInit.SOURCE + "/written-by-root").exitCode())
			.isNotZero();
		assertThat(project.resolve("written-by-ubuntu")).doesNotExist();
		assertThat(project.resolve("written-by-root")).doesNotExist();

		// The working copy: the project's files owned by ubuntu, without the excluded
		// dirs, a git repo with one commit.
		assertThat(Lxc.exec(this.name, "cat", "/home/ubuntu/project/src/app.js")).isEqualTo("console.log('hi')\n");
		assertThat(Lxc.exec(this.name, "stat", "-c", "%u:%g", "/home/ubuntu/project", "/home/ubuntu/project/README.md"))
			.isEqualTo("1000:1000\n1000:1000\n");
		assertThat(Lxc.run("exec", this.name, "--", "test", "-e", "/home/ubuntu/project/node_modules").exitCode())
			.isNotZero();
		assertThat(asUbuntu("git", "-C", "/home/ubuntu/project", "rev-list", "--count", "HEAD").stdout().strip())
			.isEqualTo("1");
		assertThat(asUbuntu("git", "-C", "/home/ubuntu/project", "status", "--porcelain").stdout()).isEmpty();

		assertThat(Lxc.snapshots(this.name)).contains(SandboxInit.BASELINE);

		// Credentials: 0600, owned by ubuntu, holding the key; in no LXD config and no
		// event.
		String env = this.properties.agentEnvFile();
		assertThat(Lxc.exec(this.name, "stat", "-c", "%a %u:%g", env)).isEqualTo("600 1000:1000\n");
		assertThat(Lxc.exec(this.name, "cat", env)).contains("ANTHROPIC_API_KEY=" + API_KEY + "\n");
		assertThat(Lxc.run("config", "show", this.name, "--expanded").orFail("config show").stdout())
			.doesNotContain(API_KEY);
		assertThat(Lxc.run("query", "/1.0/instances/" + this.name + "?recursion=1").stdout()).doesNotContain(API_KEY);

		SandboxView view = this.catalog.describe(this.name);
		assertThat(view.managed()).isTrue();
		assertThat(view.status()).isEqualTo("RUNNING");
		assertThat(view.projectSource()).isEqualTo(project.toString());
		assertThat(view.deployPath()).isNull();
		assertThat(view.image()).isEqualTo(IMAGE);
		assertThat(view.snapshots()).extracting((s) -> s.name()).contains(SandboxInit.BASELINE);
		assertThat(Lxc.run("config", "get", this.name, "security.nesting").stdout().strip()).isEqualTo("true");
		if (!this.lxd.server().idmappedMounts()) {
			assertThat(Lxc.run("config", "get", this.name, "raw.idmap").stdout().strip()).isEqualTo("both 1000 1000");
		}
	}

	@Test
	void initReRunConvergesKeepsTheBaselineRemovesAnOmittedDeployMountAndDropsAStaleCustomScript() throws Exception {
		Path project = CoreSandboxes.projectDirectory(this.host, "project");
		Path deploy = Files.createDirectories(this.host.resolve("deploy"));
		CoreSandboxes.chown(deploy);
		String custom = "#!/bin/sh\nset -e\necho custom-ran > /root/custom-marker\necho custom script says hello\n";
		Operation first = awaitEnd(this.init.start(request(project, deploy, "sk-ant-first-key-000000", custom)).id());
		assertThat(first.view().state()).as(describe(first)).isEqualTo(OperationState.SUCCEEDED);
		assertThat(first.eventsAfter(0)).extracting(OperationEvent::text).contains("custom script says hello");
		assertThat(Lxc.exec(this.name, "cat", "/root/custom-marker")).isEqualTo("custom-ran\n");
		assertThat(asUbuntu("touch", SandboxInit.DEPLOY + "/from-sandbox").exitCode()).isZero();
		assertThat(deploy.resolve("from-sandbox")).exists();
		Instant baselineTaken = baselineCreatedAt();
		String env = this.properties.agentEnvFile();
		Lxc.runWithInput("EXTRA_SETTING=kept\n".getBytes(StandardCharsets.UTF_8), "exec", this.name, "--", "sh", "-c",
				"cat >> \"$1\"", "append", env)
			.orFail("append to agent.env");
		Lxc.exec(this.name, "rm", "/root/custom-marker");
		Lxc.run("stop", this.name, "--force").orFail("stop");

		Operation again = awaitEnd(this.init.start(request(project, null, API_KEY, null)).id());

		assertThat(again.view().state()).as(describe(again)).isEqualTo(OperationState.SUCCEEDED);
		List<OperationEvent> events = again.eventsAfter(0);
		assertThat(events).extracting(OperationEvent::text)
			.anySatisfy((t) -> assertThat(t).contains("exists: converging"));
		assertThat(events).extracting(OperationEvent::text).anySatisfy((t) -> assertThat(t).contains("starting it"));
		assertThat(events).filteredOn((e) -> e.kind().equals("warning"))
			.extracting(OperationEvent::text)
			.anySatisfy((t) -> assertThat(t).contains("removed the deploy mount", deploy.toString()));
		assertThat(events).extracting(OperationEvent::text)
			.anySatisfy((t) -> assertThat(t).contains("kept the one an earlier init took"));
		assertThat(this.catalog.describe(this.name).status()).isEqualTo("RUNNING");
		assertThat(Lxc.run("config", "device", "get", this.name, "deploy", "source").exitCode()).isNotZero();
		assertThat(this.catalog.describe(this.name).deployPath()).isNull();
		assertThat(baselineCreatedAt()).isEqualTo(baselineTaken);
		assertThat(Lxc.run("exec", this.name, "--", "test", "-e", "/root/custom-marker").exitCode())
			.as("a custom script of an earlier init must not run again")
			.isNotZero();
		String agentEnv = Lxc.exec(this.name, "cat", env);
		assertThat(agentEnv).contains("EXTRA_SETTING=kept", "ANTHROPIC_API_KEY=" + API_KEY)
			.doesNotContain("sk-ant-first-key");
		assertThat(asUbuntu("git", "-C", "/home/ubuntu/project", "rev-list", "--count", "HEAD").stdout().strip())
			.isEqualTo("1");
	}

	@Test
	void initWhenTheCustomProvisionScriptFailsFailsWithItsLastLinesAndKeepsTheSandbox() throws Exception {
		Path project = CoreSandboxes.projectDirectory(this.host, "project");
		String custom = "#!/bin/sh\necho installing mytool\necho 'E: mytool not found' >&2\nexit 3\n";

		Operation done = awaitEnd(this.init.start(request(project, null, null, custom)).id());

		assertThat(done.view().state()).isEqualTo(OperationState.FAILED);
		assertThat(done.view().error()).contains("provisioning failed", "E: mytool not found", "Fix:",
				"running init again converges");
		assertThat(CoreSandboxes.exists(this.name)).as("the sandbox is kept for a re-run").isTrue();
	}

	@Test
	void badInputsAreRefusedWith400BeforeAnyInstanceExists() throws Exception {
		Path project = CoreSandboxes.projectDirectory(this.host, "project");
		Map<String, Function<String, String>> cases = Map.of("relative project path",
				(n) -> body(n, "relative/project", null, null), "missing project dir",
				(n) -> body(n, this.host.resolve("nope").toString(), null, null), "bad name",
				(n) -> body("-Bad_Name", project.toString(), null, null), "missing image",
				(n) -> body(n, project.toString(), "no-such-image-core", null), "cpu above host cores",
				(n) -> body(n, project.toString(), null, "\"cpu\": 4096"), "bad memory",
				(n) -> body(n, project.toString(), null, "\"memory\": \"lots\""), "relative deploy path",
				(n) -> body(n, project.toString(), null, "\"deployPath\": \"deploy\""));
		Map<String, String> details = new java.util.TreeMap<>();
		for (var entry : cases.entrySet()) {
			String detail = this.mvc
				.perform(post("/api/sandboxes").contentType(MediaType.APPLICATION_JSON)
					.content(entry.getValue().apply(this.name)))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.type").value(ProblemTypes.INVALID_REQUEST.toString()))
				.andReturn()
				.getResponse()
				.getContentAsString(StandardCharsets.UTF_8);
			details.put(entry.getKey(), detail);
			assertThat(CoreSandboxes.exists(this.name)).as(entry.getKey() + " made an instance").isFalse();
		}
		assertThat(details.get("relative project path")).contains("is relative", "absolute");
		assertThat(details.get("missing project dir")).contains("does not exist");
		assertThat(details.get("bad name")).contains("not a valid sandbox name");
		assertThat(details.get("missing image")).contains("no-such-image-core",
				TestBackend.current().client() + " image list");
		assertThat(details.get("cpu above host cores")).contains("core(s)");
		assertThat(details.get("bad memory")).contains("8GiB");
		assertThat(details.get("relative deploy path")).contains("deploy path", "relative");
	}

	@Test
	void missingStoragePoolMissingGoldenImageAndMissingSubuidLineAreRefusedBeforeAnyInstanceExists() throws Exception {
		Path project = CoreSandboxes.projectDirectory(this.host, "project");
		Path subuid = Files.writeString(this.host.resolve("subuid"), "root:100000:65536\n");
		InitSandboxRequest request = request(project, null, null, null);

		assertThatThrownBy(() -> initWith(Map.of("dilxc.sandboxes.storage-pool", "no-such-pool-core")).check(request))
			.isInstanceOf(SandboxException.BadRequest.class)
			.hasMessageContaining("no storage pool 'no-such-pool-core'")
			.hasMessageContaining(TestBackend.current().client() + " storage create");
		InitSandboxRequest golden = new InitSandboxRequest(this.name, project.toString(), null, null, false, null, null,
				null, null, null);
		assertThatThrownBy(
				() -> initWith(Map.of("dilxc.sandboxes.default-image", "dilxc-golden-missing-core")).check(golden))
			.isInstanceOf(SandboxException.BadRequest.class)
			.hasMessageContaining("dilxc-golden-missing-core");
		if (!this.lxd.server().idmappedMounts()) {
			assertThatThrownBy(() -> initWith(Map.of("dilxc.sandboxes.subuid-file", subuid.toString())).check(request))
				.isInstanceOf(SandboxException.BadRequest.class)
				.hasMessageContaining("root:1000:1")
				.hasMessageContaining(subuid.toString())
				.hasMessageContaining("then restart LXD");
		}
		assertThat(CoreSandboxes.exists(this.name)).isFalse();
	}

	@Test
	void aClusterTargetOnAServerThatIsNotClusteredIsRefusedBeforeAnyInstanceExists() throws Exception {
		Path project = CoreSandboxes.projectDirectory(this.host, "project");
		InitSandboxRequest request = new InitSandboxRequest(this.name, project.toString(), null, null, false, null,
				null, null, null, null, "member2");

		assertThatThrownBy(() -> initWith(Map.of()).check(request)).isInstanceOf(SandboxException.BadRequest.class)
			.hasMessageStartingWith(
					"--target member2 places a sandbox on a member of an " + TestBackend.current().displayName()
							+ " cluster, but the daemon's " + TestBackend.current().displayName())
			.hasMessageEndingWith("is not clustered: leave --target out");
		assertThat(CoreSandboxes.exists(this.name)).isFalse();
	}

	@Test
	void operationEventsEndpointFollowsAnInitByAfterAndAnswers404ForAnUnknownOperation() throws Exception {
		Path project = CoreSandboxes.projectDirectory(this.host, "project");
		String location = this.mvc
			.perform(post("/api/sandboxes").contentType(MediaType.APPLICATION_JSON)
				.content(body(this.name, project.toString(), null, null)))
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.kind").value("init"))
			.andExpect(jsonPath("$.sandbox").value(this.name))
			.andExpect(jsonPath("$.state").value("RUNNING"))
			.andExpect(header().exists("Location"))
			.andReturn()
			.getResponse()
			.getHeader("Location");
		long id = Long.parseLong(location.replaceAll("\\D+", " ").strip().split(" ")[0]);

		this.mvc
			.perform(post("/api/sandboxes").contentType(MediaType.APPLICATION_JSON)
				.content(body(this.name, project.toString(), null, null)))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value(ProblemTypes.SANDBOX_BUSY.toString()));
		awaitEnd(id);

		this.mvc.perform(get(location).param("after", "0"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.operation.id").value(id))
			.andExpect(jsonPath("$.operation.state").value("SUCCEEDED"))
			.andExpect(jsonPath("$.events[0].seq").value(1))
			.andExpect(jsonPath("$.events[0].kind").value("step"))
			.andExpect(jsonPath("$.events[0].step").value(1))
			.andExpect(jsonPath("$.events[0].steps").value(8));
		long total = this.operations.find(id).orElseThrow().eventsAfter(0).size();
		this.mvc.perform(get(location).param("after", Long.toString(total - 1)))
			.andExpect(jsonPath("$.events.length()").value(1))
			.andExpect(jsonPath("$.events[0].seq").value(total));
		this.mvc.perform(get("/api/operations/987654/events"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value(ProblemTypes.NOT_FOUND.toString()))
			.andExpect(jsonPath("$.detail").value(Matchers.containsString("no operation 987654")));
	}

	private SandboxInit initWith(Map<String, String> overrides) {
		Map<String, String> values = new java.util.HashMap<>(overrides);
		values.putIfAbsent("dilxc.sandboxes.default-image", IMAGE);
		return new SandboxInit(this.lxd, OperationsTests.properties(values), this.operations, this.exec, this.auth,
				this.leases);
	}

	private InitSandboxRequest request(Path project, Path deploy, String apiKey, String customScript) {
		return new InitSandboxRequest(this.name, project.toString(), (deploy != null) ? deploy.toString() : null, IMAGE,
				false, null, null, (apiKey != null) ? new AgentCredentials(apiKey, null) : null, customScript, null);
	}

	private static String body(String name, String projectPath, String image, String extra) {
		return "{\"name\": \"" + name + "\", \"fish\": false, \"projectPath\": \"" + projectPath + "\""
				+ ((image != null) ? ", \"image\": \"" + image + "\"" : "") + ((extra != null) ? ", " + extra : "")
				+ "}";
	}

	private Lxc.Result asUbuntu(String... command) {
		List<String> args = new java.util.ArrayList<>(List.of("exec", this.name, "--user", "1000", "--group", "1000",
				"--cwd", "/home/ubuntu", "--env", "HOME=/home/ubuntu", "--"));
		args.addAll(List.of(command));
		return Lxc.run(args.toArray(String[]::new));
	}

	private Instant baselineCreatedAt() {
		return this.lxd.listSnapshots(new dev.dilxc.daemon.lxd.InstanceName(this.name))
			.stream()
			.filter((s) -> s.name().equals(SandboxInit.BASELINE))
			.findFirst()
			.orElseThrow()
			.createdAt();
	}

	private Operation awaitEnd(long id) {
		Operation operation = this.operations.find(id).orElseThrow();
		Await.until("operation " + id + " to end and free its sandbox", Duration.ofMinutes(10), Duration.ofMillis(100),
				operation::view, (view) -> view.state().isTerminal() && !this.operations.isBusy(view.sandbox()));
		return operation;
	}

	private static String describe(Operation operation) {
		return operation.view() + "\n" + operation.eventsAfter(0)
			.stream()
			.map((e) -> e.kind() + (e.step() != null ? " [" + e.step() + "/" + e.steps() + "]" : "") + " " + e.text())
			.collect(Collectors.joining("\n"));
	}

}
