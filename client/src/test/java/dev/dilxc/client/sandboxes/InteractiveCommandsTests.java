package dev.dilxc.client.sandboxes;

import java.util.List;

import dev.dilxc.api.TerminalCommand;
import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.testing.ClientTestbed;
import dev.dilxc.client.testing.FakeDaemon;
import dev.dilxc.client.testing.InProcessClient.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class InteractiveCommandsTests {

	private static final JsonMapper JSON = ClientCommands.jsonMapper();

	@RegisterExtension
	final ClientTestbed testbed = new ClientTestbed();

	/** The daemon answers with a real host command line that exits with {@code code}. */
	private void terminalExits(String sandbox, int code, String notice) {
		this.testbed.routes()
			.json("POST /api/sandboxes/" + sandbox + "/terminal", 200,
					new TerminalCommand(List.of("sh", "-c", "exit " + code), notice));
	}

	private JsonNode terminalRequest() {
		return JSON.readTree(this.testbed.daemon().onlyRequest().body());
	}

	@Test
	void shellRunsTheReturnedCommandAndExitsWithItsCode() {
		terminalExits("docker-lxc", 7, null);
		Result result = this.testbed.client().run("shell");
		assertThat(result.exitCode()).isEqualTo(7);
		assertThat(result.err()).isEmpty();
		JsonNode request = terminalRequest();
		assertThat(request.get("kind").stringValue()).isEqualTo("SHELL");
		assertThat(request.get("args").isEmpty()).isTrue();
		assertThat(request.get("pick").booleanValue()).isFalse();
		assertThat(request.get("tty").booleanValue()).isFalse();
	}

	@Test
	void terminalRequestSaysWhetherThisIsATerminalAndCarriesTheHostAuth() {
		terminalExits("web", 0, null);
		Result result = this.testbed.client()
			.terminal(true)
			.env("SSH_AUTH_SOCK", "/run/agent.sock")
			.run("@web", "claude");
		assertThat(result.exitCode()).isZero();
		JsonNode request = terminalRequest();
		assertThat(request.get("kind").stringValue()).isEqualTo("CLAUDE");
		assertThat(request.get("tty").booleanValue()).isTrue();
		assertThat(request.get("hostAuth").get("sshAuthSock").stringValue()).isEqualTo("/run/agent.sock");
	}

	@Test
	void loginPrintsTheNoticeOnStderrFirst() {
		terminalExits("docker-lxc", 0, "Complete the OAuth flow in your browser, then exit with /exit.");
		Result result = this.testbed.client().run("login");
		assertThat(result.exitCode()).isZero();
		assertThat(result.err()).isEqualTo("Complete the OAuth flow in your browser, then exit with /exit.\n");
		assertThat(terminalRequest().get("kind").stringValue()).isEqualTo("LOGIN");
	}

	@Test
	void rootAndClaudeResumeAskForTheirKinds() {
		terminalExits("docker-lxc", 0, null);
		this.testbed.client().run("root");
		this.testbed.client().run("claude-resume");
		this.testbed.client().run("claude-resume", "--pick");
		assertThat(this.testbed.daemon().requests()).extracting(r -> JSON.readTree(r.body()))
			.extracting(body -> body.get("kind").stringValue() + " pick=" + body.get("pick").booleanValue())
			.containsExactly("ROOT pick=false", "CLAUDE_RESUME pick=false", "CLAUDE_RESUME pick=true");
	}

	@Test
	void execPassesEveryWordVerbatimIncludingOptionsAndDashes() {
		terminalExits("docker-lxc", 3, null);
		Result result = this.testbed.client().run("exec", "ls", "-la", "--help", "--", "a b", "$(id)", "");
		assertThat(result.exitCode()).isEqualTo(3);
		JsonNode request = terminalRequest();
		assertThat(request.get("kind").stringValue()).isEqualTo("EXEC");
		assertThat(request.get("args").values()).extracting(JsonNode::stringValue)
			.containsExactly("ls", "-la", "--help", "--", "a b", "$(id)", "");
	}

	@Test
	void dockerPassesItsArgumentsVerbatimToTheSelectedSandbox() {
		terminalExits("web", 0, null);
		Result result = this.testbed.client().run("@web", "docker", "compose", "up", "-d");
		assertThat(result.exitCode()).isZero();
		JsonNode request = terminalRequest();
		assertThat(request.get("kind").stringValue()).isEqualTo("DOCKER");
		assertThat(request.get("args").values()).extracting(JsonNode::stringValue)
			.containsExactly("compose", "up", "-d");
	}

	@Test
	void logsWithoutAJobIdFollowsTheProjectsDockerLogs() {
		terminalExits("docker-lxc", 130, null);
		Result result = this.testbed.client().run("logs");
		assertThat(result.exitCode()).isEqualTo(130);
		assertThat(terminalRequest().get("kind").stringValue()).isEqualTo("DOCKER_LOGS");
	}

	@Test
	void execWithoutACommandIsBadInput() {
		Result result = this.testbed.client().run("exec");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).startsWith("dilxc-client: missing command: dilxc-client exec CMD");
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void shellTakesNoArguments() {
		Result result = this.testbed.client().run("shell", "extra");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void whenTheReturnedProgramIsMissingTheClientSaysSo() {
		this.testbed.routes()
			.json("POST /api/sandboxes/docker-lxc/terminal", 200,
					new TerminalCommand(List.of("/nonexistent/lxc", "exec", "x"), null));
		Result result = this.testbed.client().run("shell");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.INTERNAL_ERROR);
		assertThat(result.err()).startsWith("dilxc-client: cannot run '/nonexistent/lxc': ")
			.contains("is the LXD client installed");
	}

	@Test
	void whenTheSandboxIsStoppedTheDaemonsHintIsShownWithExitConflict() {
		this.testbed.routes()
			.on("POST /api/sandboxes/docker-lxc/terminal", FakeDaemon.Response.problem(409, "sandbox-not-running",
					"sandbox 'docker-lxc' is stopped (not running): start it with 'dilxc-client @docker-lxc start'"));
		Result result = this.testbed.client().run("shell");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFLICT);
		assertThat(result.err()).isEqualTo("dilxc-client: sandbox 'docker-lxc' is stopped (not running): "
				+ "start it with 'dilxc-client @docker-lxc start'\n");
	}

	@Test
	void interactiveShellTakesAnAtNamePerLineAndReportsANonZeroExit() throws Exception {
		terminalExits("web", 4, null);
		this.testbed.routes()
			.json("POST /api/sandboxes/api/start", 200, dev.dilxc.client.testing.Sandboxes.running("api"));
		Result result = this.testbed.client().shell("@web shell\n@api start\n");
		assertThat(this.testbed.daemon().requests()).extracting(FakeDaemon.Request::target)
			.containsExactly("/api/sandboxes/web/terminal", "/api/sandboxes/api/start");
		assertThat(result.out()).contains("Error while executing command shell: it exited non-zero")
			.contains("Sandbox 'api' started (RUNNING)");
	}

}
