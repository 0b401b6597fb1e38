package dev.dilxc.daemon.sandboxes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dilxc.daemon.testing.GoldenSandbox;
import dev.dilxc.daemon.testing.Lxc;

/**
 * The golden image on real LXD, launched the way {@code init} launches a sandbox: Docker
 * runs inside, the tools are there, and the shell environment of
 * {@code provisioning/provision-container.sh} reaches every way of running a command
 * (login shell, the daemon's {@code sh -c}, non-interactive bash, fish). One sandbox for
 * the class: a launch costs seconds on two shared cores.
 */
class GoldenImageIntegrationTests {

	private static final String SCRIPT_IN_SANDBOX = "/root/provision-container.sh";

	/**
	 * Every file a --no-packages run writes; a re-run must leave all of them
	 * byte-identical.
	 */
	private static final String CONFIG_FILES = "/etc/dilxc/env.sh /etc/environment /etc/claude-code/managed-settings.json "
			+ "/etc/sudoers.d/90-dilxc-ubuntu /etc/dilxc/provisioned /home/ubuntu/.bashrc /home/ubuntu/.profile "
			+ "/home/ubuntu/.gitconfig /home/ubuntu/.config/fish/conf.d/dilxc.fish /usr/local/bin/cc-resume "
			+ "/usr/local/bin/cc-prompt /usr/local/bin/sync-project /usr/local/bin/deploy /etc/passwd /etc/group";

	@TempDir
	static Path work;

	private static GoldenSandbox sandbox;

	@BeforeAll
	static void launch() {
		sandbox = GoldenSandbox.launch("prov-golden");
		sandbox.push(provisionScript(), SCRIPT_IN_SANDBOX);
	}

	@AfterAll
	static void delete() {
		if (sandbox != null) {
			sandbox.close();
		}
	}

	@Test
	void imageCarriesTheStampOfTheProvisionScriptInThisCheckout() throws IOException {
		String stamp = sandbox.root("cat", "/etc/dilxc/provisioned").orFail("read stamp").stdout().strip();

		assertThat(stamp).as("image built from another provision-container.sh: rerun provisioning/test-host.sh")
			.isEqualTo(sha256(Files.readAllBytes(provisionScript())));
	}

	@Test
	void dockerEngineAnswersTheSandboxUser() {
		Lxc.Result info = sandbox.loginShell("docker info --format '{{.ServerVersion}} {{.Driver}}'");

		assertThat(info.exitCode()).as(info.stderr()).isZero();
		assertThat(info.stdout().strip()).matches("\\d+\\.\\d+\\S* \\S+");
	}

	@Test
	void dockerRunsALocallyImportedImageWithoutNetwork() {
		sandbox.importBusyboxImage(work);

		Lxc.Result run = sandbox.loginShell("docker run --rm --network none " + GoldenSandbox.BUSYBOX_IMAGE
				+ " sh -c 'echo hi from $(cat /proc/1/comm)'");

		assertThat(run.exitCode()).as(run.stderr()).isZero();
		assertThat(run.stdout().strip()).isEqualTo("hi from sh");
	}

	@Test
	void claudeRunsOfflineAtThePinnedVersion() {
		Lxc.Result version = sandbox.loginShell("claude --version");

		assertThat(version.exitCode()).as(version.stderr()).isZero();
		assertThat(version.stdout()).contains("2.1.332");
		// Onboarding done: an unattended run must not stop at the first-run screens.
		assertThat(sandbox.root("cat", "/home/ubuntu/.claude.json").stdout())
			.contains("\"hasCompletedOnboarding\": true");
		assertThat(sandbox.root("cat", "/etc/claude-code/managed-settings.json").stdout())
			.contains("\"DISABLE_AUTOUPDATER\": \"1\"");
	}

