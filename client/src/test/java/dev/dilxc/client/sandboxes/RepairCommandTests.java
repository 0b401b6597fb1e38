package dev.dilxc.client.sandboxes;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import dev.dilxc.api.RepairResult;
import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.testing.ClientTestbed;
import dev.dilxc.client.testing.FakeDaemon;
import dev.dilxc.client.testing.FakeDaemon.Response;
import dev.dilxc.client.testing.InProcessClient.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code repair [--force] [--json]} against the fake daemon: what it posts, prints and
 * exits with.
 */
class RepairCommandTests {

	private static final JsonMapper JSON = ClientCommands.jsonMapper();

	private static final String FAILED_AGAIN = "repairing sandbox 'web' failed: Error: Instance is busy; it stays "
			+ "quarantined and the daemon retries. Fix the cause and run 'dilxc-client repair @web' again, or, after "
			+ "looking at it ('dilxc-client @web shell'), release it as it is with 'dilxc-client repair @web --force'";

	@RegisterExtension
	final ClientTestbed testbed = new ClientTestbed();

	@Test
	void repairRetriesTheDefaultSandboxNowAndPrintsWhatItDid() {
		this.testbed.routes()
			.json("POST /api/sandboxes/docker-lxc/repair", 200, new RepairResult("docker-lxc", true,
					List.of("no process of job 12 was left", "restored to dilxc-job-12")));
		Result result = this.testbed.client().run("repair");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out())
			.isEqualTo("Sandbox 'docker-lxc' repaired: no process of job 12 was left; restored to dilxc-job-12\n");
		assertThat(result.err()).isEqualTo("Repairing sandbox 'docker-lxc'...\n");
		FakeDaemon.Request request = this.testbed.daemon().onlyRequest();
		assertThat(request.method()).isEqualTo("POST");
		assertThat(JSON.readTree(request.body()).get("force").asBoolean()).isFalse();
	}

	@Test
	void forceReleasesTheAtNamedSandboxAsItWas() {
		this.testbed.routes()
			.json("POST /api/sandboxes/web/repair", 200,
					new RepairResult("web", true, List.of("released by hand; the sandbox was left as it was")));
		Result result = this.testbed.client().run("@web", "repair", "--force");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("Sandbox 'web' released from quarantine as it was\n");
		assertThat(result.err()).isEmpty();
		assertThat(JSON.readTree(this.testbed.daemon().onlyRequest().body()).get("force").asBoolean()).isTrue();
	}

	@Test
	void repairUsesThePointerFileOfTheCurrentDirectory() throws IOException {
		Files.writeString(this.testbed.dir().resolve(".dilxc"), "proj-box\n");
		this.testbed.routes()
			.json("POST /api/sandboxes/proj-box/repair", 200, new RepairResult("proj-box", true, List.of()));
		Result result = this.testbed.client().run("repair");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("Sandbox 'proj-box' repaired\n");
		assertThat(this.testbed.daemon().onlyRequest().target()).isEqualTo("/api/sandboxes/proj-box/repair");
	}

	@Test
	void jsonPrintsTheResultAndNothingElse() {
		RepairResult repaired = new RepairResult("web", true, List.of("no process of job 3 was left"));
		this.testbed.routes().json("POST /api/sandboxes/web/repair", 200, repaired);
		Result result = this.testbed.client().run("@web", "repair", "--json");
		assertThat(result.exitCode()).isZero();
		assertThat(result.err()).isEmpty();
		assertThat(JSON.readValue(result.out(), RepairResult.class)).isEqualTo(repaired);
	}

	@Test
	void aRepairThatFailsAgainIsAConflictWithTheDaemonsWayOut() {
		this.testbed.routes()
			.on("POST /api/sandboxes/web/repair", Response.problem(409, "sandbox-quarantined", FAILED_AGAIN));
		Result result = this.testbed.client().run("@web", "repair");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFLICT);
		assertThat(result.out()).isEmpty();
		assertThat(result.err()).isEqualTo("Repairing sandbox 'web'...\ndilxc-client: " + FAILED_AGAIN + "\n");
	}

	@Test
	void aSandboxThatIsNotQuarantinedOrIsBusyIsAConflict() {
		this.testbed.routes()
			.on("POST /api/sandboxes/web/repair",
					Response.problem(409, "conflict", "sandbox 'web' is not quarantined: there is nothing to repair"));
		Result notQuarantined = this.testbed.client().run("@web", "repair", "--force");
		assertThat(notQuarantined.exitCode()).isEqualTo(ExitCodes.CONFLICT);
		assertThat(notQuarantined.err())
			.isEqualTo("dilxc-client: sandbox 'web' is not quarantined: there is nothing to repair\n");
		this.testbed.routes()
			.on("POST /api/sandboxes/web/repair",
					Response.problem(409, "sandbox-busy", "sandbox 'web' is busy: a restore is in progress"));
		assertThat(this.testbed.client().run("@web", "repair").exitCode()).isEqualTo(ExitCodes.CONFLICT);
	}

	@Test
	void aMissingSandboxIsNotFound() {
		this.testbed.routes()
			.on("POST /api/sandboxes/ghost/repair",
					Response.problem(404, "sandbox-not-found", "sandbox 'ghost' does not exist"));
		Result result = this.testbed.client().run("@ghost", "repair");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
	}

	@Test
	void argumentsAreBadInputAndNothingIsSent() {
		Result result = this.testbed.client().run("repair", "web");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).isEqualTo("dilxc-client: 'repair' takes no arguments, got: web\n");
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void helpListsRepairUnderChecksAndMaintenanceAndExplainsForce() {
		String help = this.testbed.client().run("help").out();
		assertThat(help.substring(help.indexOf("Checks & maintenance:"))).containsPattern("(?m)^  repair +Retry");
		assertThat(this.testbed.client().run("repair", "--help").out())
			.startsWith("Usage: dilxc-client repair [--force] [--json]")
			.contains("--force", "release it from quarantine as it is", "Exit 4 if the repair fails again");
	}

}
