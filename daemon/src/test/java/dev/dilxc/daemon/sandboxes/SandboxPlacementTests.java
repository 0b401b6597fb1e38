package dev.dilxc.daemon.sandboxes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.dilxc.daemon.lxd.ClusterMember;
import dev.dilxc.daemon.lxd.InstanceStatus;

/**
 * What the daemon concludes from one look at the cluster: which sandboxes are out of
 * reach and why, which are its own member's, what each member holds. The look itself is
 * real LXD in JobsClusterIntegrationTests.
 */
class SandboxPlacementTests {

	private static final SandboxPlacement.Placement PLACEMENT = new SandboxPlacement.Placement("member1",
			Map.of("member1", new ClusterMember("member1", "ONLINE", "Fully operational", "127.42.1.1"), "member2",
					new ClusterMember("member2", "ONLINE", "Fully operational", "127.42.1.2"), "member3",
					new ClusterMember("member3", "OFFLINE", "No heartbeat for 31.1s", "127.42.1.3")),
			Map.of("home", "member1", "fresh-dead", "member2", "far", "member3", "other", "member2"),
			Map.of("home", InstanceStatus.RUNNING, "fresh-dead", InstanceStatus.ERROR, "far", InstanceStatus.ERROR,
					"other", InstanceStatus.RUNNING),
			Set.of("home", "fresh-dead", "far"));

	@Test
	void aSandboxOfAMemberThatIsNotOnlineIsAwayWithWhatTheClusterSaysOfTheMember() {
		assertThat(PLACEMENT.away("far")).isEqualTo("its cluster member member3 is OFFLINE (No heartbeat for 31.1s)");
	}

	@Test
	void aSandboxInErrorOnAMemberStillOnlineIsAwaySinceTheMemberJustDied() {
		assertThat(PLACEMENT.away("fresh-dead")).startsWith("its cluster member member2 does not report it");
	}

	@Test
	void aRunningSandboxOfAnOnlineMemberAndAnUnknownOneAreNotAway() {
		assertThat(PLACEMENT.away("home")).isNull();
		assertThat(PLACEMENT.away("other")).isNull();
		assertThat(PLACEMENT.away("not-listed")).isNull();
		assertThat(PLACEMENT.away(List.of("home", "far", "other", "fresh-dead"))).containsOnlyKeys("far", "fresh-dead");
	}

	@Test
	void onlyTheDaemonsOwnMembersSandboxesAreLocalAndEachMemberListsDilxcsSandboxes() {
		assertThat(PLACEMENT.clustered()).isTrue();
		assertThat(PLACEMENT.local("home")).isTrue();
		assertThat(PLACEMENT.local("other")).isFalse();
		assertThat(PLACEMENT.memberOf("far")).contains("member3");
		assertThat(PLACEMENT.sandboxesByMember()).containsExactlyEntriesOf(new java.util.TreeMap<>(
				Map.of("member1", List.of("home"), "member2", List.of("fresh-dead"), "member3", List.of("far"))));
	}

	@Test
	void outsideAClusterNothingIsAwayOrLocal() {
		assertThat(SandboxPlacement.Placement.NONE.clustered()).isFalse();
		assertThat(SandboxPlacement.Placement.NONE.away("home")).isNull();
		assertThat(SandboxPlacement.Placement.NONE.memberOf("home")).isEmpty();
	}

}
