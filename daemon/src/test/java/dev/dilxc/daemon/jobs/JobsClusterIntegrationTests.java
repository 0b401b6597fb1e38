package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.api.DaemonStatus;
import dev.dilxc.api.InitSandboxRequest;
import dev.dilxc.api.JobHistoryEntry;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.OutputLine;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.SandboxView;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.testing.Await;
import dev.dilxc.daemon.testing.CoreSandboxes;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.FakeAnthropicApi;
import dev.dilxc.daemon.testing.FakeAnthropicApi.Answer;
import dev.dilxc.daemon.testing.Lxc;
import dev.dilxc.daemon.testing.TestBackend;
import dev.dilxc.daemon.testing.TestCluster;

/**
 * The daemon in front of a real three-member cluster ({@link TestCluster}) of the current
 * back end, talking to member 1 only, as a daemon on member 1's host would: sandboxes
 * made with {@code init --target} on members 2 and 3, jobs run there with the real CLI
 * against the fake API (bridged into each sandbox by a proxy device, which connects on
 * the sandbox's member: here the same host), a member killed while a job waits for it and
 * while an agent runs in it. The worker is stepped by hand. What the cluster did is
 * checked through the members' own clients, not through the daemon.
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobsClusterIntegrationTests {

	private static final String PREFIX = System.getenv().getOrDefault("DILXC_TEST_PREFIX", "") + "jobclu-";

	private static final String API_KEY = "sk-ant-test-CLUSTER-77b1e0";

	private static final String PROJECT = "/home/ubuntu/project";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static TestCluster cluster;

	private static FakeAnthropicApi api;

	@TempDir
	static Path data;

	@TempDir
	static Path host;

	/**
	 * The project every sandbox here mounts: a path on each member's host (all share this
	 * machine's).
	 */
	private static Path project;

	/** Made by the first test on member 2, used by the later ones. */
	private static String onMember2;

	/** Made by the first test on member 3. */
	private static String onMember3;

	@Autowired
	private WebApplicationContext context;

	@Autowired
	private JobQueue queue;

	@Autowired
	private JobWorker worker;

	private MockMvc mvc;

	@BeforeAll
	static void cluster() throws Exception {
		cluster = TestCluster.up();
		// What an earlier run killed midway left.
		cluster.deleteInstances(PREFIX);
		api = FakeAnthropicApi.start();
		project = CoreSandboxes.projectDirectory(host, "project");
		onMember2 = PREFIX + "m2-" + UUID.randomUUID().toString().substring(0, 6);
		onMember3 = PREFIX + "m3-" + UUID.randomUUID().toString().substring(0, 6);
	}

	@AfterAll
	static void cleanUp() {
		try {
			if (cluster != null) {
				// A member a failed test left down would keep its instances.
				for (int n = 1; n <= cluster.members().size(); n++) {
					if (!cluster.answers(n)) {
						cluster.startMember(n);
					}
				}
				cluster.deleteInstances(PREFIX);
			}
		}
		finally {
			if (api != null) {
				api.close();
			}
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("dilxc.lxd.backend", () -> TestBackend.current().setting());
		registry.add("dilxc.lxd.executable", () -> cluster.client(1).toString());
		registry.add("dilxc.cluster.member-check-interval", () -> "1s");
		registry.add("dilxc.jobs.lxd-return-timeout", () -> "3m");
		registry.add("dilxc.sandboxes.kill-grace", () -> "2s");
	}

	@BeforeEach
	void setUp() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).build();
		api.reset();
	}

	@Test
	@Order(1)
	void initWithTargetPlacesTheSandboxOnThatMemberThroughTheDaemonsOwnMemberAndSaysWhatThatMeans() throws Exception {
		List<String> said = init(onMember2, cluster.member(2).name());
		init(onMember3, cluster.member(3).name());

		assertThat(cluster.location(onMember2)).isEqualTo(cluster.member(2).name());
		assertThat(cluster.location(onMember3)).isEqualTo(cluster.member(3).name());
		assertThat(said).contains("sandbox '" + onMember2 + "' is on cluster member " + cluster.member(2).name());
		assertThat(said).anySatisfy((line) -> assertThat(line).contains("the project mount (" + project + ")")
			.contains("are paths on " + cluster.member(2).name() + "'s host and must exist there too"));
		// The working copy came from the project through the mount on member 2.
		assertThat(cluster.run(2, "exec", onMember2, "--", "cat", PROJECT + "/README.md"))
			.isEqualTo("# demo project\n");
		SandboxView view = sandbox(onMember2);
		assertThat(view.member()).isEqualTo(cluster.member(2).name());
		assertThat(view.memberAway()).isNull();
	}

	@Test
	@Order(2)
	void initRefusesATargetTheClusterDoesNotHaveNamingItsMembersAndDoctorChecksTheCluster() throws Exception {
		String body = this.mvc
			.perform(post("/api/sandboxes").contentType(MediaType.APPLICATION_JSON)
				.content(JSON.writeValueAsString(new InitSandboxRequest(PREFIX + "nowhere", project.toString(), null,
						null, false, null, null, null, null, null, "member9"))))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(JSON.readTree(body).path("status").asInt()).isEqualTo(400);
		assertThat(JSON.readTree(body).path("detail").asString()).isEqualTo("--target member9 names no member of the "
				+ TestBackend.current().displayName() + " cluster: its members are "
				+ String.join(", ", cluster.members().stream().map(TestCluster.Member::name).toList())
				+ " (or give @GROUP for a cluster group)");
		assertThat(cluster.instances()).noneMatch((name) -> name.startsWith(PREFIX + "nowhere"));
		String names = String.join(", ", cluster.members().stream().map(TestCluster.Member::name).toList());

		JsonNode doctor = JSON
			.readTree(this.mvc.perform(get("/api/doctor")).andReturn().getResponse().getContentAsString());
		List<String> checks = new java.util.ArrayList<>();
		doctor.path("checks")
			.forEach((check) -> checks.add(check.path("name").asString() + ": " + check.path("ok").asBoolean() + " "
					+ check.path("detail").asString()));
		assertThat(checks).contains("Cluster: true ok (this daemon's " + TestBackend.current().displayName() + " is "
				+ cluster.member(1).name() + " of 3 members (" + names + "), all ONLINE)");
		assertThat(checks).anySatisfy((check) -> assertThat(check).startsWith("Golden image: true ok (dilxc-golden: "));
	}

	@Test
	@Order(3)
	void aProxyOfASandboxOnAnotherMemberSaysItListensOnThatMembersHost() throws Exception {
		String body = this.mvc
			.perform(post("/api/sandboxes/" + onMember2 + "/proxies").contentType(MediaType.APPLICATION_JSON)
				.content("{\"containerPort\": 8080, \"hostPort\": 48123, \"publicBind\": false}"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		try {
			assertThat(JSON.readTree(body).path("member").asString()).as(body).isEqualTo(cluster.member(2).name());
			assertThat(JSON.readTree(body).path("memberAddress").asString()).isEqualTo(cluster.member(2).host());
			JsonNode listed = JSON.readTree(this.mvc.perform(get("/api/sandboxes/" + onMember2 + "/proxies"))
				.andReturn()
				.getResponse()
				.getContentAsString());
			assertThat(listed.get(0).path("member").asString()).isEqualTo(cluster.member(2).name());
			assertThat(cluster.run(2, "config", "device", "get", onMember2, "proxy-tcp-48123", "listen").strip())
				.isEqualTo("tcp:127.0.0.1:48123");
		}
		finally {
			cluster.call(1, TestCluster.CALL_TIMEOUT, "config", "device", "remove", onMember2, "proxy-tcp-48123");
		}
	}

	@Test
	@Order(4)
	void aJobOnAnotherMembersSandboxIsSnapshottedRunAndStoredAndAFailureIsRestored() throws Exception {
		api.scriptBashThenFinish("echo made-on-member2 > " + PROJECT + "/created.txt", "Created the file.");
		JobView done = runToEnd(submit(onMember2, "create the file", RestorePolicy.ON_FAILURE));

		assertThat(done.state()).as(describe(done)).isEqualTo(JobState.SUCCEEDED);
		assertThat(done.member()).isEqualTo(cluster.member(2).name());
		assertThat(cluster.run(2, "exec", onMember2, "--", "cat", PROJECT + "/created.txt"))
			.isEqualTo("made-on-member2\n");
		assertThat(Lxc.snapshotsThrough(cluster.client(2).toString(), onMember2)).contains("dilxc-job-" + done.id());
		assertThat(this.queue.output(done.id(), 0, 500).lines()).extracting(OutputLine::text)
			.anySatisfy((line) -> assertThat(line).contains("\"type\":\"result\""));

		api.enqueue(Answer.bash("rm " + PROJECT + "/created.txt"));
		api.whenEmpty(Answer.httpError(500));
		JobView failed = runToEnd(submit(onMember2, "clean up", RestorePolicy.ON_FAILURE));

		assertThat(failed.state()).as(describe(failed)).isEqualTo(JobState.FAILED);
		assertThat(failed.reason()).contains("sandbox restored to dilxc-job-" + failed.id());
		assertThat(cluster.run(2, "exec", onMember2, "--", "cat", PROJECT + "/created.txt"))
			.as("the deletion was undone on member 2")
			.isEqualTo("made-on-member2\n");
		assertThat(Lxc.snapshotsThrough(cluster.client(2).toString(), onMember2)).contains("dilxc-job-" + failed.id(),
				"dilxc-job-" + failed.id() + "-failed");
	}

	@Test
	@Order(5)
	void jobsOfAMemberThatIsAwayWaitInTheQueueSayingWhyAndRunOnceItIsBack() throws Exception {
		String member3 = cluster.member(3).name();
		cluster.killMember(3);
		try {
			api.scriptBashThenFinish("echo back > " + PROJECT + "/after.txt", "Done after the member came back.");
			JobView submitted = submit(onMember3, "after the member is back", RestorePolicy.ON_FAILURE);

			// Polled until the daemon's view of the members (at most 1 s old) has it
			// away.
			JobView waiting = Await.until("job " + submitted.id() + " to say why it waits", Duration.ofSeconds(60),
					Duration.ofMillis(500), () -> {
						assertThat(this.worker.pollOnce()).as("nothing is claimed while member 3 is away").isEmpty();
						return this.queue.view(submitted.id());
					}, (job) -> job.reason() != null);
			assertThat(waiting.state()).isEqualTo(JobState.QUEUED);
			assertThat(waiting.reason()).startsWith("waiting: its cluster member " + member3)
				.endsWith("it starts once the member is back");
			assertThat(this.queue.details(submitted.id()).history()).extracting(JobHistoryEntry::event)
				.contains("WAITING");

			cluster.awaitMemberStatus(member3, "OFFLINE", Duration.ofSeconds(60));
			for (int poll = 0; poll < 3; poll++) {
				assertThat(this.worker.pollOnce()).isEmpty();
				Thread.sleep(1100);
			}
			DaemonStatus status = status();
			assertThat(status.cluster()).isNotNull();
			assertThat(status.cluster().member()).isEqualTo(cluster.member(1).name());
			assertThat(status.cluster().members()).filteredOn((m) -> m.name().equals(member3))
				.singleElement()
				.satisfies((m) -> {
					assertThat(m.status()).isEqualTo("OFFLINE");
					assertThat(m.queuedJobs()).isEqualTo(1);
					assertThat(m.address()).isEqualTo(cluster.member(3).host());
				});
			assertThat(status.warnings())
				.anySatisfy((warning) -> assertThat(warning).startsWith("cluster member " + member3 + " is OFFLINE")
					.contains(onMember3)
					.contains("1 queued job(s) wait for them"));
			assertThat(sandbox(onMember3).memberAway()).startsWith(member3 + " is OFFLINE");
			JobView stillWaiting = this.queue.view(submitted.id());
			assertThat(stillWaiting.state()).as("not failed, not claimed").isEqualTo(JobState.QUEUED);
			assertThat(stillWaiting.snapshot()).isNull();
			assertThat(this.queue.details(submitted.id()).history()).extracting(JobHistoryEntry::event)
				.as("nothing was done to the sandbox")
				.doesNotContain("SNAPSHOT", "RESTORE");

			cluster.startMember(3);
			cluster.awaitMemberStatus(member3, "ONLINE", Duration.ofSeconds(90));
			CompletableFuture<JobState> outcome = Await
				.until("job " + submitted.id() + " to be claimed", Duration.ofSeconds(60), Duration.ofMillis(500),
						this.worker::pollOnce, (started) -> !started.isEmpty())
				.get(0);

			assertThat(outcome.get(5, TimeUnit.MINUTES)).as(describe(this.queue.view(submitted.id())))
				.isEqualTo(JobState.SUCCEEDED);
			JobView ran = this.queue.view(submitted.id());
			assertThat(ran.reason()).isEqualTo("the agent finished: success");
			assertThat(ran.member()).isEqualTo(member3);
			assertThat(this.queue.details(submitted.id()).history()).extracting(JobHistoryEntry::event)
				.containsSubsequence("WAITING", "WAIT_OVER");
			assertThat(cluster.run(3, "exec", onMember3, "--", "cat", PROJECT + "/after.txt")).isEqualTo("back\n");
		}
		finally {
			if (!cluster.answers(3)) {
				cluster.startMember(3);
			}
		}
	}

	@Test
	@Order(6)
	void anAgentWhoseMemberDiesIsCutLooseAndTheJobEndsInterruptedAndRestoredOnceTheMemberIsBack() throws Exception {
		String member3 = cluster.member(3).name();
		api.enqueue(Answer.bash("echo half-done > " + PROJECT + "/half.txt"));
		api.whenEmpty(Answer.hang());
		JobView submitted = submit(onMember3, "hang on member 3", RestorePolicy.ON_FAILURE);
		List<CompletableFuture<JobState>> started = this.worker.pollOnce();
		assertThat(started).hasSize(1);
		assertThat(api.awaitMainTurns(2, Duration.ofSeconds(90))).as("the agent ran its tool and asked again").isTrue();

		cluster.killMember(3);
		try {
			// The exec's client never returns once its member died: the daemon must see
			// the member go and end the client itself.
			Await.until("job " + submitted.id() + " to notice its member went away", Duration.ofSeconds(60),
					Duration.ofMillis(500), () -> this.queue.details(submitted.id()).history(),
					(history) -> history.stream().anyMatch((entry) -> entry.event().equals("LXD_AWAY")));
			Await.until("the job's exec client to be ended", Duration.ofSeconds(30), Duration.ofMillis(500),
					() -> execClientsOf(onMember3), List::isEmpty);
			assertThat(this.queue.view(submitted.id()).state()).as("it waits for the member, bounded")
				.isEqualTo(JobState.RUNNING);
		}
		finally {
			cluster.startMember(3);
		}

		assertThat(started.get(0).get(5, TimeUnit.MINUTES)).isEqualTo(JobState.INTERRUPTED);
		JobView job = this.queue.view(submitted.id());
		assertThat(job.reason())
			.contains("the sandbox went out of reach while the agent ran: its cluster member " + member3)
			.contains("the agent was not re-run")
			.contains("sandbox restored to dilxc-job-" + job.id());
		assertThat(this.queue.details(job.id()).history()).extracting(JobHistoryEntry::event)
			.containsSubsequence("LXD_AWAY", "LXD_BACK");
		assertThat(
				cluster.call(3, TestCluster.CALL_TIMEOUT, "exec", onMember3, "--", "test", "-e", PROJECT + "/half.txt")
					.exitCode())
			.as("the agent's half-done work was rolled back")
			.isEqualTo(1);
		// pgrep -c prints 0 and exits 1 when nothing matches.
		assertThat(cluster.call(3, TestCluster.CALL_TIMEOUT, "exec", onMember3, "--", "pgrep", "-c", "-f", "claude")
			.stdout()
			.strip()).as("no agent process left in the sandbox").isEqualTo("0");
	}

	// --- helpers

	/**
	 * Inits a sandbox through the daemon's API on {@code target}, as the client does,
	 * then wires it to the fake API ({@link TestCluster#wireToFakeApi}). Returns what the
	 * operation said.
	 */
	private List<String> init(String name, String target) throws Exception {
		InitSandboxRequest request = new InitSandboxRequest(name, project.toString(), null, null, false, null, null,
				null, null, null, target);
		String body = this.mvc
			.perform(post("/api/sandboxes").contentType(MediaType.APPLICATION_JSON)
				.content(JSON.writeValueAsString(request)))
			.andReturn()
			.getResponse()
			.getContentAsString();
		long operation = JSON.readTree(body).path("id").asLong(-1);
		assertThat(operation).as("init answered an operation: " + body).isPositive();
		JsonNode events = Await.until("init of " + name + " to end", Duration.ofMinutes(5), Duration.ofMillis(500),
				() -> operationEvents(operation),
				(answer) -> !answer.path("operation").path("state").asString("").equals("RUNNING"));
		List<String> said = new java.util.ArrayList<>();
		events.path("events").forEach((event) -> said.add(event.path("text").asString("")));
		assertThat(events.path("operation").path("state").asString()).as(String.join("\n", said))
			.isEqualTo("SUCCEEDED");
		cluster.wireToFakeApi(name, api, API_KEY);
		return said;
	}

	private JsonNode operationEvents(long operation) {
		try {
			return JSON.readTree(this.mvc.perform(get("/api/operations/" + operation + "/events"))
				.andReturn()
				.getResponse()
				.getContentAsString());
		}
		catch (Exception ex) {
			throw new AssertionError("could not read operation " + operation, ex);
		}
	}

	private SandboxView sandbox(String name) throws Exception {
		return JSON.readValue(
				this.mvc.perform(get("/api/sandboxes/" + name)).andReturn().getResponse().getContentAsString(),
				SandboxView.class);
	}

	private DaemonStatus status() throws Exception {
		return JSON.readValue(
				this.mvc.perform(get("/api/system/status")).andReturn().getResponse().getContentAsString(),
				DaemonStatus.class);
	}

	private JobView submit(String sandbox, String prompt, RestorePolicy policy) {
		return this.queue.submit(new SubmitJobRequest(prompt, sandbox, policy, 300L));
	}

	private JobView runToEnd(JobView submitted) throws Exception {
		List<CompletableFuture<JobState>> started = this.worker.pollOnce();
		assertThat(started).as("one job claimed").hasSize(1);
		started.get(0).get(5, TimeUnit.MINUTES);
		return this.queue.view(submitted.id());
	}

	/**
	 * The host's {@code lxc exec} (or {@code incus exec}) client processes for the
	 * instance; not the member's own {@code forkexec}, which runs the command in the
	 * container and outlives a killed member daemon.
	 */
	private static List<String> execClientsOf(String instance) {
		try {
			Process pgrep = new ProcessBuilder("pgrep", "-af",
					TestBackend.current().client() + " exec " + instance + " ")
				.redirectErrorStream(true)
				.start();
			String out = new String(pgrep.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			pgrep.waitFor(10, TimeUnit.SECONDS);
			return out.lines().filter((line) -> !line.contains("pgrep")).toList();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	private String describe(JobView job) {
		return "job " + job.id() + " " + job.state() + ": " + job.reason() + "\n" + String.join("\n",
				this.queue.output(job.id(), 0, 200).lines().stream().map(OutputLine::text).toList());
	}

}
