package dev.dilxc.daemon.sandboxes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dilxc.daemon.sandboxes.SandboxChecks.HostFiles;
import dev.dilxc.daemon.sandboxes.SandboxChecks.IptablesRules;

/**
 * How {@code doctor} reads the host's iptables, with stand-ins for the binary: a hung
 * {@code iptables} (waiting on the xtables lock, say) is stopped and reported, not waited
 * on.
 */
class HostIptablesTests {

	@TempDir
	Path dir;

	@Test
	void aHungIptablesIsStoppedAtItsTimeoutAndSaysSo() throws Exception {
		Path iptables = script("iptables", "echo '-P INPUT ACCEPT'; exec sleep 60");

		IptablesRules rules = assertTimeoutPreemptively(Duration.ofSeconds(30),
				() -> new HostFiles(List.of(iptables.toString()), Duration.ofSeconds(1)).iptables());

		assertThat(rules.rules()).isNull();
		assertThat(rules.error()).isEqualTo(iptables + " -S did not answer in 1 s and was stopped");
		assertThat(rules.notInstalled()).isFalse();
	}

	@Test
	void theFirstIptablesFoundAnswersAndAFailureKeepsItsLastLine() throws Exception {
		Path working = script("iptables-ok", "echo '-P FORWARD DROP'");
		Path failing = script("iptables-bad",
				"echo 'first' >&2; echo 'Permission denied (you must be root)' >&2; exit 4");

		IptablesRules found = new HostFiles(List.of("/nonexistent/iptables", working.toString()),
				Duration.ofSeconds(10))
			.iptables();
		IptablesRules denied = new HostFiles(List.of(failing.toString()), Duration.ofSeconds(10)).iptables();
		IptablesRules missing = new HostFiles(List.of("/nonexistent/iptables"), Duration.ofSeconds(10)).iptables();

		assertThat(found.rules()).isEqualTo("-P FORWARD DROP\n");
		assertThat(denied.error()).isEqualTo("Permission denied (you must be root)");
		assertThat(missing.notInstalled()).isTrue();
	}

	private Path script(String name, String body) throws Exception {
		Path script = this.dir.resolve(name);
		Files.writeString(script, "#!/bin/sh\n" + body + "\n");
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
		return script;
	}

}
