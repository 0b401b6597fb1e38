package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.testing.DaemonTestProperties;

/**
 * With no LXD client to run, a job fails at once saying so, and nothing is left half
 * done.
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class LxdUnavailableTests {

	@TempDir
	static Path data;

	@Autowired
	private JobQueue queue;

	@Autowired
	private JobWorker worker;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("dilxc.lxd.executable", () -> "/nonexistent/lxc");
	}

	@Test
	void submitWhenLxdClientIsMissingFailsWithReasonAndReleasesTheSandbox() throws Exception {
		JobView submitted = this.queue.submit(new SubmitJobRequest("hello", "box", null, null));

		List<CompletableFuture<JobState>> started = this.worker.pollOnce();
		assertThat(started).hasSize(1);
		assertThat(started.get(0).get(1, TimeUnit.MINUTES)).isEqualTo(JobState.FAILED);

		JobView job = this.queue.view(submitted.id());
		assertThat(job.reason()).contains("could not run '/nonexistent/lxc'").contains("is LXD installed");
		assertThat(job.snapshot()).isNull();
		this.queue.submit(new SubmitJobRequest("next", "box", null, null));
		assertThat(this.worker.pollOnce()).as("the sandbox was released for the next job").hasSize(1);
	}

}
