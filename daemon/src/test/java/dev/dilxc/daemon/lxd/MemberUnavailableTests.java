package dev.dilxc.daemon.lxd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.daemon.process.ProcessRunner;

/**
 * The errors of a cluster whose member holding an instance is gone, as LXD 5.0.2 and
 * Incus 6.0.4 print them (docs/cluster-notes.md, measured on the test cluster), played by
 * a stand-in for the client: they are {@link MemberUnavailableException}, not "LXD
 * unavailable" (the daemon's own server answers) and not a failed operation. The real
 * cluster shows them in the cluster integration tests.
 */
class MemberUnavailableTests {

	private static final InstanceName BOX = new InstanceName("box");

	@TempDir
	Path dir;

	@Test
	void lxdsMissingEventConnectionAfterItsTenSecondWaitIsTheMemberBeingAway() throws Exception {
		CliLxd lxd = clientSaying("Error: Missing event connection with target cluster member");

		assertThatExceptionOfType(MemberUnavailableException.class).isThrownBy(() -> lxd.createSnapshot(BOX, "s1"))
			.withMessage("the cluster member that holds instance 'box' does not answer: "
					+ "Missing event connection with target cluster member");
	}

	@Test
	void incusServerNotReadyForAnInstanceIsTheMemberBeingAwayButForTheServerItselfIsNot() throws Exception {
		CliLxd lxd = clientSaying("Error: Server isn't ready yet");

		assertThatExceptionOfType(MemberUnavailableException.class)
			.isThrownBy(() -> lxd.exec(BOX, ExecRequest.asRoot(Duration.ofSeconds(5), "true")));
		assertThatExceptionOfType(LxdException.class).isThrownBy(lxd::server)
			.isNotInstanceOf(MemberUnavailableException.class);
	}

	@Test
	void aRefusedConnectionToAMembersHttpsAddressNamesTheTargetMember() throws Exception {
		CliLxd lxd = clientSaying(
				"Error: Post \"https://127.42.1.2:8443/1.0/instances?project=default&target=member2\": "
						+ "Unable to connect to: 127.42.1.2:8443 ([dial tcp 127.42.1.2:8443: connect: connection refused])");

		assertThatExceptionOfType(MemberUnavailableException.class).isThrownBy(
				() -> lxd.createInstance(new InstanceSpec(BOX, "dilxc-golden", null, java.util.Map.of(), "member2")))
			.withMessageStartingWith("cluster member 'member2' does not answer: ")
			.satisfies((ex) -> assertThat(ex.member()).isEqualTo("member2"));
	}

	@Test
	void aRefusedUnixSocketIsStillTheDaemonsOwnLxdBeingUnavailable() throws Exception {
		CliLxd lxd = clientSaying("Error: Get \"http://unix.socket/1.0\": dial unix /var/lib/lxd/unix.socket: "
				+ "connect: connection refused");

		assertThatExceptionOfType(LxdUnavailableException.class).isThrownBy(() -> lxd.createSnapshot(BOX, "s1"));
	}

	@Test
	void aServerThatIsNotClusteredHasNoMembers() throws Exception {
		CliLxd lxd = clientSaying("Error: Server is not clustered");

		assertThat(lxd.clusterMembers()).isEmpty();
	}

	private CliLxd clientSaying(String error) throws Exception {
		Path script = this.dir.resolve("lxc");
		Files.writeString(script, """
				#!/bin/sh
				echo '%s' >&2
				exit 1
				""".formatted(error.replace("'", "'\\''")));
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
		return new CliLxd(
				new ProcessRunner(), new LxdProperties(LxdProperties.BackendChoice.AUTO, script.toString(),
						Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10)),
				JsonMapper.builder().build());
	}

}
