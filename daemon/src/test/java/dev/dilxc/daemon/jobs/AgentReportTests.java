package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Reading real Claude Code stream-json (fixtures captured from CLI 2.1.332). */
class AgentReportTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void successRunGivesSessionCostTurnsAndResultText() throws IOException {
		AgentReport report = read("success.jsonl");
		assertThat(report.resultSeen()).isTrue();
		assertThat(report.subtype()).isEqualTo("success");
		assertThat(report.isError()).isFalse();
		assertThat(report.resultText()).isEqualTo("All done.");
		assertThat(report.numTurns()).isEqualTo(2);
		assertThat(report.costUsd()).isGreaterThan(BigDecimal.ZERO);
		assertThat(report.sessionId()).isEqualTo("bff2cf1f-dbb2-4619-b43c-40c2fd9e1e57");
	}

	@Test
	void apiErrorRunIsSuccessSubtypeButIsErrorTrue() throws IOException {
		for (String fixture : new String[] { "api-error-500.jsonl", "api-error-529.jsonl", "api-error-429.jsonl" }) {
			AgentReport report = read(fixture);
			assertThat(report.resultSeen()).as(fixture).isTrue();
			assertThat(report.subtype()).as(fixture).isEqualTo("success");
			assertThat(report.isError()).as(fixture).isTrue();
			assertThat(report.resultText()).as(fixture).startsWith("API Error");
			assertThat(report.costUsd()).as(fixture).isEqualByComparingTo(BigDecimal.ZERO);
		}
	}

	@Test
	void killedRunHasSessionFromInitButNoResult() throws IOException {
		AgentReport report = read("killed-no-result.jsonl");
		assertThat(report.resultSeen()).isFalse();
		assertThat(report.sessionId()).isEqualTo("c5aa37fa-456d-466b-a22c-0fb62085702d");
		assertThat(report.isError()).isNull();
	}

	@Test
	void acceptWhenLineIsNotJsonOrUnknownTypeIgnoresIt() {
		AgentReport report = new AgentReport(this.json);
		assertThat(report.accept("Error: something on stdout")).isFalse();
		assertThat(report.accept("{not json")).isFalse();
		assertThat(report.accept("{\"type\":\"rate_limit_event\",\"rate_limit_info\":{}}")).isFalse();
		assertThat(report.accept("{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"s1\"}")).isTrue();
		assertThat(report.accept("{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"s1\"}")).isFalse();
		assertThat(report.resultSeen()).isFalse();
		assertThat(report.sessionId()).isEqualTo("s1");
	}

	@Test
	void resultWithOldCostFieldNameIsStillRead() {
		AgentReport report = new AgentReport(this.json);
		report.accept(
				"{\"type\":\"result\",\"subtype\":\"error_max_turns\",\"is_error\":true,\"cost_usd\":0.5,\"num_turns\":3}");
		assertThat(report.costUsd()).isEqualByComparingTo("0.5");
		assertThat(report.subtype()).isEqualTo("error_max_turns");
	}

	private AgentReport read(String fixture) throws IOException {
		AgentReport report = new AgentReport(this.json);
		try (InputStream in = getClass().getResourceAsStream("/stream-json/" + fixture)) {
			assertThat(in).as(fixture).isNotNull();
			new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().forEach(report::accept);
		}
		return report;
	}

}
