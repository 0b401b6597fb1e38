package dev.dilxc.client.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

import dev.dilxc.api.JobState;
import dev.dilxc.api.OutputLine;
import dev.dilxc.api.OutputPage;
import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.testing.ClientTestbed;
import dev.dilxc.client.testing.FakeDaemon.Response;
import dev.dilxc.client.testing.InProcessClient.Result;
import dev.dilxc.client.testing.Jobs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ClaudeRunCommandTests {

	private static final JsonMapper JSON = ClientCommands.jsonMapper();

	@RegisterExtension
	final ClientTestbed testbed = new ClientTestbed();

	@BeforeEach
	void job8SaysDoneThenSucceeds() throws IOException {
		this.testbed.routes().json("POST /api/jobs", 201, Jobs.queued(8, "x"));
		String text = "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"Done.\"}]}}";
		this.testbed.routes()
			.on("GET /api/jobs/8/output",
					Response.json(200,
							JSON.writeValueAsString(new OutputPage(8,
									List.of(new OutputLine(1, Instant.parse("2026-11-27T09:00:00Z"), "stdout", text)),
									1, JobState.RUNNING))),
					Response.json(200, JSON.writeValueAsString(new OutputPage(8, List.of(), 1, JobState.SUCCEEDED))));
	}

	@Test
	void claudeRunJoinsAllWordsAndFollowsTheJobOnTheSelectedSandbox() throws IOException {
		Files.writeString(this.testbed.dir().resolve(".dilxc"), "web\n");
		Result result = this.testbed.client().run("claude-run", "fix", "the", "failing", "tests", "--timeout", "10m");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("Done.\n");
		assertThat(result.err()).startsWith("job 8 submitted");
		JsonNode body = JSON.readTree(this.testbed.daemon().requests().getFirst().body());
		assertThat(body.get("prompt").stringValue()).isEqualTo("fix the failing tests");
		assertThat(body.get("sandbox").stringValue()).isEqualTo("web");
		assertThat(body.get("timeoutSeconds").asLong()).isEqualTo(600);
	}

	@Test
	void claudeRunTakesTheBudgetGuardsAndSyncLikeSubmit() {
		Result result = this.testbed.client()
			.run("@web", "claude-run", "--max-turns", "5", "--max-budget-usd", "$0.25", "--sync", "fix", "it");
		assertThat(result.exitCode()).isZero();
		JsonNode body = JSON.readTree(this.testbed.daemon().requests().getFirst().body());
		assertThat(body.get("prompt").stringValue()).isEqualTo("fix it");
		assertThat(body.get("maxTurns").asInt()).isEqualTo(5);
		assertThat(body.get("maxBudgetUsd").decimalValue()).isEqualByComparingTo("0.25");
		assertThat(body.get("sync").asBoolean()).isTrue();
	}

	@Test
	void claudeRunExitsWithTheJobsOutcome() {
		this.testbed.routes()
			.on("GET /api/jobs/8/output",
					Response.json(200, JSON.writeValueAsString(new OutputPage(8, List.of(), 0, JobState.TIMED_OUT))));
		this.testbed.routes()
			.json("GET /api/jobs/8", 200,
					new dev.dilxc.api.JobDetails(Jobs.ended(8, JobState.TIMED_OUT, "ran past 10m"), List.of()));
		Result result = this.testbed.client().run("@web", "claude-run", "x");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.JOB_TIMED_OUT);
		assertThat(JSON.readTree(this.testbed.daemon().requests().getFirst().body()).get("sandbox").stringValue())
			.isEqualTo("web");
	}

	@Test
	void claudeRunWithoutAPromptIsBadInput() {
		Result result = this.testbed.client().run("claude-run", " ");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).startsWith("dilxc-client: missing prompt: dilxc-client claude-run");
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

}
