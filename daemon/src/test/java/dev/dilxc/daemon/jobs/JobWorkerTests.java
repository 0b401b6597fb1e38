package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dilxc.api.JobState;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.testing.DaemonTestProperties;

/** The worker's global limit, stepped by hand against the real database. */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class JobWorkerTests {

	@TempDir
	static Path data;

	@Autowired
	private JobWorker worker;

	@Autowired
	private JobRepository jobs;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("dilxc.jobs.max-concurrent-jobs", () -> "1");
	}

	@Test
	void pollOnceWhenGlobalLimitIsReachedLeavesOtherSandboxesQueued() {
		Instant now = Instant.now();
		long busy = this.jobs.insert("busy-box", "running", RestorePolicy.NEVER, 60, now);
		long waiting = this.jobs.insert("idle-box", "waiting", RestorePolicy.NEVER, 60, now);
		assertThat(this.jobs.claim(this.jobs.find(busy).orElseThrow(), now)).isTrue();

		assertThat(this.worker.pollOnce()).isEmpty();
		assertThat(this.jobs.find(waiting).orElseThrow().state()).isEqualTo(JobState.QUEUED);

		this.jobs.transition(busy, JobState.SNAPSHOTTING, JobState.FAILED, now, "done");
		assertThat(this.jobs.claimable(1)).extracting(JobRow::id).containsExactly(waiting);
	}

}
