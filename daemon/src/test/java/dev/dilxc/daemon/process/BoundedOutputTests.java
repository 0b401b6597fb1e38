package dev.dilxc.daemon.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class BoundedOutputTests {

	@Test
	void keepsTheLastBytesAcrossManyWrites() {
		BoundedOutput output = new BoundedOutput(5);
		for (String part : new String[] { "abc", "defg", "h", "ijklm", "no" }) {
			output.write(part.getBytes(StandardCharsets.UTF_8), 0, part.length());
		}

		assertThat(output.text()).isEqualTo("klmno");
	}

	@Test
	void keepsEverythingWhileUnderTheLimitAndNothingAtZero() {
		BoundedOutput small = new BoundedOutput(100);
		small.write("short".getBytes(StandardCharsets.UTF_8), 0, 5);
		BoundedOutput none = new BoundedOutput(0);
		none.write("gone".getBytes(StandardCharsets.UTF_8), 0, 4);

		assertThat(small.text()).isEqualTo("short");
		assertThat(none.text()).isEmpty();
	}

	@Test
	void wholeOutputKeepsAll() {
		BoundedOutput whole = new BoundedOutput(ProcessCall.WHOLE_OUTPUT);
		byte[] big = "x".repeat(100_000).getBytes(StandardCharsets.UTF_8);
		whole.write(big, 0, big.length);

		assertThat(whole.text()).hasSize(100_000);
	}

}
