package dev.dilxc.client.sandboxes;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import dev.dilxc.api.CheckReport;
import dev.dilxc.api.CheckResult;
import dev.dilxc.api.OperationState;
import dev.dilxc.api.OperationView;
import dev.dilxc.api.ProxyView;
import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.testing.ClientTestbed;
import dev.dilxc.client.testing.FakeDaemon;
import dev.dilxc.client.testing.FakeDaemon.Response;
import dev.dilxc.client.testing.InProcessClient.Result;
import dev.dilxc.client.testing.Sandboxes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyAndCheckCommandsTests {

	private static final JsonMapper JSON = ClientCommands.jsonMapper();

	private static final CheckReport HEALTHY = Sandboxes.report("Health Check: web",
			new CheckResult("Network", true, "ok", null), new CheckResult("Docker", true, "", null),
			new CheckResult("Claude Code", true, "2.1.3 (Claude Code)", null));

	private static final CheckReport AILING = Sandboxes.report("Git & Forge Auth: web",
			new CheckResult("SSH agent", true, "ok (2 identities available)", null),
			new CheckResult("GitHub CLI", false, "NOT AUTHENTICATED", "Authenticate on the host: gh auth login"));

	@RegisterExtension
	final ClientTestbed testbed = new ClientTestbed();

	private JsonNode body() {
		return JSON.readTree(this.testbed.daemon().onlyRequest().body());
	}

	@Test
	void proxyAddSendsThePortsAndLocalhostByDefault() {
		this.testbed.routes()
			.json("POST /api/sandboxes/web/proxies", 201, new ProxyView("proxy-tcp-3000", "127.0.0.1", 3000, 3000));
		Result result = this.testbed.client().run("@web", "proxy", "add", "3000");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("Proxy added: 127.0.0.1:3000 → sandbox port 3000 (proxy-tcp-3000)\n");
		assertThat(result.err()).isEmpty();
		assertThat(body().get("containerPort").intValue()).isEqualTo(3000);
		assertThat(body().get("hostPort").isNull()).isTrue();
		assertThat(body().get("publicBind").booleanValue()).isFalse();
	}

	@Test
	void proxyAddPublicWarnsThatThePortIsOpenToTheNetwork() {
		this.testbed.routes()
			.json("POST /api/sandboxes/docker-lxc/proxies", 201,
					new ProxyView("proxy-tcp-9090", "0.0.0.0", 9090, 8080));
		Result result = this.testbed.client().run("proxy", "add", "8080", "9090", "--public");
		assertThat(result.exitCode()).isZero();
		assertThat(body().get("hostPort").intValue()).isEqualTo(9090);
		assertThat(body().get("publicBind").booleanValue()).isTrue();
		assertThat(result.err()).contains("listens on all host interfaces");
	}

	@Test
	void proxyAddRefusesBadPortsIncludingLeadingZeros() {
		for (String port : List.of("0", "65536", "08", "010", "-1", "abc", "")) {
			Result result = this.testbed.client().run("proxy", "add", "--", port);
			assertThat(result.exitCode()).as(port).isEqualTo(ExitCodes.BAD_INPUT);
			assertThat(result.err()).as(port)
				.isEqualTo(
						"dilxc-client: invalid container port '" + port + "': must be a number between 1 and 65535\n");
		}
		assertThat(this.testbed.client().run("proxy", "add", "80", "99999").err())
			.contains("invalid host port '99999'");
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void proxyAddOfATakenPortIsAConflict() {
		this.testbed.routes()
			.on("POST /api/sandboxes/docker-lxc/proxies",
					Response.problem(409, "conflict", "host port 3000 is already proxied (device: proxy-tcp-3000)"));
		Result result = this.testbed.client().run("proxy", "add", "3000");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFLICT);
		assertThat(result.err())
			.isEqualTo("dilxc-client: host port 3000 is already proxied (device: proxy-tcp-3000)\n");
	}

	@Test
	void proxyListPrintsATableAndLsIsTheSame() {
		this.testbed.routes()
			.json("GET /api/sandboxes/docker-lxc/proxies", 200,
					List.of(new ProxyView("proxy-tcp-3000", "127.0.0.1", 3000, 3000),
							new ProxyView("proxy-tcp-9090", "0.0.0.0", 9090, 8080)));
		String table = """
				HOST            CONTAINER  DEVICE
				127.0.0.1:3000  3000       proxy-tcp-3000
				0.0.0.0:9090    8080       proxy-tcp-9090
				""";
		assertThat(this.testbed.client().run("proxy", "list").out()).isEqualTo(table);
		assertThat(this.testbed.client().run("proxy", "ls").out()).isEqualTo(table);
		assertThat(JSON.readValue(this.testbed.client().run("proxy", "list", "--json").out(), ProxyView[].class))
			.hasSize(2);
	}

	@Test
	void proxiesInAClusterSayWhichMembersHostListens() {
		ProxyView onMember2 = new ProxyView("proxy-tcp-8080", "127.0.0.1", 8080, 3000, "member2", "10.42.0.12");
		this.testbed.routes().json("POST /api/sandboxes/web/proxies", 201, onMember2);
		this.testbed.routes()
			.json("GET /api/sandboxes/web/proxies", 200,
					List.of(onMember2, new ProxyView("proxy-tcp-9090", "0.0.0.0", 9090, 8080, "member2", null)));

		Result added = this.testbed.client().run("@web", "proxy", "add", "3000", "8080");
		Result listed = this.testbed.client().run("@web", "proxy", "list");

		assertThat(added.out())
			.isEqualTo("Proxy added: 127.0.0.1:8080 on member2 (10.42.0.12) → sandbox port 3000 (proxy-tcp-8080)\n");
		assertThat(listed.out()).isEqualTo("""
				HOST                                    CONTAINER  DEVICE
				127.0.0.1:8080 on member2 (10.42.0.12)  3000       proxy-tcp-8080
				0.0.0.0:9090 on member2                 8080       proxy-tcp-9090
				""");
		assertThat(
				JSON.readValue(this.testbed.client().run("@web", "proxy", "list", "--json").out(), ProxyView[].class))
			.extracting(ProxyView::memberAddress)
			.containsExactly("10.42.0.12", null);
	}

	@Test
	void proxyHelpSaysWhereProxiesListenInACluster() {
		assertThat(this.testbed.client().run("proxy", "help").out())
			.contains("In an LXD or Incus cluster it listens on the host of the member that holds the sandbox,");
	}

	@Test
	void proxyListWhenNoneSaysSo() {
		this.testbed.routes().json("GET /api/sandboxes/docker-lxc/proxies", 200, List.of());
		assertThat(this.testbed.client().run("proxy", "list").out())
			.isEqualTo("no port proxies on sandbox 'docker-lxc'\n");
	}

	@Test
	void proxyRmRemovesOneOrAll() {
		this.testbed.routes().noContent("DELETE /api/sandboxes/docker-lxc/proxies/3000");
		this.testbed.routes()
			.json("DELETE /api/sandboxes/docker-lxc/proxies", 200,
					List.of(new ProxyView("proxy-tcp-3000", "127.0.0.1", 3000, 3000),
							new ProxyView("proxy-tcp-9090", "0.0.0.0", 9090, 8080)));
		assertThat(this.testbed.client().run("proxy", "rm", "3000").out()).isEqualTo("Proxy removed: proxy-tcp-3000\n");
		assertThat(this.testbed.client().run("proxy", "rm", "all").out())
			.isEqualTo("Removed 2 proxies: proxy-tcp-3000, proxy-tcp-9090\n");
		assertThat(this.testbed.daemon().requests()).extracting(r -> r.method() + " " + r.target())
			.containsExactly("DELETE /api/sandboxes/docker-lxc/proxies/3000",
					"DELETE /api/sandboxes/docker-lxc/proxies");
	}

	@Test
	void proxyRmOfAnUnknownPortIsNotFound() {
		this.testbed.routes()
			.on("DELETE /api/sandboxes/docker-lxc/proxies/4000",
					Response.problem(404, "not-found", "no proxy found for host port 4000"));
		Result result = this.testbed.client().run("proxy", "rm", "4000");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
		assertThat(result.err()).isEqualTo("dilxc-client: no proxy found for host port 4000\n");
	}

	@Test
	void proxyAloneOrHelpPrintsItsUsageAndUnknownActionsAreBadInput() {
		Result alone = this.testbed.client().run("proxy");
		assertThat(alone.exitCode()).isZero();
		assertThat(alone.out()).startsWith("Usage: dilxc-client proxy add CONTAINER_PORT [HOST_PORT] [--public]");
		assertThat(this.testbed.client().run("proxy", "help").out()).isEqualTo(alone.out());
		assertThat(this.testbed.client().run("proxy", "--help").out()).isEqualTo(alone.out());
		Result unknown = this.testbed.client().run("proxy", "open", "3000");
		assertThat(unknown.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(unknown.err()).contains("unknown proxy action 'open'");
		assertThat(this.testbed.client().run("proxy", "list", "--public").exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void healthCheckPrintsAlignedChecksAndExits0WhenAllPass() {
		this.testbed.routes().json("GET /api/sandboxes/web/health", 200, HEALTHY);
		Result result = this.testbed.client().run("@web", "health-check");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("""
				=== Health Check: web ===
				  Network:      ok
				  Docker:       ok
				  Claude Code:  ok (2.1.3 (Claude Code))

				All checks passed.
				""");
	}

	@Test
	void healthIsAnAliasOfHealthCheck() {
		this.testbed.routes().json("GET /api/sandboxes/docker-lxc/health", 200, HEALTHY);
		assertThat(this.testbed.client().run("health").exitCode()).isZero();
		assertThat(this.testbed.daemon().onlyRequest().target()).isEqualTo("/api/sandboxes/docker-lxc/health");
	}

	@Test
	void gitAuthSendsTheHostAuthPrintsTheFixAndExits1WhenACheckFails() throws IOException {
		Files.createDirectories(this.testbed.dir().resolve("home/.config/gh"));
		this.testbed.routes().json("POST /api/sandboxes/docker-lxc/git-auth", 200, AILING);
		Result result = this.testbed.client()
			.home(this.testbed.dir().resolve("home"))
			.env("SSH_AUTH_SOCK", "/run/a.sock")
			.run("git-auth");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
		assertThat(result.out()).isEqualTo("""
				=== Git & Forge Auth: web ===
				  SSH agent:   ok (2 identities available)
				  GitHub CLI:  FAILED NOT AUTHENTICATED
				    → Authenticate on the host: gh auth login

				Some checks failed.
				""");
		assertThat(result.err()).isEqualTo("dilxc-client: 1 of 2 checks failed\n");
		assertThat(body().get("sshAuthSock").stringValue()).isEqualTo("/run/a.sock");
		assertThat(body().get("ghConfigDir").stringValue())
			.isEqualTo(this.testbed.dir().resolve("home/.config/gh").toString());
	}

	@Test
	void checksJsonPrintsTheReportAndStillExitsWithTheOutcome() {
		this.testbed.routes().json("POST /api/sandboxes/docker-lxc/git-auth", 200, AILING);
		Result result = this.testbed.client().run("git-auth", "--json");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
		assertThat(JSON.readValue(result.out(), CheckReport.class)).isEqualTo(AILING);
	}

	@Test
	void doctorChecksTheSelectedSandboxOnlyWhenOneIsSelected() {
		this.testbed.routes().json("GET /api/doctor", 200, HEALTHY);
		assertThat(this.testbed.client().run("doctor").exitCode()).isZero();
		assertThat(this.testbed.client().run("@web", "doctor").exitCode()).isZero();
		assertThat(this.testbed.daemon().requests()).extracting(FakeDaemon.Request::target)
			.containsExactly("/api/doctor", "/api/doctor?sandbox=web");
	}

	@Test
	void updateFollowsTheOperationAndSaysWhenDone() {
		OperationView done = Sandboxes.operation(9, "update", "docker-lxc", OperationState.SUCCEEDED, null);
		this.testbed.routes()
			.json("POST /api/sandboxes/docker-lxc/update", 202,
					Sandboxes.operation(9, "update", "docker-lxc", OperationState.RUNNING, null));
		this.testbed.routes()
			.on("GET /api/operations/9/events", Response.json(200,
					JSON.writeValueAsString(Sandboxes.events(done, Sandboxes.step(1, 1, 1, "Updating Claude Code..."),
							new dev.dilxc.api.OperationEvent(2, Sandboxes.CREATED, "warning", null, null,
									"no ssh-agent on the host")))),
					Response.json(200, JSON.writeValueAsString(Sandboxes.events(done))));
		Result result = this.testbed.client().env("SSH_AUTH_SOCK", "/run/a.sock").run("update");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("""
				[1/1] Updating Claude Code...
				  Warning: no ssh-agent on the host
				Sandbox 'docker-lxc' updated
				""");
		assertThat(JSON.readTree(this.testbed.daemon().requests().getFirst().body()).get("sshAuthSock").stringValue())
			.isEqualTo("/run/a.sock");
	}

}
