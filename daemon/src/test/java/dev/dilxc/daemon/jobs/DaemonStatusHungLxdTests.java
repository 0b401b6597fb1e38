package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import dev.dilxc.api.DaemonStatus;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.testing.DaemonTestProperties;

import tools.jackson.databind.json.JsonMapper;

/**
 * An LXD client that hangs (a real program that sleeps): the status report gives up after
 * {@code dilxc.status.lxd-timeout}, not the 60 s of ordinary LXD calls, and shows the job
 * that holds its sandbox meanwhile.
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@ExtendWith(OutputCaptureExtension.class)
class DaemonStatusHungLxdTests {

	private static final JsonMapper JSON = JsonMapper.builder().findAndAddModules().build();

	@TempDir
	static Path data;

	@Autowired
	private WebApplicationContext context;

	@Autowired
	private JobQueue queue;

	@Autowired
	private JobWorker worker;

	private MockMvc mvc;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("dilxc.lxd.executable", DaemonStatusHungLxdTests::hangingLxc);
		registry.add("dilxc.lxd.command-timeout", () -> "4s");
		registry.add("dilxc.lxd.snapshot-timeout", () -> "4s");
		registry.add("dilxc.lxd.stop-timeout", () -> "1s");
		registry.add("dilxc.status.lxd-timeout", () -> "500ms");
		registry.add("spring.quartz.auto-startup", () -> "false");
	}

	private static String hangingLxc() {
		try {
			Path script = data.resolve("hanging-lxc");
			if (!Files.exists(script)) {
				Files.writeString(script, "#!/bin/sh\nexec sleep 30\n");
				Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
			}
			return script.toString();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@BeforeEach
	void mockMvc() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).build();
	}

	@Test
	void statusGivesUpOnAHungLxdQuicklyAndShowsTheJobHoldingItsSandbox(CapturedOutput log) throws Exception {
		JobView job = this.queue.submit(new SubmitJobRequest("hello", "status-hung", null, null));
		CompletableFuture<JobState> outcome = this.worker.pollOnce().getFirst();

		Instant started = Instant.now();
		DaemonStatus status = JSON.readValue(this.mvc.perform(get("/api/system/status"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(), DaemonStatus.class);
		Duration took = Duration.between(started, Instant.now());

		assertThat(took).as("the status timeout, not the command timeout").isLessThan(Duration.ofMillis(3000));
		assertThat(status.lxdReachable()).isFalse();
		assertThat(status.lxdError()).contains("hanging-lxc");
		assertThat(status.queuedJobs()).isZero();
		assertThat(status.runningJobs()).singleElement().satisfies((running) -> {
			assertThat(running.id()).isEqualTo(job.id());
			assertThat(running.sandbox()).isEqualTo("status-hung");
			assertThat(running.state()).isEqualTo(JobState.SNAPSHOTTING);
		});
		// The hung client times out; the job fails and frees its sandbox rather than
		// staying stuck.
		assertThat(outcome.get()).isEqualTo(JobState.FAILED);
		// Every log line about the job carries its id and sandbox, on the worker's
		// thread.
		assertThat(log.getOut())
			.containsPattern("\\[job " + job.id() + "\\] \\[status-hung\\] .*Job " + job.id() + " claimed")
			.containsPattern("\\[job " + job.id() + "\\] \\[status-hung\\] .*Job " + job.id() + " ended FAILED");
	}

}
