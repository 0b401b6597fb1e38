package dev.dilxc.daemon.sandboxes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import dev.dilxc.api.TerminalCommand;
import dev.dilxc.api.TerminalKind;

/**
 * The exact argv the client runs for each kind of terminal (the sandbox checks are in the
 * integration tests).
 */
class TerminalCommandsTests {

	private static final List<String> AS_UBUNTU_IN_PROJECT = List.of("--cwd", "/home/ubuntu/project", "--env",
			"HOME=/home/ubuntu", "--env", "USER=ubuntu", "--env", "LOGNAME=ubuntu", "--", "setpriv", "--reuid=1000",
			"--regid=1000", "--init-groups", "--", "sh", "-c", SandboxShell.ENV_WRAPPER, "dilxc");

	private final TerminalCommands terminals = new TerminalCommands(null, null, null, defaults(), () -> "lxc");

	static SandboxesProperties defaults() {
		return new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("dilxc.sandboxes",
				SandboxesProperties.class);
	}

	@Test
	void shellIsUbuntusLoginShellWithATerminal() {
		assertThat(argv(TerminalKind.SHELL, List.of(), false, false)).containsExactly("lxc", "exec", "box", "-t", "--",
				"su", "-", "ubuntu");
	}

	@Test
	void rootIsALoginBashInRootsHome() {
		assertThat(argv(TerminalKind.ROOT, List.of(), false, false)).containsExactly("lxc", "exec", "box", "-t",
				"--cwd", "/root", "--", "bash", "-l");
	}

	@Test
	void loginRunsPlainClaudeInTheHomeDirectoryAndSaysHowToFinish() {
		TerminalCommand login = this.terminals.command("box", TerminalKind.LOGIN, List.of(), false, false);
		assertThat(login.argv()).containsExactly("lxc", "exec", "box", "-t", "--cwd", "/home/ubuntu", "--env",
				"HOME=/home/ubuntu", "--env", "USER=ubuntu", "--env", "LOGNAME=ubuntu", "--", "setpriv", "--reuid=1000",
				"--regid=1000", "--init-groups", "--", "sh", "-c", SandboxShell.ENV_WRAPPER, "dilxc", "claude");
		assertThat(login.notice()).contains("OAuth").contains("/exit");
	}

	@Test
	void claudeSkipsPermissionsInTheProject() {
		assertThat(argv(TerminalKind.CLAUDE, List.of(), false, false))
			.isEqualTo(expected("-t", "claude", "--dangerously-skip-permissions"));
	}

	@Test
	void claudeResumeContinuesTheMostRecentSessionAndPicksOnlyWhenAsked() {
		assertThat(argv(TerminalKind.CLAUDE_RESUME, List.of(), false, false))
			.isEqualTo(expected("-t", "claude", "--dangerously-skip-permissions", "--continue"));
		assertThat(argv(TerminalKind.CLAUDE_RESUME, List.of(), true, false))
			.isEqualTo(expected("-t", "claude", "--dangerously-skip-permissions", "--resume"));
	}

	@Test
	void execPassesArgsAsArgvInTheProjectWithATerminalOnlyWhenTheClientHasOne() {
		List<String> args = List.of("sh", "-c", "echo \"$1\" | wc -c; exit 7", "x", "a b;$(rm -rf /)");
		assertThat(argv(TerminalKind.EXEC, args, false, true)).isEqualTo(expected("-t", args.toArray(String[]::new)));
		assertThat(argv(TerminalKind.EXEC, args, false, false)).isEqualTo(expected("-T", args.toArray(String[]::new)));
	}

	@Test
	void dockerRunsInTheProjectDirectory() {
		assertThat(argv(TerminalKind.DOCKER, List.of("compose", "ps"), false, false))
			.isEqualTo(expected("-T", "docker", "compose", "ps"));
		assertThat(argv(TerminalKind.DOCKER, List.of(), false, true)).isEqualTo(expected("-t", "docker"));
	}

	@Test
	void dockerLogsRunsTheLogsScriptInTheProject() {
		assertThat(argv(TerminalKind.DOCKER_LOGS, List.of(), false, false))
			.isEqualTo(expected("-T", "sh", "-c", TerminalCommands.DOCKER_LOGS_SCRIPT, "dilxc-logs"));
	}

	@Test
	void theLxdClientIsTheConfiguredOne() {
		TerminalCommands incus = new TerminalCommands(null, null, null, defaults(), () -> "/usr/bin/incus");
		assertThat(incus.command("box", TerminalKind.SHELL, List.of(), false, false).argv())
			.startsWith("/usr/bin/incus", "exec");
	}

	private List<String> argv(TerminalKind kind, List<String> args, boolean pick, boolean tty) {
		return this.terminals.command("box", kind, args, pick, tty).argv();
	}

	private static List<String> expected(String ttyFlag, String... command) {
		List<String> argv = new java.util.ArrayList<>(List.of("lxc", "exec", "box", ttyFlag));
		argv.addAll(AS_UBUNTU_IN_PROJECT);
		argv.addAll(List.of(command));
		return argv;
	}

}