	@Test
	void developerToolsAreOnTheSandboxUsersPath() {
		for (String tool : List.of("node", "npm", "claude", "gh", "rg", "fd", "jq", "tmux", "rsync", "git", "docker",
				"fish", "make", "gcc", "ssh", "curl", "sudo")) {
			// Present and runnable: --version, or -V for tmux and ssh.
			Lxc.Result found = sandbox.asDaemonWould("sh", "-c",
					"command -v \"$1\" && { \"$1\" --version || \"$1\" -V; } >/dev/null 2>&1", "probe", tool);
			assertThat(found.exitCode()).as(tool + ": " + found.stdout() + found.stderr()).isZero();
		}
	}

	@Test
	void environmentReachesLoginShellsTheDaemonsShAndNonInteractiveBash() {
		writeAgentEnv("DILXC_PROBE=two words $HOME `x`\nnot a line\n9BAD=x\n");
		Lxc.run("config", "device", "remove", sandbox.name(), "ssh-agent");
		assertThat(sandbox.asDaemonWould("sh", "-c", "echo \"[${SSH_AUTH_SOCK-unset}]\"").stdout().strip())
			.as("no agent socket, no SSH_AUTH_SOCK")
			.isEqualTo("[unset]");
		addSshAgentSocket();

		String print = "printf '%s|%s|%s' \"$DILXC_PROBE\" \"$SSH_AUTH_SOCK\" \"$PATH\"";
		String expected = "two words $HOME `x`|/tmp/ssh-agent.sock|/home/ubuntu/.local/bin:";

		Lxc.Result login = sandbox.loginShell(print);
		assertThat(login.stdout()).as("su - ubuntu -c: " + login.stderr()).startsWith(expected);

		Lxc.Result daemon = sandbox.asDaemonWould("sh", "-c", print);
		assertThat(daemon.stdout()).as("daemon's sh -c: " + daemon.stderr()).startsWith(expected);

		// Non-interactive bash reads only $BASH_ENV: what pam_env (/etc/environment) and
		// env.sh pass on.
		Lxc.Result bash = sandbox.root("su", "-", "ubuntu", "-c",
				"env -i HOME=/home/ubuntu PATH=/usr/bin:/bin BASH_ENV=\"$BASH_ENV\" bash -c '"
						+ print.replace("'", "'\\''") + "'");
		assertThat(bash.stdout()).as("bash -c with BASH_ENV: " + bash.stderr()).startsWith(expected);
	}

	@Test
	void helperCommandsWorkInEveryShell() {
		Lxc.Result login = sandbox.loginShell("type cc; command -v cc-resume cc-prompt sync-project deploy");
		assertThat(login.stdout()).contains("cc is a function", "claude --dangerously-skip-permissions")
			.contains("/usr/local/bin/cc-resume", "/usr/local/bin/sync-project", "/usr/local/bin/deploy");
		assertThat(sandbox.root("cat", "/usr/local/bin/cc-resume").stdout())
			.contains("claude --dangerously-skip-permissions --continue");
		// The C compiler is not shadowed for make and configure.
		assertThat(sandbox.asDaemonWould("sh", "-c", "command -v cc").stdout().strip()).isEqualTo("/usr/bin/cc");
	}

	@Test
	void deployCopiesToTheDeployMountOrSaysThereIsNone() {
		Lxc.Result none = sandbox.loginShell("deploy");
		assertThat(none.exitCode()).isEqualTo(1);
		assertThat(none.stderr()).contains("No deploy mount available");

		sandbox.root("sh", "-c", "mkdir -p /mnt/deploy && chown 1000:1000 /mnt/deploy").orFail("make /mnt/deploy");
		try {
			Lxc.Result deployed = sandbox.loginShell("mkdir -p dist && echo built > dist/app.js && deploy dist/");
			assertThat(deployed.exitCode()).as(deployed.stderr()).isZero();
			assertThat(deployed.stdout()).contains("Deployed to /mnt/deploy");
			assertThat(sandbox.root("cat", "/mnt/deploy/app.js").stdout()).isEqualTo("built\n");
		}
		finally {
			sandbox.root("rm", "-rf", "/mnt/deploy", "/home/ubuntu/dist");
		}
	}

