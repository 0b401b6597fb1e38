package dev.dilxc.client.render;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.dilxc.api.OutputLine;
import dev.dilxc.client.ClientCommands;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

class StreamJsonRendererTests {

	/**
	 * Where the daemon keeps stream-json captured from the real CLI, from the
	 * repository's root.
	 */
	private static final Path DAEMON_FIXTURES = Path.of("daemon", "src", "test", "resources", "stream-json");

	private final StreamJsonRenderer renderer = new StreamJsonRenderer(ClientCommands.jsonMapper());

	@Test
	void renderTurnsASessionIntoReadableLines() throws IOException {
		// given
		List<String> events = resourceLines("/stream-json/fix-failing-test.jsonl");
		// when
		List<String> rendered = new ArrayList<>();
		for (int i = 0; i < events.size(); i++) {
			rendered.addAll(this.renderer.render(stdout(i + 1, events.get(i))));
		}
		// then
		assertThat(rendered).containsExactly(
				"[init] session 9b2f3c1e-5d7a-4c1b-9f3e-2a8d6c4b1e70 · model claude-sonnet-4-5-20250929 · cwd /home/dev/project",
				"I'll start by running the test suite to see what fails.", "→ Bash: mvn -q test 2>&1 | tail -20",
				"← error: [INFO] Running demo.CalcTests",
				"         [ERROR] Tests run: 12, Failures: 1, Errors: 0, Skipped: 0",
				"         [ERROR] CalcTests.addAddsTwoNumbers:14 expected: <5> but was: <-1>", "         [INFO]",
				"         [ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.5.4:test …",
				"→ Read: /home/dev/project/src/main/java/demo/Calc.java", "←      1→package demo;", "       2→",
				"       3→public class Calc {", "       4→    public int add(int a, int b) {",
				"       5→        return a - b; …", "`add` subtracts instead of adding. Fixing it.",
				"→ Edit: /home/dev/project/src/main/java/demo/Calc.java",
				"← The file /home/dev/project/src/main/java/demo/Calc.java has been updated.",
				"→ TodoWrite: {\"todos\":[{\"content\":\"Run tests\",\"status\":\"completed\",\"activeForm\":\"Running tests\"}]}",
				"← Todos have been modified successfully.", "All 12 tests pass now.",
				"[result] success · is_error=false · 7 turns · $0.0834 · 48.2s",
				"Fixed the sign error in Calc.add; all 12 tests pass.");
	}

	@Test
	void renderShowsAnErrorResultWithItsErrors() {
		List<String> lines = this.renderer.render(stdout(1, """
				{"type":"result","subtype":"error_max_turns","is_error":true,"num_turns":1,"duration_ms":61000,\
				"total_cost_usd":0.5,"errors":["Reached maximum number of turns (1)"]}"""));
		assertThat(lines).containsExactly("[result] error_max_turns · is_error=true · 1 turn · $0.5000 · 1m01s",
				"error: Reached maximum number of turns (1)");
	}

	@Test
	void renderShowsAnAssistantError() {
		List<String> lines = this.renderer.render(stdout(1, """
				{"type":"assistant","message":{"content":[{"type":"text","text":"Invalid API key"}]},\
				"error":"authentication_failed"}"""));
		assertThat(lines).containsExactly("Invalid API key", "[assistant error] authentication_failed");
	}

	@Test
	void renderShortensLongToolResultsToAboutThreeHundredCharacters() {
		String longLine = "x".repeat(1000);
		List<String> lines = this.renderer
			.render(stdout(1, "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"content\":\""
					+ longLine + "\"}]}}"));
		assertThat(lines).singleElement().isEqualTo("← " + "x".repeat(300) + " …");
	}

	@Test
	void renderCutsLongToolInputs() {
		String command = "echo " + "y".repeat(500);
		List<String> lines = this.renderer.render(
				stdout(1, "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\",\"name\":\"Bash\","
						+ "\"input\":{\"command\":\"" + command + "\\nsecond line\"}}]}}"));
		assertThat(lines).singleElement().satisfies(line -> {
			assertThat(line).startsWith("→ Bash: echo yyy").endsWith("…");
			assertThat(line.codePointCount(0, line.length())).isEqualTo(StreamJsonRenderer.TOOL_INPUT_MAX);
		});
	}

	@Test
	void renderStripsTerminalEscapesFromAgentOutput() {
		List<String> lines = this.renderer
			.render(stdout(1, "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":"
					+ "\"\\u001b[31mred\\u001b[0m \\u001b]0;title\\u0007done\\u0000\"}]}}"));
		assertThat(lines).containsExactly("red done\ufffd");
	}

	@Test
	void renderSkipsEventsItDoesNotKnowAndUninterestingOnes() {
		assertThat(this.renderer.render(stdout(1, "{\"type\":\"stream_event\",\"event\":{}}"))).isEmpty();
		assertThat(this.renderer.render(stdout(1, "{\"type\":\"brand_new_event\",\"x\":1}"))).isEmpty();
		assertThat(this.renderer.render(stdout(1, "{\"no_type\":true}"))).isEmpty();
		assertThat(this.renderer
			.render(stdout(1, "{\"type\":\"rate_limit_event\",\"rate_limit_info\":{\"status\":\"allowed\"}}")))
			.isEmpty();
	}

