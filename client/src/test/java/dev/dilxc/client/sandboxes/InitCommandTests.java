package dev.dilxc.client.sandboxes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.dilxc.api.OperationState;
import dev.dilxc.api.OperationView;
import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.testing.ClientTestbed;
import dev.dilxc.client.testing.FakeDaemon;
import dev.dilxc.client.testing.FakeDaemon.Response;
import dev.dilxc.client.testing.InProcessClient.Result;
import dev.dilxc.client.testing.Sandboxes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class InitCommandTests {

	private static final JsonMapper JSON = ClientCommands.jsonMapper();

	private static final String SECRET = "sk-ant-secret-0123456789";

	@RegisterExtension
	final ClientTestbed testbed = new ClientTestbed();

	private Path project;

	@BeforeEach
	void projectAndHomeDirectories() throws IOException {
		this.project = Files.createDirectories(this.testbed.dir().resolve("work/proj"));
		Files.createDirectories(this.testbed.dir().resolve("work/www"));
		this.testbed.client()
			.workingDirectory(this.testbed.dir().resolve("work"))
			.home(Files.createDirectories(this.testbed.dir().resolve("home")));
	}

	private void operationSucceeds(String sandbox) {
		OperationView running = Sandboxes.operation(5, "init", sandbox, OperationState.RUNNING, null);
		OperationView done = Sandboxes.operation(5, "init", sandbox, OperationState.SUCCEEDED, null);
		this.testbed.routes().json("POST /api/sandboxes", 202, running);
		this.testbed.routes()
			.on("GET /api/operations/5/events",
					json(Sandboxes.events(running, Sandboxes.step(1, 1, 2, "Creating container..."),
							Sandboxes.line(2, "Creating web"))),
					json(Sandboxes.events(running)),
					json(Sandboxes.events(done, Sandboxes.step(3, 2, 2, "Taking clean baseline snapshot..."),
							Sandboxes.line(4, "Snapshot 'clean-baseline' created"))),
					json(Sandboxes.events(done)));
	}

	private static Response json(Object body) {
		return Response.json(200, JSON.writeValueAsString(body));
	}

	private JsonNode initBody() {
		return JSON.readTree(this.testbed.daemon().requests().getFirst().body());
	}

	@Test
	void initSendsAbsolutePathsShortOptionsAndLimitsThenFollowsTheOperation() {
		operationSucceeds("web");
		Result result = this.testbed.client()
			.run("init", "-p", "proj", "-n", "web", "-d", "./www/", "--image", "dilxc-golden", "--fish", "--cpu", "2",
					"--memory", "8GiB");
		assertThat(result.exitCode()).as(result.err()).isZero();
		JsonNode body = initBody();
		assertThat(this.testbed.daemon().requests().getFirst().target()).isEqualTo("/api/sandboxes");
		assertThat(body.get("name").stringValue()).isEqualTo("web");
		assertThat(body.get("projectPath").stringValue()).isEqualTo(this.project.toString());
		assertThat(body.get("deployPath").stringValue()).isEqualTo(this.testbed.dir().resolve("work/www").toString());
		assertThat(body.get("image").stringValue()).isEqualTo("dilxc-golden");
		assertThat(body.get("fish").booleanValue()).isTrue();
		assertThat(body.get("cpu").intValue()).isEqualTo(2);
		assertThat(body.get("memory").stringValue()).isEqualTo("8GiB");
		assertThat(body.get("credentials").isNull()).isTrue();
		assertThat(body.get("customProvisionScript").isNull()).isTrue();
		assertThat(body.get("target").isNull()).isTrue();
		assertThat(result.out()).startsWith("""
				[1/2] Creating container...
				  Creating web
				[2/2] Taking clean baseline snapshot...
				  Snapshot 'clean-baseline' created
				Created %s

				Sandbox 'web' is ready.
				No ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN was set""".formatted(this.project.resolve(".dilxc")));
		assertThat(result.out()).contains("Quick reference", "dilxc-client claude-run \"prompt\"");
		assertThat(result.err()).startsWith("init of sandbox 'web' runs in the daemon as operation 5;");
		assertThat(this.project.resolve(".dilxc")).hasContent("web");
		assertThat(this.testbed.daemon().requests()).extracting(FakeDaemon.Request::target)
			.contains("/api/operations/5/events?after=0", "/api/operations/5/events?after=2",
					"/api/operations/5/events?after=4");
	}

	@Test
	void initSendsTheClusterMemberOrGroupToPlaceTheSandboxOn() {
		operationSucceeds("web");
		Result member = this.testbed.client().run("init", "-p", "proj", "-n", "web", "--target", "member2");
		assertThat(member.exitCode()).as(member.err()).isZero();
		assertThat(initBody().get("target").stringValue()).isEqualTo("member2");

		operationSucceeds("web");
		Result group = this.testbed.client().run("init", "-p", "proj", "-n", "web", "--target", "@gpu");
		assertThat(group.exitCode()).as(group.err()).isZero();
		assertThat(JSON
			.readTree(this.testbed.daemon()
				.requests()
				.stream()
				.filter((request) -> request.target().equals("/api/sandboxes"))
				.toList()
				.getLast()
				.body())
			.get("target")
			.stringValue()).isEqualTo("@gpu");
	}

	@Test
	void initHelpSaysTheTargetPlacesOnlyANewSandbox() {
		String help = this.testbed.client().run("help", "init").out();
		assertThat(help).contains("--target MEMBER", "in an LXD or Incus cluster, create it on this member (or @GROUP)",
				"--target places a new sandbox only: for an existing one it is ignored (it stays where it is).");
	}

	@Test
	void initTakesTheCredentialsFromTheEnvironmentIntoTheBodyAndNeverPrintsThem() {
		operationSucceeds("docker-lxc");
		Result result = this.testbed.client()
			.env("ANTHROPIC_API_KEY", SECRET)
			.env("CLAUDE_CODE_OAUTH_TOKEN", "oauth-" + SECRET)
			.run("init", "--project", this.project.toString());
		assertThat(result.exitCode()).isZero();
		JsonNode credentials = initBody().get("credentials");
		assertThat(credentials.get("anthropicApiKey").stringValue()).isEqualTo(SECRET);
		assertThat(credentials.get("claudeCodeOauthToken").stringValue()).isEqualTo("oauth-" + SECRET);
		assertThat(result.out()).doesNotContain(SECRET).doesNotContain("No ANTHROPIC_API_KEY");
		assertThat(result.err()).doesNotContain(SECRET);
		assertThat(this.testbed.daemon().requests().getFirst().target()).doesNotContain(SECRET);
	}

	@Test
	void initSendsTheCustomProvisionScriptAndTheHostAuth() throws IOException {
		operationSucceeds("docker-lxc");
		Path config = this.testbed.dir().resolve("xdg");
		Files.createDirectories(config.resolve("dilxc"));
		Files.writeString(config.resolve("dilxc/custom-provision.sh"), "#!/bin/bash\napt-get install -y cowsay\n");
		Files.createDirectories(config.resolve("gh"));
		Result result = this.testbed.client()
			.env("XDG_CONFIG_HOME", config.toString())
			.env("SSH_AUTH_SOCK", "/tmp/ssh-XYZ/agent.1")
			.run("init", "-p", "proj");
		assertThat(result.exitCode()).isZero();
		JsonNode body = initBody();
		assertThat(body.get("customProvisionScript").stringValue())
			.isEqualTo("#!/bin/bash\napt-get install -y cowsay\n");
		assertThat(body.get("hostAuth").get("sshAuthSock").stringValue()).isEqualTo("/tmp/ssh-XYZ/agent.1");
		assertThat(body.get("hostAuth").get("ghConfigDir").stringValue()).isEqualTo(config.resolve("gh").toString());
	}

	@Test
	void initOnAReRunTakesTheNameFromTheProjectsPointer() throws IOException {
		Files.writeString(this.project.resolve(".dilxc"), "kept\n");
		operationSucceeds("kept");
		Result result = this.testbed.client().run("init", "-p", this.project.toString());
		assertThat(result.exitCode()).isZero();
		assertThat(initBody().get("name").stringValue()).isEqualTo("kept");
		assertThat(result.out()).doesNotContain("Created ");
	}

	@Test
	void initWhenThePointerCannotBeWrittenWarnsAndSucceeds() throws IOException {
		// a directory where the file should go: unwritable even for root
		Files.createDirectories(this.project.resolve(".dilxc"));
		operationSucceeds("web");
		Result result = this.testbed.client().run("init", "-p", "proj", "-n", "web");
		assertThat(result.exitCode()).isZero();
		assertThat(result.err()).contains("Warning: could not write " + this.project.resolve(".dilxc"))
			.contains("use @web or DILXC_CONTAINER=web");
		assertThat(result.out()).contains("Sandbox 'web' is ready.");
	}

	@Test
	void initWhenTheOperationFailsExits1WithItsErrorAndWritesNoPointer() {
		OperationView running = Sandboxes.operation(6, "init", "web", OperationState.RUNNING, null);
		OperationView failed = Sandboxes.operation(6, "init", "web", OperationState.FAILED,
				"provisioning failed: apt-get exited with 100");
		this.testbed.routes().json("POST /api/sandboxes", 202, running);
		this.testbed.routes()
			.on("GET /api/operations/6/events", json(
					Sandboxes.events(failed, Sandboxes.step(1, 6, 8, "Provisioning..."), Sandboxes.line(2, "E: boom"))),
					json(Sandboxes.events(failed)));
		Result result = this.testbed.client().run("init", "-p", "proj", "-n", "web");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
		assertThat(result.out()).isEqualTo("[6/8] Provisioning...\n  E: boom\n");
		assertThat(result.err())
			.endsWith("dilxc-client: init of sandbox 'web' failed: provisioning failed: apt-get exited with 100\n");
		assertThat(this.project.resolve(".dilxc")).doesNotExist();
	}

	@Test
	void onATerminalOutputRunsThroughOneLiveProgressLineAndStepsStay() {
		operationSucceeds("web");
		Result result = this.testbed.client()
			.terminal(true)
			.env("COLUMNS", "100")
			.run("init", "-p", "proj", "-n", "web");
		assertThat(result.exitCode()).as(result.err()).isZero();
		String clear = "\r\u001b[2K";
		assertThat(result.out())
			.startsWith("[1/2] Creating container...\n" + clear + "⠋ [....................] 1/2  0s" + clear
					+ "⠋ [....................] 1/2  0s  Creating web")
			.contains(clear + "⠙ [....................] 1/2  0s  Creating web")
			.contains(clear + "[2/2] Taking clean baseline snapshot...\n" + clear + "⠙ [##########..........] 2/2  0s"
					+ clear + "⠙ [##########..........] 2/2  0s  Snapshot 'clean-baseline' created" + clear
					+ "Created ")
			.contains("Sandbox 'web' is ready.");
		assertThat(result.out().lines().filter((line) -> line.startsWith("  Creating web")))
			.as("output lines are not kept")
			.isEmpty();
	}

	@Test
	void onATerminalAFailedStepShowsItsLastOutputLines() {
		OperationView running = Sandboxes.operation(6, "init", "web", OperationState.RUNNING, null);
		OperationView failed = Sandboxes.operation(6, "init", "web", OperationState.FAILED, "apt-get exited with 100");
		this.testbed.routes().json("POST /api/sandboxes", 202, running);
		this.testbed.routes()
			.on("GET /api/operations/6/events", json(
					Sandboxes.events(failed, Sandboxes.step(1, 6, 8, "Provisioning..."), Sandboxes.line(2, "E: boom"))),
					json(Sandboxes.events(failed)));
		Result result = this.testbed.client().terminal(true).run("init", "-p", "proj", "-n", "web");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
		assertThat(result.out()).endsWith("\r\u001b[2K  (last output of the step)\n  E: boom\n");
	}

	@Test
	void withTermDumbATerminalGetsPlainLines() {
		operationSucceeds("web");
		Result result = this.testbed.client().terminal(true).env("TERM", "dumb").run("init", "-p", "proj", "-n", "web");
		assertThat(result.out()).startsWith("[1/2] Creating container...\n  Creating web\n[2/2]")
			.doesNotContain("\u001b[");
	}

	@Test
	void initWhenTheProjectIsMissingIsBadInputBeforeAnythingIsAsked() {
		Result result = this.testbed.client().run("init", "-p", "nope");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).isEqualTo("dilxc-client: project path " + this.testbed.dir().resolve("work/nope")
				+ " does not exist; create it or fix the path\n");
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void initWithoutAProjectOrWithABadDeployIsBadInput() {
		assertThat(this.testbed.client().run("init").err())
			.isEqualTo("dilxc-client: missing project: dilxc-client init -p /path/to/project\n");
		Result deploy = this.testbed.client().run("init", "-p", "proj", "-d", "/nonexistent/deploy");
		assertThat(deploy.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(deploy.err()).contains("deploy path /nonexistent/deploy does not exist");
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void initRefusesBadNamesSizesAndCounts() {
		assertThat(this.testbed.client().run("init", "-p", "proj", "-n", "1st").err())
			.contains("bad sandbox name '1st' from --name");
		assertThat(this.testbed.client().run("init", "-p", "proj", "--memory", "lots").err())
			.contains("invalid --memory 'lots': use a size like 8GiB");
		assertThat(this.testbed.client().run("init", "-p", "proj", "--cpu", "0").err())
			.contains("--cpu must be a whole number");
		assertThat(this.testbed.client().run("@a", "init", "-p", "proj", "-n", "b").err())
			.contains("two names: @a and --name b");
		for (String target : new String[] { "", "@", "member 2", "../member2", "-x" }) {
			Result result = this.testbed.client().run("init", "-p", "proj", "--target=" + target);
			assertThat(result.exitCode()).as(target).isEqualTo(ExitCodes.BAD_INPUT);
			assertThat(result.err()).as(target)
				.isEqualTo("dilxc-client: invalid --target '" + target
						+ "': give a cluster member's name (see 'lxc cluster list'), or @GROUP for a cluster group\n");
		}
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

}