	@Test
	void syncProjectMirrorsTheSourceMountAndReportsWhatFails() {
		sandbox.root("sh", "-c", "mkdir -p /home/ubuntu/project-src/src /home/ubuntu/project-src/node_modules"
				+ " && echo hello > /home/ubuntu/project-src/src/a.txt && echo skip > /home/ubuntu/project-src/node_modules/m"
				+ " && echo stale > /home/ubuntu/project/stale.txt && chown -R 1000:1000 /home/ubuntu/project")
			.orFail("make project-src");
		try {
			Lxc.Result sync = sandbox.loginShell("sync-project");
			assertThat(sync.exitCode()).as(sync.stderr()).isZero();
			assertThat(sync.stdout()).contains("Project synced from source mount");
			assertThat(sandbox.root("stat", "-c", "%U %n", "/home/ubuntu/project/src/a.txt").stdout())
				.startsWith("ubuntu ");
			assertThat(sandbox.root("test", "-e", "/home/ubuntu/project/stale.txt").exitCode()).isNotZero();
			assertThat(sandbox.root("test", "-e", "/home/ubuntu/project/node_modules").exitCode()).isNotZero();

			// A file ubuntu cannot read: rsync fails and so does sync-project, saying so.
			sandbox
				.root("sh", "-c",
						"echo secret > /home/ubuntu/project-src/locked && chmod 600 /home/ubuntu/project-src/locked")
				.orFail("make unreadable file");
			Lxc.Result failed = sandbox.loginShell("sync-project");
			assertThat(failed.exitCode()).isNotZero();
			assertThat(failed.stderr()).contains("sync-project: rsync failed (exit 23)");
		}
		finally {
			sandbox.root("rm", "-rf", "/home/ubuntu/project-src");
		}
		Lxc.Result missing = sandbox.loginShell("sync-project");
		assertThat(missing.exitCode()).isEqualTo(1);
		assertThat(missing.stderr()).contains("No project source mounted at /home/ubuntu/project-src");
	}

	@Test
	void reprovisioningWithoutPackagesChangesNothing() {
		sandbox.loginShell("git config --global user.name 'Someone Else'").orFail("set git identity");
		String before = checksums();

		Lxc.Result first = sandbox.root("bash", SCRIPT_IN_SANDBOX, "--no-packages");
		assertThat(first.exitCode()).as(first.stdout() + first.stderr()).isZero();
		String afterFirst = checksums();
		Lxc.Result second = sandbox.root("bash", SCRIPT_IN_SANDBOX, "--no-packages");
		assertThat(second.exitCode()).as(second.stdout() + second.stderr()).isZero();

		assertThat(checksums()).isEqualTo(afterFirst);
		// The image was provisioned by this very script: there was nothing to change in
		// the first place.
		assertThat(afterFirst).isEqualTo(before);
		assertThat(first.stdout())
			.contains("--- Configuring ubuntu user ---", "=== Container Provisioning Complete ===")
			.doesNotContain("--- Installing");
		assertThat(sandbox.loginShell("git config --global user.name").stdout().strip()).isEqualTo("Someone Else");
		assertThat(sandbox.root("grep", "-c", ">>> dilxc >>>", "/home/ubuntu/.bashrc").stdout().strip()).isEqualTo("1");
	}

	@Test
	void customHookRunsOnceAndIsDeleted() {
		sandbox.writeFile("/tmp/custom-provision.sh", "#!/bin/sh\necho ran >> /root/hook-runs\n", "0644");

		Lxc.Result first = sandbox.root("bash", SCRIPT_IN_SANDBOX, "--no-packages");
		assertThat(first.exitCode()).as(first.stderr()).isZero();
		assertThat(first.stdout()).contains("--- Running custom provisioning ---", "Custom provisioning complete");
		assertThat(sandbox.root("test", "-e", "/tmp/custom-provision.sh").exitCode()).isNotZero();

		sandbox.root("bash", SCRIPT_IN_SANDBOX, "--no-packages").orFail("second provisioning");
		assertThat(sandbox.root("cat", "/root/hook-runs").stdout()).isEqualTo("ran\n");
	}

