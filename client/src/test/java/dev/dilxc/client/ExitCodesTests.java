package dev.dilxc.client;

import dev.dilxc.api.JobState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExitCodesTests {

	@Test
	void forOutcomeMapsEachTerminalStateToItsCode() {
		assertThat(ExitCodes.forOutcome(JobState.SUCCEEDED)).isEqualTo(0);
		assertThat(ExitCodes.forOutcome(JobState.FAILED)).isEqualTo(10);
		assertThat(ExitCodes.forOutcome(JobState.TIMED_OUT)).isEqualTo(11);
		assertThat(ExitCodes.forOutcome(JobState.CANCELLED)).isEqualTo(12);
		assertThat(ExitCodes.forOutcome(JobState.INTERRUPTED)).isEqualTo(13);
	}

	@Test
	void forOutcomeOfAStateThatHasNotEndedIsAnInternalError() {
		for (JobState state : JobState.values()) {
			if (!state.isTerminal()) {
				assertThat(ExitCodes.forOutcome(state)).isEqualTo(ExitCodes.INTERNAL_ERROR);
			}
		}
	}

}
