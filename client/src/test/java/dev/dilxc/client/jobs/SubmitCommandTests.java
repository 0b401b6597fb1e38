package dev.dilxc.client.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dilxc.api.JobState;
import dev.dilxc.api.OutputLine;
import dev.dilxc.api.OutputPage;
import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.testing.ClientTestbed;
import dev.dilxc.client.testing.FakeDaemon;
import dev.dilxc.client.testing.FakeDaemon.Response;
import dev.dilxc.client.testing.InProcessClient.Result;
import dev.dilxc.client.testing.Jobs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class SubmitCommandTests {

	private static final JsonMapper JSON = ClientCommands.jsonMapper();

	@RegisterExtension
	final ClientTestbed testbed = new ClientTestbed();

	@BeforeEach
	void everySubmissionBecomesJob42() throws IOException {
		this.testbed.daemon().answer(request -> Response.json(201, JSON.writeValueAsString(Jobs.queued(42, "x"))));
	}

	@Test
	void submitPrintsOnlyTheJobIdOnStdout() {
		// when
		Result result = this.testbed.client().run("submit", "fix the tests");
		// then
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("42\n");
		assertThat(result.err()).isEmpty();
		FakeDaemon.Request request = this.testbed.daemon().onlyRequest();
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.target()).isEqualTo("/api/jobs");
		assertThat(request.headers()).containsEntry("content-type", "application/json");
		JsonNode body = JSON.readTree(request.body());
		assertThat(body.get("prompt").stringValue()).isEqualTo("fix the tests");
		assertThat(body.get("sandbox").isNull()).isTrue();
		assertThat(body.get("restorePolicy").isNull()).isTrue();
		assertThat(body.get("timeoutSeconds").isNull()).isTrue();
	}

	@Test
	void submitPassesALeadingDashPromptAfterDoubleDashByteForByte() {
		// given
		String prompt = "-rf everything";
		// when
		Result result = this.testbed.client().run("submit", "--", prompt);
		// then
		assertThat(result.exitCode()).isZero();
		assertThat(promptSent()).isEqualTo(prompt);
	}

	@Test
	void submitPassesShellMetacharactersNewlinesQuotesAndUnicodeUntouched() {
		// given
		String prompt = "  run $(rm -rf /) and `id`;\n\"quoted\" 'single'  \\n \t tab\n\u00e9\u4e2d\ud83d\ude80 --sandbox x\n";
		// when
		Result result = this.testbed.client().run("submit", "--sandbox", "dev", prompt);
		// then
		assertThat(result.exitCode()).isZero();
		assertThat(promptSent()).isEqualTo(prompt);
	}

	@Test
	void submitSendsSandboxRestorePolicyAndTimeoutInSeconds() {
		// when
		Result result = this.testbed.client()
			.run("submit", "--sandbox=web", "--restore", "always", "--timeout", "1h30m", "do it");
		// then
		assertThat(result.exitCode()).isZero();
		JsonNode body = JSON.readTree(this.testbed.daemon().onlyRequest().body());
		assertThat(body.get("sandbox").stringValue()).isEqualTo("web");
		assertThat(body.get("restorePolicy").stringValue()).isEqualTo("ALWAYS");
		assertThat(body.get("timeoutSeconds").asLong()).isEqualTo(5400);
	}

	@Test
	void submitSendsBudgetGuardsAndSync() {
		Result result = this.testbed.client()
			.run("submit", "--max-turns", "25", "--max-budget-usd", "1.50", "--sync", "do it");
		assertThat(result.exitCode()).isZero();
		JsonNode body = JSON.readTree(this.testbed.daemon().onlyRequest().body());
		assertThat(body).isEqualTo(JSON.readTree("""
				{"prompt":"do it","sandbox":null,"restorePolicy":null,"timeoutSeconds":null,"maxTurns":25,
				 "maxBudgetUsd":1.50,"sync":true}"""));
	}

	@Test
	void submitWithoutGuardsLeavesThemToTheDaemon() {
		this.testbed.client().run("submit", "do it");
		JsonNode body = JSON.readTree(this.testbed.daemon().onlyRequest().body());
		assertThat(body.get("maxTurns").isNull()).isTrue();
		assertThat(body.get("maxBudgetUsd").isNull()).isTrue();
		assertThat(body.get("sync").isNull()).isTrue();
	}

	@Test
	void submitWhenAGuardIsBadExitsWithBadInputNamingIt() {
		for (List<String> options : List.of(List.of("--max-turns", "0"), List.of("--max-turns", "2.5"),
				List.of("--max-budget-usd", "0"), List.of("--max-budget-usd", "1e3"), List.of("--max-budget-usd", "-2"),
				List.of("--sync=maybe"))) {
			List<String> argv = new java.util.ArrayList<>(List.of("submit"));
			argv.addAll(options);
			argv.add("x");
			Result result = this.testbed.client().run(argv.toArray(String[]::new));
			assertThat(result.exitCode()).as(options.toString()).isEqualTo(ExitCodes.BAD_INPUT);
			assertThat(result.err()).as(options.toString()).contains(options.getFirst().replaceFirst("=.*", ""));
		}
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void submitWhenPromptBlankExitsWithBadInput() {
		// when
		Result result = this.testbed.client().run("submit", " \n\t ");
		// then
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.out()).isEmpty();
		assertThat(result.err()).startsWith("dilxc-client: the prompt is empty").hasLineCount(1);
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void submitWhenPromptMissingExitsWithBadInput() {
		Result result = this.testbed.client().run("submit", "--sandbox", "dev");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).contains("missing prompt");
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void submitWhenPromptSplitOverSeveralArgumentsExitsWithBadInput() {
		Result result = this.testbed.client().run("submit", "fix", "the", "tests");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).contains("ONE argument").contains("quote it");
	}

	@Test
	void submitWhenLeadingDashPromptWithoutDoubleDashExitsWithBadInputAndHint() {
		Result result = this.testbed.client().run("submit", "-rf everything");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).contains("unknown option '-rf everything'").contains("put '--' before it");
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void submitWhenTimeoutInvalidExitsWithBadInput() {
		for (String timeout : List.of("0", "0m", "-5m", "soon", "1.5h", "")) {
			Result result = this.testbed.client().run("submit", "--timeout", timeout, "x");
			assertThat(result.exitCode()).as(timeout).isEqualTo(ExitCodes.BAD_INPUT);
			assertThat(result.err()).as(timeout).contains("--timeout").contains("90s, 30m, 2h or 1h30m");
		}
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void submitWhenRestorePolicyUnknownExitsWithBadInput() {
		Result result = this.testbed.client().run("submit", "--restore", "sometimes", "x");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).contains("never, on-failure, always");
	}

	@Test
	void submitReadsThePromptFileAsUtf8() throws IOException {
		// given
		String prompt = "-starts with a dash\nline two \u00e9\n";
		Path file = Files.writeString(this.testbed.dir().resolve("prompt.txt"), prompt, StandardCharsets.UTF_8);
		// when
		Result result = this.testbed.client().run("submit", "--prompt-file", file.toString());
		// then
		assertThat(result.exitCode()).isZero();
		assertThat(promptSent()).isEqualTo(prompt);
	}

	@Test
	void submitReadsThePromptFromStdinForDash() {
		// when
		Result result = this.testbed.client().stdin("from stdin\n").run("submit", "--prompt-file", "-");
		// then
		assertThat(result.exitCode()).isZero();
		assertThat(promptSent()).isEqualTo("from stdin\n");
	}

	@Test
	void submitWhenPromptFileMissingExitsWithBadInput() {
		Result result = this.testbed.client()
			.run("submit", "--prompt-file", this.testbed.dir().resolve("nope.txt").toString());
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).contains("no such file");
	}

	@Test
	void submitWhenPromptFileNotUtf8ExitsWithBadInput() throws IOException {
		Path file = Files.write(this.testbed.dir().resolve("latin1.txt"), new byte[] { 'c', 'a', 'f', (byte) 0xE9 });
		Result result = this.testbed.client().run("submit", "--prompt-file", file.toString());
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).contains("not UTF-8");
	}

	@Test
	void submitWhenDaemonRejectsTheRequestExitsWithBadInput() {
		this.testbed.daemon().answer(request -> Response.problem(400, "invalid-request", "no sandbox named 'nope'"));
		Result result = this.testbed.client().run("submit", "--sandbox", "nope", "x");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).isEqualTo("dilxc-client: the daemon rejected the request: no sandbox named 'nope'\n");
	}

	@Test
	void submitWaitPrintsTheIdToStderrFollowsTheOutputAndExitsWithTheOutcome() {
		// given
		AtomicInteger polls = new AtomicInteger();
		this.testbed.daemon().answer(request -> switch (request.method() + " " + request.path()) {
			case "POST /api/jobs" -> Response.json(201, JSON.writeValueAsString(Jobs.queued(7, "x")));
			case "GET /api/jobs/7/output" -> {
				int poll = polls.incrementAndGet();
				OutputPage page = switch (poll) {
					case 1 -> new OutputPage(7, List.of(), 0, JobState.RUNNING);
					case 2 -> new OutputPage(7, List.of(new OutputLine(1, Jobs.SUBMITTED, "stdout",
							"{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"Working.\"}]}}")),
							1, JobState.RUNNING);
					default -> new OutputPage(7, List.of(), 1, JobState.FAILED);
				};
				yield Response.json(200, JSON.writeValueAsString(page));
			}
			case "GET /api/jobs/7" -> Response.json(200, JSON.writeValueAsString(
					new dev.dilxc.api.JobDetails(Jobs.ended(7, JobState.FAILED, "claude exited with 1"), List.of())));
			default -> Response.json(404, "{}");
		});
		// when
		Result result = this.testbed.client().run("submit", "--wait", "x");
		// then
		assertThat(result.exitCode()).isEqualTo(ExitCodes.JOB_FAILED);
		assertThat(result.out()).isEqualTo("Working.\n");
		assertThat(result.err()).contains("job 7 submitted")
			.endsWith("dilxc-client: job 7 ended FAILED: claude exited with 1\n");
		assertThat(this.testbed.daemon().requests()).extracting(FakeDaemon.Request::target)
			.contains("/api/jobs/7/output?after=0&waitMs=20000", "/api/jobs/7/output?after=1&waitMs=20000");
	}

	private String promptSent() {
		return JSON.readTree(this.testbed.daemon().onlyRequest().body()).get("prompt").stringValue();
	}

}
