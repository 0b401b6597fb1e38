package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.dilxc.api.JobState;

/** Every edge of the job state table, allowed and forbidden. */
class JobTransitionsTests {

	/**
	 * The table as the issue states it, written out independently of the implementation.
	 */
	private static final Set<String> ALLOWED = Set.of("QUEUED>SNAPSHOTTING", "QUEUED>CANCELLED", "SNAPSHOTTING>RUNNING",
			"SNAPSHOTTING>FAILED", "SNAPSHOTTING>CANCELLED", "SNAPSHOTTING>INTERRUPTED", "SNAPSHOTTING>QUEUED",
			"RUNNING>SUCCEEDED", "RUNNING>FAILED", "RUNNING>TIMED_OUT", "RUNNING>CANCELLED", "RUNNING>INTERRUPTED");

	static Stream<Arguments> everyPair() {
		return Stream.of(JobState.values())
			.flatMap((from) -> Stream.of(JobState.values()).map((to) -> Arguments.of(from, to)));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("everyPair")
	void checkWhenPairIsInTableAllowsItAndOtherwiseThrows(JobState from, JobState to) {
		if (ALLOWED.contains(from + ">" + to)) {
			assertThat(JobTransitions.isAllowed(from, to)).isTrue();
			assertThatNoException().isThrownBy(() -> JobTransitions.check(7, from, to));
		}
		else {
			assertThat(JobTransitions.isAllowed(from, to)).isFalse();
			assertThatExceptionOfType(IllegalJobTransitionException.class)
				.isThrownBy(() -> JobTransitions.check(7, from, to))
				.withMessage("job 7 cannot go from " + from + " to " + to)
				.satisfies((ex) -> {
					assertThat(ex.from()).isEqualTo(from);
					assertThat(ex.to()).isEqualTo(to);
					assertThat(ex.jobId()).isEqualTo(7);
				});
		}
	}

	@Test
	void terminalStatesHaveNoWayOut() {
		for (JobState state : JobState.values()) {
			assertThat(JobTransitions.allowedFrom(state).isEmpty()).as(state.name()).isEqualTo(state.isTerminal());
		}
	}

	@Test
	void everyTerminalStateIsReachableFromRunningExceptNone() {
		EnumSet<JobState> terminal = EnumSet.noneOf(JobState.class);
		for (JobState state : JobState.values()) {
			if (state.isTerminal()) {
				terminal.add(state);
			}
		}
		assertThat(JobTransitions.allowedFrom(JobState.RUNNING)).containsExactlyInAnyOrderElementsOf(terminal);
	}

}