	@Test
	void renderShowsOtherSystemEventsAndRateLimitsAsOneShortLine() {
		assertThat(this.renderer.render(stdout(1, "{\"type\":\"system\",\"subtype\":\"compact_boundary\"}")))
			.containsExactly("[system] compact_boundary");
		assertThat(this.renderer.render(stdout(1,
				"{\"type\":\"rate_limit_event\",\"rate_limit_info\":"
						+ "{\"status\":\"rejected\",\"resetsAt\":1795000000,\"rateLimitType\":\"five_hour\"}}")))
			.containsExactly("[rate limit] rejected (five_hour), resets at 1795000000");
	}

	@Test
	void renderShowsApiRetries() {
		assertThat(this.renderer.render(stdout(1, """
				{"type":"system","subtype":"api_retry","attempt":1,"max_retries":1,"retry_delay_ms":1110,\
				"error_status":429,"error":"rate_limit","session_id":"s"}""")))
			.containsExactly("[api retry] attempt 1/1 after 429 rate_limit, next in 1.1s");
	}

	@Test
	void renderPrintsLinesThatAreNotJsonObjectsAsTheyAre() {
		assertThat(this.renderer.render(stdout(1, "plain text"))).containsExactly("plain text");
		assertThat(this.renderer.render(stdout(1, "{not json"))).containsExactly("{not json");
		assertThat(this.renderer.render(stdout(1, "[1,2]"))).containsExactly("[1,2]");
		assertThat(this.renderer.render(stdout(1, ""))).containsExactly("");
		assertThat(this.renderer.render(new OutputLine(1, Instant.EPOCH, "dilxc", "output truncated at 10 MB")))
			.containsExactly("output truncated at 10 MB");
	}

	@Test
	void renderPrefixesStderrLines() {
		assertThat(this.renderer.render(new OutputLine(1, Instant.EPOCH, "stderr", "warn\n\u001b[1mbold")))
			.containsExactly("[stderr] warn", "[stderr] bold");
	}

	@Test
	void renderSurvivesOddShapes() {
		for (String odd : List.of("{\"type\":\"assistant\"}", "{\"type\":\"assistant\",\"message\":\"text\"}",
				"{\"type\":\"assistant\",\"message\":{\"content\":\"just a string\"}}",
				"{\"type\":\"assistant\",\"message\":{\"content\":[1,null,{\"type\":\"tool_use\"}]}}",
				"{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"content\":null}]}}",
				"{\"type\":\"result\"}", "{\"type\":\"result\",\"num_turns\":\"many\",\"total_cost_usd\":\"free\"}",
				"{\"type\":\"system\"}", "{\"type\":42}", "{\"type\":null}")) {
			assertThatNoException().as(odd).isThrownBy(() -> this.renderer.render(stdout(1, odd)));
		}
	}

	@Test
	void renderHandlesTheDaemonsCapturedFixtures() throws IOException {
		Path fixtures = daemonFixtures();
		try (Stream<Path> files = Files.list(fixtures)) {
			List<Path> captured = files.filter(path -> path.toString().endsWith(".jsonl")).sorted().toList();
			assertThat(captured).as("captured stream-json in " + fixtures).isNotEmpty();
			for (Path file : captured) {
				List<String> events = Files.readAllLines(file, StandardCharsets.UTF_8);
				List<String> rendered = new ArrayList<>();
				for (int i = 0; i < events.size(); i++) {
					rendered.addAll(this.renderer.render(stdout(i + 1, events.get(i))));
				}
				assertThat(rendered).as(file.toString())
					.isNotEmpty()
					.noneMatch(line -> line.contains("\u001b"))
					.anyMatch(line -> line.startsWith("[init] session "));
				if (events.stream().anyMatch(event -> event.contains("\"type\":\"result\""))) {
					assertThat(rendered).as(file.toString()).anyMatch(line -> line.startsWith("[result] "));
				}
			}
		}
	}

	/**
	 * The daemon's fixtures, found above this class's own location
	 * (client/target/test-classes) rather than from the working directory, which is the
	 * client module's only under Maven: the test reads them from an IDE or the
	 * repository's root too, and fails, not skips, when they are missing.
	 */
	private static Path daemonFixtures() {
		Path classes;
		try {
			classes = Path
				.of(StreamJsonRendererTests.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
		for (Path dir = classes.toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isDirectory(dir.resolve(DAEMON_FIXTURES))) {
				return dir.resolve(DAEMON_FIXTURES);
			}
		}
		throw new AssertionError("no " + DAEMON_FIXTURES + " in any directory above " + classes);
	}

	private static OutputLine stdout(long seq, String text) {
		return new OutputLine(seq, Instant.EPOCH, "stdout", text);
	}

	private static List<String> resourceLines(String name) throws IOException {
		try (InputStream in = StreamJsonRendererTests.class.getResourceAsStream(name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
		}
	}

}
