package dev.dilxc.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dilxc.client.e2e.ClientProcess.Run;
import dev.dilxc.daemon.testing.CoreSandboxes;
import dev.dilxc.daemon.testing.Lxc;
import dev.dilxc.daemon.testing.TestSandbox;

/**
 * The original dilxc's day, through the packaged jars as separate processes against real
 * LXD: init a sandbox for a project from the golden image, then the everyday commands,
 * then the ways each goes wrong. The client runs {@code lxc exec} itself for the terminal
 * commands, as it does for a user.
 */
class SandboxEndToEndIntegrationTests {

	private static final String SECRET = "sk-ant-e2e-secret-" + UUID.randomUUID();

	@TempDir
	Path home;

	@Test
	void initFromTheGoldenImageThenTheEverydayCommandsWorkOnTheSandboxTheProjectPointsAt() throws Exception {
		TestSandbox.requireLxd();
		String name = "cli-e2e-" + UUID.randomUUID().toString().substring(0, 8);
		Path project = CoreSandboxes.projectDirectory(this.home.resolve("projects"), "demo");
		try (DaemonProcess daemon = new DaemonProcess(
				java.nio.file.Files.createDirectories(this.home.resolve("daemon")))
			.start()) {
			ClientProcess client = new ClientProcess(daemon.socket()).withEnv("ANTHROPIC_API_KEY", SECRET)
				.withEnv("HOME", this.home.toString());

			long started = System.nanoTime();
			Run init = client.run("init", "-p", project.toString(), "-n", name, "--image", TestSandbox.IMAGE);
			long initMillis = (System.nanoTime() - started) / 1_000_000;
			System.out.println("init from " + TestSandbox.IMAGE + " took " + initMillis + " ms (client wall time)");

			assertThat(init.exitCode()).as(init.out() + init.err()).isZero();
			assertThat(init.out()).contains("[1/").contains("clean-baseline");
			assertThat(Files.readString(project.resolve(".dilxc")).strip()).isEqualTo(name);
			assertThat(init.out() + init.err()).doesNotContain(SECRET);

			// From inside the project, the .dilxc pointer picks the sandbox: no @NAME
			// needed.
			Files.createDirectories(project.resolve("src/deep"));
			ClientProcess here = client.in(project.resolve("src/deep"));

			Run status = here.run("status");
			assertThat(status.exitCode()).as(status.err()).isZero();
			assertThat(status.out()).contains(name).contains("RUNNING").contains("clean-baseline");

			Run readme = here.run("exec", "cat", "README.md");
			assertThat(readme.exitCode()).as(readme.err()).isZero();
			assertThat(readme.out()).isEqualTo("# demo project\n");

			assertThat(here.run("exec", "sh", "-c", "exit 7").exitCode()).isEqualTo(7);
			Run readOnly = here.run("exec", "touch", "/home/ubuntu/project-src/intruder");
			assertThat(readOnly.exitCode()).isNotZero();
			assertThat(Files.exists(project.resolve("intruder"))).isFalse();

			// push/pull round trip; pushed files belong to the sandbox user.
			Path notes = Files.writeString(this.home.resolve("notes.txt"), "pushed\n", StandardCharsets.UTF_8);
			Run push = here.run("push", notes.toString());
			assertThat(push.exitCode()).as(push.err() + push.out()).isZero();
			assertThat(here.run("exec", "stat", "-c", "%u:%g", "/home/ubuntu/project/notes.txt").out().strip())
				.isEqualTo("1000:1000");
			Files.writeString(notes, "pushed again\n", StandardCharsets.UTF_8);
			assertThat(here.run("push", notes.toString()).exitCode()).as("overwrite").isZero();
			Path pulled = this.home.resolve("pulled.txt");
			Run pull = here.run("pull", "notes.txt", pulled.toString());
			assertThat(pull.exitCode()).as(pull.err() + pull.out()).isZero();
			assertThat(Files.readString(pulled)).isEqualTo("pushed again\n");

			// sync mirrors the source, keeps the working copy's .git, leaves excluded
			// trees alone.
			Files.writeString(project.resolve("new.txt"), "new\n", StandardCharsets.UTF_8);
			CoreSandboxes.chown(project);
			Run sync = here.run("sync");
			assertThat(sync.exitCode()).as(sync.err() + sync.out()).isZero();
			assertThat(here.run("exec", "cat", "new.txt").out()).isEqualTo("new\n");
			assertThat(here.run("exec", "test", "-d", ".git").exitCode()).isZero();
			assertThat(here.run("exec", "test", "-e", "node_modules").exitCode()).isNotZero();

			// snapshot / restore / delete
			assertThat(here.run("snapshot", "before-change").exitCode()).isZero();
			assertThat(here.run("exec", "rm", "new.txt").exitCode()).isZero();
			Run restore = here.run("restore", "before-change");
			assertThat(restore.exitCode()).as(restore.err() + restore.out()).isZero();
			assertThat(restore.out() + restore.err()).containsIgnoringCase("pre-restore-");
			assertThat(here.run("exec", "cat", "new.txt").out()).isEqualTo("new\n");
			assertThat(here.run("snapshots").out()).contains("before-change").contains("clean-baseline");
			assertThat(here.run("snapshot-delete", "before-change").exitCode()).isZero();
			assertThat(Lxc.snapshots(name)).doesNotContain("before-change");

			// Docker runs natively inside, in the project directory.
			Run docker = here.run("docker", "info", "--format", "{{.Driver}}");
			assertThat(docker.exitCode()).as(docker.err()).isZero();
			assertThat(docker.out().strip()).isNotEmpty();

			// Ports: loopback by default.
			Run proxy = here.run("proxy", "add", "18080");
			assertThat(proxy.exitCode()).as(proxy.err() + proxy.out()).isZero();
			assertThat(here.run("proxy", "list").out()).contains("127.0.0.1:18080");
			assertThat(here.run("proxy", "rm", "all").exitCode()).isZero();

			// stop: commands that need a running sandbox say so; start brings it back.
			assertThat(here.run("stop").exitCode()).isZero();
			Run stopped = here.run("exec", "true");
			assertThat(stopped.exitCode()).isEqualTo(4);
			assertThat(stopped.err()).contains("not running").contains("start");
			assertThat(here.run("start").exitCode()).isZero();

			// The key went into agent.env only: not LXD config, not the daemon's log.
			assertThat(Lxc.run("config", "show", name, "--expanded").stdout()).doesNotContain(SECRET);
			assertThat(Files.readString(daemon.log())).doesNotContain(SECRET);
			assertThat(here.run("exec", "sh", "-c", "stat -c %a ~/.config/dilxc/agent.env").out().strip())
				.isEqualTo("600");

			// shell and root get a real terminal: the client runs lxc exec -t itself, and
			// exits with the shell's code.
			Run shell = here.withInput("tty; id -un; pwd; exit 3\n").runInTerminal("shell");
			assertThat(shell.exitCode()).as(shell.out()).isEqualTo(3);
			assertThat(shell.out()).contains("/dev/pts/").contains("ubuntu").contains("/home/ubuntu");
			Run root = here.withInput("id -u; exit\n").runInTerminal("root");
			assertThat(root.exitCode()).as(root.out()).isZero();
			assertThat(root.out()).containsPattern("(?m)^0\\r?$");

			Run destroy = here.withInput(name + "\n").run("destroy");
			assertThat(destroy.exitCode()).as(destroy.err() + destroy.out()).isZero();
			assertThat(CoreSandboxes.exists(name)).isFalse();
			assertThat(client.run("@" + name, "status").exitCode()).isEqualTo(3);
		}
		finally {
			CoreSandboxes.delete(name);
		}
	}

