package dev.dilxc.daemon.snapshots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.dilxc.api.ProblemTypes;
import dev.dilxc.daemon.sandboxes.SandboxException;

class SnapshotNamesTests {

	@ParameterizedTest
	@ValueSource(strings = { "before-refactor", "v1.2", "snap_1", "A",
			"x123456789012345678901234567890123456789012345678901234567890ab" })
	void validNamesPass(String name) {
		assertThat(SandboxSnapshots.validName(name)).isEqualTo(name);
	}

	@ParameterizedTest
	@ValueSource(strings = { "a/b", "has space", "-leading", ".hidden",
			"x1234567890123456789012345678901234567890123456789012345678901abc", "tab\tname", "dilxc-job-7" })
	void invalidNamesAreRefusedAsInvalidRequest(String name) {
		assertThatThrownBy(() -> SandboxSnapshots.validName(name)).isInstanceOfSatisfying(
				SandboxException.BadRequest.class,
				(ex) -> assertThat(ex.problemType()).isEqualTo(ProblemTypes.INVALID_REQUEST));
	}

}