	@Test
	void failingCustomHookFailsProvisioningAndStillGoes() {
		sandbox.writeFile("/tmp/custom-provision.sh", "#!/bin/sh\nexit 7\n", "0755");

		Lxc.Result run = sandbox.root("bash", SCRIPT_IN_SANDBOX, "--no-packages");

		assertThat(run.exitCode()).isNotZero();
		assertThat(run.stderr()).contains("custom provisioning (/tmp/custom-provision.sh) failed with exit 7");
		assertThat(sandbox.root("test", "-e", "/tmp/custom-provision.sh").exitCode()).isNotZero();
	}

	@Test
	void fishGetsTheSameEnvironmentAndCommands() {
		writeAgentEnv("DILXC_PROBE=fish sees it\n");
		try {
			Lxc.Result provision = sandbox.root("bash", SCRIPT_IN_SANDBOX, "--no-packages", "--fish");
			assertThat(provision.exitCode()).as(provision.stderr()).isZero();
			assertThat(sandbox.root("getent", "passwd", "ubuntu").stdout().strip()).endsWith(":/usr/bin/fish");

			// su - now starts fish as a login shell.
			Lxc.Result login = sandbox.loginShell(
					"echo \"$DILXC_PROBE|$PATH[1]\"; functions -q cc; and echo cc-function; command -v sync-project");
			assertThat(login.stdout()).as(login.stderr())
				.contains("fish sees it|/home/ubuntu/.local/bin", "cc-function", "/usr/local/bin/sync-project");

			Lxc.Result nonInteractive = sandbox.asDaemonWould("fish", "-c", "echo $DILXC_PROBE");
			assertThat(nonInteractive.stdout().strip()).isEqualTo("fish sees it");
		}
		finally {
			sandbox.root("chsh", "-s", "/bin/bash", "ubuntu");
		}
	}

	@Test
	void fullProvisioningWithoutNetworkSaysSoAndChangesNothing() {
		String before = checksums();

		Lxc.Result run = sandbox.root("bash", SCRIPT_IN_SANDBOX);

		assertThat(run.exitCode()).isNotZero();
		assertThat(run.stderr()).contains("could not reach the package archive", "--no-packages");
		assertThat(checksums()).isEqualTo(before);
	}

	@Test
	void unknownFlagIsRefusedWithTheFlagsThatExist() {
		Lxc.Result run = sandbox.root("bash", SCRIPT_IN_SANDBOX, "--fsh");

		assertThat(run.exitCode()).isNotZero();
		assertThat(run.stderr()).contains("unknown argument '--fsh'", "--fish", "--no-packages");
	}

	private static void writeAgentEnv(String content) {
		sandbox.writeFile("/home/ubuntu/.config/dilxc/agent.env", content, "0600");
		sandbox.root("chown", "1000:1000", "/home/ubuntu/.config/dilxc/agent.env").orFail("chown agent.env");
	}

	/**
	 * The ssh-agent device as init adds it; the socket exists in the sandbox even with
	 * nothing behind it.
	 */
	private static void addSshAgentSocket() {
		if (Lxc.run("config", "device", "get", sandbox.name(), "ssh-agent", "type").exitCode() == 0) {
			return;
		}
		Lxc.run("config", "device", "add", sandbox.name(), "ssh-agent", "proxy", "listen=unix:/tmp/ssh-agent.sock",
				"connect=unix:" + work.resolve("no-agent.sock"), "bind=container", "uid=1000", "gid=1000", "mode=0600")
			.orFail("add ssh-agent proxy device");
	}

	private static String checksums() {
		return sandbox.root("sh", "-c", "sha256sum " + CONFIG_FILES + "; stat -c '%a %U %n' " + CONFIG_FILES)
			.orFail("checksums")
			.stdout();
	}

	static Path provisionScript() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null) {
			Path script = dir.resolve("provisioning/provision-container.sh");
			if (Files.isRegularFile(script)) {
				return script;
			}
			dir = dir.getParent();
		}
		throw new AssertionError("provisioning/provision-container.sh not found above " + Path.of("").toAbsolutePath());
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