	@Test
	void everyCommandsBadInputGivesAClearMessageAndANonZeroExit() throws Exception {
		TestSandbox.requireLxd();
		String stopped = "cli-stopped-" + UUID.randomUUID().toString().substring(0, 8);
		Lxc.run("init", TestSandbox.IMAGE, stopped).orFail("lxc init " + stopped);
		try (DaemonProcess daemon = new DaemonProcess(
				java.nio.file.Files.createDirectories(this.home.resolve("daemon")))
			.start()) {
			ClientProcess client = new ClientProcess(daemon.socket()).in(this.home);
			record Case(List<String> args, int exit, String message) {
			}
			List<Case> cases = List.of(new Case(List.of("@no-such-box", "status"), 3, "does not exist"),
					new Case(List.of("@no-such-box", "exec", "true"), 3, "does not exist"),
					new Case(List.of("@no-such-box", "snapshots"), 3, "does not exist"),
					new Case(List.of("@-bad", "status"), 2, "-bad"), new Case(List.of("@", "status"), 2, "@"),
					new Case(List.of("@" + stopped, "exec", "true"), 4, "not running"),
					new Case(List.of("@" + stopped, "shell"), 4, "not running"),
					new Case(List.of("@" + stopped, "sync"), 4, "not running"),
					new Case(List.of("@" + stopped, "proxy", "add", "0"), 2, "0"),
					new Case(List.of("@" + stopped, "proxy", "add", "abc"), 2, "abc"),
					new Case(List.of("@" + stopped, "proxy", "add", "65536"), 2, "65536"),
					new Case(List.of("@" + stopped, "proxy", "add", "080"), 2, "080"),
					new Case(List.of("@" + stopped, "restore"), 2, "snapshot"),
					new Case(List.of("@" + stopped, "restore", "no-such-snap"), 3, "no-such-snap"),
					new Case(List.of("@" + stopped, "snapshot-delete", "no-such-snap"), 3, "no-such-snap"),
					new Case(List.of("@" + stopped, "pull"), 2, "path"),
					new Case(List.of("@" + stopped, "push"), 2, "path"),
					new Case(List.of("@" + stopped, "push", "/no/such/file"), 2, "/no/such/file"),
					new Case(List.of("@" + stopped, "exec"), 2, "command"),
					new Case(List.of("@" + stopped, "claude-run"), 2, "prompt"), new Case(List.of("init"), 2, "-p"),
					new Case(List.of("init", "-p", "/no/such/project"), 2, "/no/such/project"),
					new Case(List.of("init", "-p", this.home.toString(), "-n", "bad_name"), 2, "bad_name"),
					new Case(List.of("no-such-command"), 2, "no-such-command"));
			for (Case c : cases) {
				Run run = client.run(c.args().toArray(String[]::new));
				assertThat(run.exitCode()).as(c.args() + " → " + run.err() + run.out()).isEqualTo(c.exit());
				assertThat(run.err()).as(c.args() + " stderr").contains(c.message());
				assertThat(run.err().lines().count()).as(c.args() + " error stays short: " + run.err())
					.isLessThanOrEqualTo(3);
			}
			assertThat(CoreSandboxes.exists("bad_name")).isFalse();
		}
		finally {
			CoreSandboxes.delete(stopped);
		}
	}

}
