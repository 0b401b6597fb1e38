package dev.dilxc.daemon.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@link TestCluster} promises the tests of a member going away: a killed member is
 * OFFLINE within the 11 s threshold while its containers live on, a stopped one stops
 * them, both come back ONLINE through the fixture, and the clean-up deletes only the
 * test's instances. Member 3 is the one that goes away; it is started again after each
 * test, also on failure.
 */
class MemberFaultsClusterIntegrationTests {

	private static final String PREFIX = System.getenv().getOrDefault("DILXC_TEST_PREFIX", "") + "tcfault-";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static TestCluster cluster;

	@BeforeAll
	static void up() {
		cluster = TestCluster.up();
		cluster.deleteInstances(PREFIX);
		// The first instance on a member unpacks the image (15-30 s): paid here, not by a
		// test.
		for (TestCluster.Member member : cluster.members()) {
			cluster.warm(member.index());
		}
	}

	@AfterEach
	void member3Back() {
		if (!cluster.answers(3)) {
			cluster.startMember(3);
		}
		cluster.awaitMemberStatus("member3", "online", Duration.ofSeconds(60));
	}

	@AfterAll
	static void deleteTheInstances() {
		if (cluster != null) {
			cluster.deleteInstances(PREFIX);
		}
	}

	@Test
	void aKilledMemberIsOfflineWithinTheThresholdItsContainerLivesOnAndItComesBackOnline() {
		String name = PREFIX + UUID.randomUUID().toString().substring(0, 8);
		cluster.launchOn(3, name);
		long initPid = initPid(name);
		assertThat(cluster.run(1, "config", "get", "cluster.offline_threshold").strip())
			.isEqualTo(Integer.toString(TestCluster.OFFLINE_THRESHOLD_SECONDS));
		assertThat(cluster.memberStatuses()).containsEntry("member3", "Online");

		cluster.killMember(3);
		assertThat(cluster.answers(3)).isFalse();
		// The threshold is 11 s, the heartbeat every 5.5 s: OFFLINE 8-11 s after the kill
		// when the machine is idle.
		cluster.awaitMemberStatus("member3", "OFFLINE", Duration.ofSeconds(30));
		assertThat(ProcessHandle.of(initPid)).hasValueSatisfying((process) -> assertThat(process.isAlive()).isTrue());

		cluster.startMember(3);
		assertThat(cluster.answers(3)).isTrue();
		cluster.awaitMemberStatus("member3", "ONLINE", Duration.ofSeconds(60));
		Await.until(name + " to accept exec through member1 again", Duration.ofSeconds(30), Duration.ofMillis(500),
				() -> cluster.call(1, Duration.ofSeconds(20), "exec", name, "--", "true"),
				(result) -> result.exitCode() == 0);
		assertThat(initPid(name)).isEqualTo(initPid);
	}

	@Test
	void aStoppedMemberStopsItsContainersAndStartsThemAgainWhenItIsBack() {
		String name = PREFIX + UUID.randomUUID().toString().substring(0, 8);
		cluster.launchOn(3, name);
		long initPid = initPid(name);

		cluster.stopMember(3);
		assertThat(cluster.answers(3)).isFalse();
		assertThat(ProcessHandle.of(initPid).filter(ProcessHandle::isAlive)).isEmpty();

		cluster.startMember(3);
		Await.until(name + " running again on member3", Duration.ofSeconds(60), Duration.ofMillis(500),
				() -> cluster.call(3, Duration.ofSeconds(20), "exec", name, "--", "true"),
				(result) -> result.exitCode() == 0);
		assertThat(cluster.location(name)).isEqualTo("member3");
		assertThat(initPid(name)).isNotEqualTo(initPid);
	}

	@Test
	void deleteInstancesDeletesTheInstancesWithThePrefixOnEveryMemberAndNoOther() {
		String other = PREFIX.replace("tcfault-", "tcother-") + UUID.randomUUID().toString().substring(0, 8);
		String one = PREFIX + "one-" + UUID.randomUUID().toString().substring(0, 8);
		String three = PREFIX + "three-" + UUID.randomUUID().toString().substring(0, 8);
		try {
			cluster.initOn(1, one);
			cluster.initOn(3, three);
			cluster.initOn(2, other);
			assertThat(cluster.location(three)).isEqualTo("member3");

			cluster.deleteInstances(PREFIX);

			assertThat(cluster.instances()).contains(other).doesNotContain(one, three);
		}
		finally {
			cluster.call(1, Duration.ofMinutes(1), "delete", "--force", other);
		}
		assertThat(cluster.instances()).doesNotContain(other);
	}

	/** The host pid of an instance's init, asked through member 3. */
	private static long initPid(String name) {
		JsonNode state = JSON.readTree(cluster.run(3, "query", "/1.0/instances/" + name + "/state"));
		long pid = state.path("pid").asLong();
		assertThat(pid).as("pid of " + name).isPositive();
		return pid;
	}

}
