package dev.dilxc.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.daemon.UnixSocketHttpClient;
import dev.dilxc.client.e2e.ClientProcess.Run;
import dev.dilxc.daemon.testing.Await;
import dev.dilxc.daemon.testing.CoreSandboxes;
import dev.dilxc.daemon.testing.FakeAnthropicApi;
import dev.dilxc.daemon.testing.TestBackend;
import dev.dilxc.daemon.testing.TestCluster;
import dev.dilxc.daemon.testing.TestStore;

/**
 * Several daemons in front of an LXD or Incus cluster (issue 15), end to end: two
 * packaged daemons, each its own JVM, one whose LXD is member 1 of a real three-member
 * cluster ({@link TestCluster}, the run's back end) and one whose LXD is member 3, as a
 * daemon on each of those members' hosts would be, sharing one fresh database of the test
 * PostgreSQL server; sandboxes made on each of the three members with the real client's
 * {@code init --target}, jobs in them run by the real Claude Code CLI, which only talks
 * to a fake API (one per sandbox, on loopback). The daemons are started once for the
 * class; the tests run in order on the same sandboxes. Nothing here stops a member: the
 * cluster is shared with the tests of member faults.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedStoreClusterIntegrationTests {

	private static final String PREFIX = System.getenv().getOrDefault("DILXC_TEST_PREFIX", "") + "ssclu-";

	private static final String API_KEY = "sk-ant-ssclu-0123456789";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * {@code dilxc.cluster.local-claim-grace}: how long a daemon leaves a job of the
	 * other daemon's member to it. The grace counts from the job's submission, and a
	 * sandbox's later jobs wait for its earlier ones, so it is far longer than the whole
	 * test: the other daemon never takes such a job, and which daemon runs it does not
	 * depend on timing.
	 */
	private static final Duration LOCAL_CLAIM_GRACE = Duration.ofMinutes(30);

	private static final int JOBS_PER_SANDBOX = 3;

	/** The members the daemons' LXDs are, by daemon name. */
	private static final Map<String, Integer> DAEMON_MEMBERS = Map.of("d1", 1, "d3", 3);

	@TempDir
	static Path home;

	private static TestCluster cluster;

	private static String database;

	/** The two daemons by their {@code dilxc.cluster.daemon-name}. */
	private static final Map<String, DaemonProcess> daemons = new LinkedHashMap<>();

	/** Sandbox {@code n-1} lives on member {@code n}. */
	private static final List<String> sandboxes = new ArrayList<>();

	/** The fake API of sandbox {@code n-1}: its agents talk to no other. */
	private static final List<FakeAnthropicApi> apis = new ArrayList<>();

	/** The prompts submitted to each sandbox, in submission order. */
	private static final Map<String, List<String>> prompts = new LinkedHashMap<>();

	@BeforeAll
	static void twoDaemonsOnMembersOneAndThreeSharingOneDatabase() throws Exception {
		cluster = TestCluster.up();
		// What an earlier run killed midway left.
		cluster.deleteInstances(PREFIX);
		for (int n = 1; n <= 3; n++) {
			// The first instance on a member unpacks the image: not the test's time.
			cluster.warm(n);
			sandboxes.add(PREFIX + "m" + n + "-" + UUID.randomUUID().toString().substring(0, 6));
			apis.add(FakeAnthropicApi.start());
		}
		database = TestStore.newDatabase();
		for (String name : List.of("d1", "d3")) {
			daemons.put(name, new DaemonProcess(Files.createDirectories(home.resolve(name)),
					arguments(name, DAEMON_MEMBERS.get(name))));
		}
		DaemonProcess.startTogether(daemons.values());
	}

	@AfterAll
	static void cleanUp() throws Exception {
		try {
			for (DaemonProcess daemon : daemons.values()) {
				daemon.close();
			}
		}
		finally {
			try {
				if (cluster != null) {
					cluster.deleteInstances(PREFIX);
				}
			}
			finally {
				try {
					dropDatabase();
				}
				finally {
					apis.forEach(FakeAnthropicApi::close);
				}
			}
		}
	}

	@Test
	@Order(1)
	void initWithTargetThroughEitherDaemonPlacesASandboxOnEachMemberAndSaysWhereItIs() throws Exception {
		// Each daemon places one on the other's member; member 2 has no daemon.
		List<String> through = List.of("d3", "d1", "d1");
		for (int n = 1; n <= 3; n++) {
			String name = sandboxes.get(n - 1);
			String member = cluster.member(n).name();
			String daemon = through.get(n - 1);
			Path project = CoreSandboxes.projectDirectory(home.resolve("projects"), "project" + n);

			Run init = client(daemon).run("init", "-p", project.toString(), "-n", name, "--target", member);

			assertThat(init.exitCode()).as("init of %s through %s:%n%s%s", name, daemon, init.out(), init.err())
				.isZero();
			assertThat(init.out()).contains("sandbox '" + name + "' is on cluster member " + member);
			assertThat(init.out() + init.err()).as("what init through %s says of a sandbox on %s", daemon, member)
				.contains("cluster member " + member + " is not " + cluster.member(DAEMON_MEMBERS.get(daemon)).name())
				.contains("the project mount (" + project + ")");
			assertThat(cluster.location(name)).as("where %s lives", name).isEqualTo(member);
			assertThat(Files.readString(project.resolve(".dilxc")).strip()).isEqualTo(name);
			cluster.wireToFakeApi(name, apis.get(n - 1), API_KEY);
		}
	}

	@Test
	@Order(2)
	void jobsThroughBothDaemonsAllSucceedOnTheirSandboxesMembersAndEachDaemonRunsThoseOfItsOwnMember()
			throws Exception {
		// Round by round, one job per sandbox, through the two daemons in turn: every
		// daemon takes submissions for every member's sandboxes.
		List<String> names = List.copyOf(daemons.keySet());
		Map<Long, String> sandboxOf = new LinkedHashMap<>();
		int submitted = 0;
		for (int round = 0; round < JOBS_PER_SANDBOX; round++) {
			for (String sandbox : sandboxes) {
				String prompt = "job " + round + " in " + sandbox;
				Run submit = client(names.get(submitted++ % names.size())).run("submit", "--sandbox", sandbox, "--",
						prompt);
				assertThat(submit.exitCode()).as(submit.err()).isZero();
				sandboxOf.put(Long.parseLong(submit.out().strip()), sandbox);
				prompts.computeIfAbsent(sandbox, (key) -> new ArrayList<>()).add(prompt);
			}
		}
		List<Long> ids = List.copyOf(sandboxOf.keySet());
		Await.until("the " + ids.size() + " jobs to end", Duration.ofMinutes(10), Duration.ofSeconds(1),
				() -> api(daemons.get("d1")).jobs(null, null, 1000)
					.stream()
					.filter((job) -> ids.contains(job.id()))
					.toList(),
				(jobs) -> jobs.size() == ids.size() && jobs.stream().allMatch((job) -> job.state().isTerminal()));

		// What the client says of them, through the other daemon.
		Run list = client("d3").run("jobs", "--all", "--limit", "100", "--json");
		assertThat(list.exitCode()).as(list.err()).isZero();
		Map<Long, JsonNode> listed = new LinkedHashMap<>();
		JSON.readTree(list.out()).forEach((job) -> listed.put(job.get("id").asLong(), job));
		assertThat(listed.keySet()).containsAll(ids);
		Map<String, Map<String, List<Long>>> ranOn = new LinkedHashMap<>();
		for (long id : ids) {
			JsonNode job = listed.get(id);
			String sandbox = sandboxOf.get(id);
			String member = cluster.member(sandboxes.indexOf(sandbox) + 1).name();
			assertThat(job.get("sandbox").asString()).isEqualTo(sandbox);
			assertThat(job.get("state").asString()).as("job %d: %s", id, job.path("reason").asString())
				.isEqualTo("SUCCEEDED");
			assertThat(job.get("member").asString()).as("the member job %d ran on", id).isEqualTo(member);
			String daemon = name(job.get("daemon").asString());
			ranOn.computeIfAbsent(member, (key) -> new LinkedHashMap<>())
				.computeIfAbsent(daemon, (key) -> new ArrayList<>())
				.add(id);
		}
		System.out.println("jobs by member, then by the daemon that ran them: " + ranOn);

		// Each sandbox's agents reached that sandbox's API (through a proxy device on its
		// member), in submission order.
		for (int n = 1; n <= 3; n++) {
			String sandbox = sandboxes.get(n - 1);
			assertThat(apis.get(n - 1).receivedPrompts().stream().distinct().toList())
				.as("the prompts the agents in %s sent", sandbox)
				.containsExactlyElementsOf(prompts.get(sandbox));
		}

		// A member with a daemon of its own has its jobs run there; member 2's went to
		// either.
		assertThat(ranOn.get(cluster.member(1).name())).as("who ran member 1's jobs").containsOnlyKeys("d1");
		assertThat(ranOn.get(cluster.member(3).name())).as("who ran member 3's jobs").containsOnlyKeys("d3");

		// The user's table: which daemon ran each job, and on which member.
		Run table = client("d1").withEnv("COLUMNS", "250").run("jobs", "--all", "--limit", "100");
		assertThat(table.exitCode()).as(table.err()).isZero();
		assertThat(table.out().lines().findFirst().orElseThrow())
			.containsPattern("^ *ID +SANDBOX +STATE +TRIGGER +DAEMON +MEMBER +STARTED ");
		for (long id : ids) {
			JsonNode job = listed.get(id);
			assertThat(table.out()).containsPattern("(?m)^ *" + id + " +" + Pattern.quote(sandboxOf.get(id))
					+ " +SUCCEEDED +manual +" + name(job.get("daemon").asString()) + " +"
					+ Pattern.quote(job.get("member").asString()) + " ");
		}
		long last = ids.getLast();
		Run one = client("d1").run("job", Long.toString(last));
		assertThat(one.exitCode()).as(one.err()).isZero();
		assertThat(one.out())
			.containsPattern("(?m)^member: +" + Pattern.quote(listed.get(last).get("member").asString()) + "$");
	}

	@Test
	@Order(3)
	void statusThroughEitherDaemonShowsTheThreeMembersOnlineAndContainersTheMemberOfEachSandbox() throws Exception {
		String onMember2 = sandboxes.get(1);
		for (Map.Entry<String, Integer> daemon : DAEMON_MEMBERS.entrySet()) {
			ClientProcess client = client(daemon.getKey()).withEnv("COLUMNS", "250");

			Run status = client.run("@" + onMember2, "status");

			assertThat(status.exitCode()).as(status.err()).isZero();
			assertThat(status.out()).as("status through %s", daemon.getKey())
				.containsPattern("(?m)^Cluster: +3 members, this daemon on "
						+ Pattern.quote(cluster.member(daemon.getValue()).name()) + "$")
				.containsPattern("(?m)^ {11}MEMBER +STATUS +ADDRESS +SANDBOXES +QUEUED +MESSAGE");
			for (TestCluster.Member member : cluster.members()) {
				assertThat(status.out()).as("status through %s", daemon.getKey())
					.containsPattern("(?m)^ {11}" + Pattern.quote(member.name()) + " +ONLINE +"
							+ Pattern.quote(member.host()) + " +[1-9]\\d* +0 +");
			}
			assertThat(status.out()).containsPattern("(?m)^Daemons: +2 live: " + daemon.getKey() + ":[0-9a-f]{6} ")
				.containsPattern("(?m)^Member: +" + Pattern.quote(cluster.member(2).name()) + "$")
				.doesNotContain("not online");

			Run containers = client.run("containers");

			assertThat(containers.exitCode()).as(containers.err()).isZero();
			assertThat(containers.out().lines().findFirst().orElseThrow())
				.containsPattern("^NAME +STATUS +MEMBER +MANAGED ");
			for (int n = 1; n <= 3; n++) {
				assertThat(containers.out()).as("containers through %s", daemon.getKey())
					.containsPattern("(?m)^" + Pattern.quote(sandboxes.get(n - 1)) + " +RUNNING +"
							+ Pattern.quote(cluster.member(n).name()) + " +yes ");
			}
			assertThat(containers.out()).doesNotContain("(away)").doesNotContain("cannot be reached");
		}
	}

	// --- helpers

	/**
	 * The real client against one daemon, with a home of its own and no host credentials
	 * (no key, SSH agent or gh config of the machine reaches the sandboxes).
	 */
	private static ClientProcess client(String daemon) {
		return new ClientProcess(daemons.get(daemon).socket()).withEnv("HOME", home.toString())
			.withEnv("XDG_CONFIG_HOME", home.resolve("config").toString())
			.withEnv("ANTHROPIC_API_KEY", "")
			.withEnv("CLAUDE_CODE_OAUTH_TOKEN", "")
			.withEnv("SSH_AUTH_SOCK", "")
			.withEnv("GH_CONFIG_DIR", "");
	}

	/** The daemon's API in this JVM: for polling. */
	private static DaemonClient api(DaemonProcess daemon) {
		return new DaemonClient(new UnixSocketHttpClient(daemon.socket()), ClientCommands.jsonMapper());
	}

	/** The daemon's name in a run id ({@code d1:1a2b3c}: {@code d1}). */
	private static String name(String run) {
		assertThat(run).as("a daemon run id").matches("d[13]:[0-9a-f]{6}");
		return run.substring(0, run.indexOf(':'));
	}

	private static String[] arguments(String name, int member) {
		return new String[] { "--spring.datasource.url=" + database, "--spring.datasource.username=postgres",
				// trust authentication on the test server: no secret
				"--spring.datasource.password=", "--dilxc.cluster.daemon-name=" + name,
				"--dilxc.lxd.executable=" + cluster.client(member),
				"--dilxc.lxd.backend=" + TestBackend.current().setting(),
				"--dilxc.cluster.local-claim-grace=" + LOCAL_CLAIM_GRACE.toSeconds() + "s",
				"--dilxc.cluster.member-check-interval=1s", "--dilxc.cluster.heartbeat-interval=1s",
				"--dilxc.jobs.poll-interval=200ms", "--dilxc.jobs.max-concurrent-jobs=3",
				"--dilxc.sandboxes.kill-grace=2s" };
	}

	/** Drops the class's database, also after a failure (its daemons are stopped). */
	private static void dropDatabase() throws SQLException {
		if (database == null) {
			return;
		}
		TestStore.dropDatabase(database);
	}

}
