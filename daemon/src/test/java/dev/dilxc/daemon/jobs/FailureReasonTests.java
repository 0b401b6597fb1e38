package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The reason a FAILED job gives says which of the three failure signs it was. */
class FailureReasonTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void reasonWhenResultIsAnApiErrorQuotesTheSubtypeExitAndResultText() throws IOException {
		String reason = JobExecution.failureReason(read("api-error-500.jsonl"), OptionalInt.of(1));
		assertThat(reason).startsWith("the agent reported an error (success, exited with code 1): API Error: 500");
	}

	@Test
	void reasonWhenNoResultEventSaysSoAndKeepsTheLastAssistantText() {
		AgentReport report = new AgentReport(this.json);
		report.accept("{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"s\"}");
		report.accept(
				"{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"Running the tests now\"}]}}");

		assertThat(JobExecution.failureReason(report, OptionalInt.of(137)))
			.isEqualTo("no result event: the agent exited with code 137 before reporting a result; "
					+ "its last message: Running the tests now");
	}

	@Test
	void reasonWhenResultIsCleanButExitIsNotSaysBoth() {
		AgentReport report = new AgentReport(this.json);
		report.accept("{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"ok\"}");

		assertThat(JobExecution.failureReason(report, OptionalInt.of(2)))
			.isEqualTo("the agent exited with code 2 although its result said success");
	}

	private AgentReport read(String fixture) throws IOException {
		AgentReport report = new AgentReport(this.json);
		try (InputStream in = getClass().getResourceAsStream("/stream-json/" + fixture)) {
			new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().forEach(report::accept);
		}
		return report;
	}

}
