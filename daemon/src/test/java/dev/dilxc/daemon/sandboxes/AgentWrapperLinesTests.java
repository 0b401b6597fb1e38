package dev.dilxc.daemon.sandboxes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.dilxc.daemon.lxd.InstanceName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the agent's exec says about itself on stdout (after the job's token) is taken out
 * of the agent's output and reaches the job as what it is.
 */
class AgentWrapperLinesTests {

	private static final String TOKEN = "dilxc-leftovers-1234";

	private final List<String> events = new ArrayList<>();

	private final AgentSandbox.WrapperLines lines = new AgentSandbox.WrapperLines(new InstanceName("box"), 7, TOKEN,
			new AgentSandbox.AgentOutput() {

				@Override
				public void stdout(String line) {
					AgentWrapperLinesTests.this.events.add("stdout " + line);
				}

				@Override
				public void stderr(String line) {
					AgentWrapperLinesTests.this.events.add("stderr " + line);
				}

				@Override
				public void secrets(Set<String> values) {
					AgentWrapperLinesTests.this.events.add("secrets " + values);
				}

				@Override
				public void before(int exitCode, String line) {
					AgentWrapperLinesTests.this.events.add("before " + exitCode + " " + line);
				}

				@Override
				public void agentExited(int exitCode) {
					AgentWrapperLinesTests.this.events.add("agent " + exitCode);
				}

				@Override
				public void after(int exitCode, byte[] stdout, String lastErrorLine) {
					AgentWrapperLinesTests.this.events.add("after " + exitCode + " ["
							+ new String(stdout, StandardCharsets.UTF_8) + "] " + lastErrorLine);
				}

			});

	@Test
	void theSweepTheSecretsTheBaseAndTheCaptureAreTakenOutOfTheAgentsOutputInOrder() {
		String env = Base64.getEncoder()
			.encodeToString("ANTHROPIC_API_KEY=sk-ant-secret-value\nPLAIN=shown\n".getBytes(StandardCharsets.UTF_8));
		String captured = "@@b status\n M a.txt\n";
		String encoded = Base64.getEncoder().encodeToString(captured.getBytes(StandardCharsets.UTF_8));
		feed(TOKEN + " sweep 0 scope", TOKEN + " env " + env, TOKEN + " before 0 4f2a9c", "{\"type\":\"system\"}",
				"{\"type\":\"result\"}", TOKEN + " agent 0", TOKEN + " data", encoded.substring(0, 8),
				encoded.substring(8), TOKEN + " after 0 ");

		assertThat(this.events).containsExactly("secrets [sk-ant-secret-value]", "before 0 4f2a9c",
				"stdout {\"type\":\"system\"}", "stdout {\"type\":\"result\"}", "agent 0",
				"after 0 [" + captured + "] ");
	}

	@Test
	void aWrapperLineOnTheAgentsLastLineWithoutANewlineIsSplitOff() {
		feed("{\"type\":\"result\"}" + TOKEN + " agent 3");

		assertThat(this.events).containsExactly("stdout {\"type\":\"result\"}", "agent 3");
	}

	@Test
	void aCaptureWhoseOutputWasInterleavedWithOtherOutputIsNotGivenAsWhole() {
		feed(TOKEN + " agent 0", TOKEN + " data", "not base64 at all!", TOKEN + " after 0 ");

		assertThat(this.events).containsExactly("agent 0");
	}

	@Test
	void aFailedBaseCarriesItsLastErrorLine() {
		feed(TOKEN + " before 3 fatal: not a git repository");

		assertThat(this.events).containsExactly("before 3 fatal: not a git repository");
	}

	private void feed(String... input) {
		for (String line : input) {
			this.lines.accept(line);
		}
	}

}
