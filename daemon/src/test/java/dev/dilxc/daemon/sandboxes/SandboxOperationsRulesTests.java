package dev.dilxc.daemon.sandboxes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.dilxc.api.CheckResult;
import dev.dilxc.api.ProblemTypes;

/**
 * The pure rules behind sync, proxies and doctor: rsync's argv and errors, port syntax,
 * id maps, firewall rules.
 */
class SandboxOperationsRulesTests {

	private final ProjectSync sync = new ProjectSync(null, null, null, null, TerminalCommandsTests.defaults());

	@Test
	void rsyncArgvIsTheOriginalsWithItemizedChangesAndDryRunOnlyWhenAsked() {
		assertThat(this.sync.rsyncArgv(false)).containsExactly("rsync", "-a", "--delete", "--itemize-changes",
				"--exclude=node_modules", "--exclude=.git", "--exclude=dist", "--exclude=build",
				"/home/ubuntu/project-src/", "/home/ubuntu/project/");
		assertThat(this.sync.rsyncArgv(true)).contains("--dry-run")
			.endsWith("/home/ubuntu/project-src/", "/home/ubuntu/project/");
	}

	@Test
	void unreadableFilesAreReadFromRsyncsErrorsRelativeToTheProject() {
		String stderr = """
				rsync: [sender] send_files failed to open "/home/ubuntu/project-src/secret.txt": Permission denied (13)
				rsync: [sender] opendir "/home/ubuntu/project-src/private" failed: Permission denied (13)
				rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1338) [sender=3.2.7]
				""";
		assertThat(ProjectSync.unreadable(stderr)).containsExactly("secret.txt", "private");
	}

	@ParameterizedTest
	@ValueSource(strings = { "1", "80", "3000", "65535" })
	void portsWrittenPlainlyInRangeAreAccepted(String port) {
		assertThat(PortProxies.parsePort("host port", port)).isEqualTo(Integer.parseInt(port));
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "65536", "abc", "080", "010", "-1", "+80", " 80", "80 ", "", "99999999999", "8o" })
	void portsOutOfRangeOrNotPlainDigitsAreRefusedNamingTheValue(String port) {
		assertThatThrownBy(() -> PortProxies.parsePort("host port", port))
			.isInstanceOfSatisfying(SandboxException.class, (ex) -> {
				assertThat(ex.problemType()).isEqualTo(ProblemTypes.INVALID_REQUEST);
				assertThat(ex.getMessage()).isEqualTo("invalid host port '" + port
						+ "': must be a number between 1 and 65535, written without leading zeros");
			});
	}

	@Test
	void firewallWithForwardPolicyAcceptPasses() {
		CheckResult result = SandboxChecks.Firewall.check("-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n",
				List.of("lxdbr0"));
		assertThat(result.ok()).isTrue();
	}

	@Test
	void firewallWithDockersDropPolicyAndNoRuleForTheBridgeFailsWithTheFix() {
		String rules = """
				-P INPUT ACCEPT
				-P FORWARD DROP
				-P OUTPUT ACCEPT
				-N DOCKER
				-N DOCKER-USER
				-A FORWARD -j DOCKER-USER
				-A FORWARD -o docker0 -j DOCKER
				-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
				-A DOCKER-USER -j RETURN
				""";
		CheckResult result = SandboxChecks.Firewall.check(rules, List.of("lxdbr0"));
		assertThat(result.ok()).isFalse();
		assertThat(result.detail()).contains("Docker's firewall").contains("lxdbr0");
		assertThat(result.fix()).contains("iptables -I DOCKER-USER -i lxdbr0 -j ACCEPT")
			.contains("iptables -I DOCKER-USER -o lxdbr0 -j ACCEPT")
			.contains("docs/sandboxes.md");
	}

	@Test
	void theFirewallFixNamesADocsSectionThatExists() throws IOException {
		// The fix sends the user to docs/sandboxes.md's host firewall section: it must be
		// there, with the same commands.
		String page = Files.readString(Path.of("..", "docs", "sandboxes.md"));
		assertThat(page).contains("\n## Host firewall\n")
			.contains(
					"sudo iptables -I DOCKER-USER -i lxdbr0 -j ACCEPT; sudo iptables -I DOCKER-USER -o lxdbr0 -j ACCEPT")
			.contains("/etc/ufw/after.rules");
	}

	@Test
	void firewallWithDropPolicyButAnAcceptRuleForTheBridgePasses() {
		String rules = """
				-P FORWARD DROP
				-N DOCKER-USER
				-A DOCKER-USER -i lxdbr0 -j ACCEPT
				-A DOCKER-USER -o lxdbr0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
				-A DOCKER-USER -j RETURN
				""";
		assertThat(SandboxChecks.Firewall.check(rules, List.of("lxdbr0")).ok()).isTrue();
		assertThat(SandboxChecks.Firewall.check(rules, List.of("lxdbr0", "dilxcbr0")).ok()).isFalse();
	}

	@Test
	void relativeSandboxPathsAreTakenFromTheWorkingCopy() {
		var properties = TerminalCommandsTests.defaults();
		assertThat(SandboxShell.resolve(properties, "dist/app.js")).isEqualTo("/home/ubuntu/project/dist/app.js");
		assertThat(SandboxShell.resolve(properties, "./dist/")).isEqualTo("/home/ubuntu/project/dist/");
		assertThat(SandboxShell.resolve(properties, "/etc/hosts")).isEqualTo("/etc/hosts");
		assertThat(SandboxShell.resolve(properties, "../x")).isEqualTo("/home/ubuntu/x");
	}

}
