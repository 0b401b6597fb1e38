package dev.dilxc.daemon.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.dilxc.api.JobChanges;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.RestorePolicy;

/** The one-line summary and the changes a notification carries. */
class NotificationPayloadTests {

	private static final Instant START = Instant.parse("2026-11-28T02:00:00Z");

	@Test
	void summaryOfAScheduledJobNamesItsScheduleDurationCostAndFirstLineOfTheReason() {
		JobView job = job(JobState.FAILED, START, START.plusSeconds(3 * 3600 + 125), new BigDecimal("1.005"), 3L,
				"the agent reported an error: boom\ntrace...");
		assertThat(NotificationPayload.summary(job)).isEqualTo(
				"job 12 (schedule 3) FAILED in sandbox web after 3h 2m ($1.01): the agent reported an error: boom");
	}

	@Test
	void summaryOfAJobThatNeverStartedItsAgentSaysSo() {
		JobView job = job(JobState.CANCELLED, null, START, null, null, "cancelled on request before it started");
		assertThat(NotificationPayload.summary(job)).isEqualTo(
				"job 12 CANCELLED in sandbox web before the agent started: cancelled on request before it started");
	}

	@Test
	void summaryOfACheapQuickJob() {
		JobView job = job(JobState.SUCCEEDED, START, START.plusMillis(9500), new BigDecimal("0.004"), null, "");
		assertThat(NotificationPayload.summary(job)).isEqualTo("job 12 SUCCEEDED in sandbox web after 9s (<$0.01)");
		assertThat(NotificationPayload.duration(Duration.ofSeconds(182))).isEqualTo("3m 2s");
	}

	@Test
	void changesListAtMostAHundredFilesAndLeaveTheDiffOut() {
		List<String> files = IntStream.range(0, 150).mapToObj((i) -> "src/file" + i + ".txt").toList();
		JobChanges changes = new JobChanges(12, true, "abc123", " M a\n", " 150 files changed", "diff --git ...", false,
				files, START);
		NotificationPayload payload = NotificationPayload.of(job(JobState.SUCCEEDED, START, START, null, null, "ok"),
				changes);
		assertThat(payload.changes().files()).hasSize(100).startsWith("src/file0.txt");
		assertThat(payload.changes().filesTruncated()).isTrue();
		assertThat(payload.changes().diffStat()).isEqualTo(" 150 files changed");
		assertThat(payload.changes().baseCommit()).isEqualTo("abc123");
	}

	private static JobView job(JobState state, Instant started, Instant finished, BigDecimal cost, Long scheduleId,
			String reason) {
		return new JobView(12, "web", state, "p", RestorePolicy.NEVER, 60, START, started, finished, null, null, cost,
				null, null, null, null, null, reason, false, 0, false, (scheduleId != null) ? "schedule" : "manual",
				scheduleId, null, null, null, null, false, null, null);
	}

}
