package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.leases.SandboxQuarantines;
import dev.dilxc.daemon.testing.TestBackend;
import dev.dilxc.daemon.testing.FakeAnthropicApi.Answer;
import dev.dilxc.daemon.testing.ScriptedSandbox;
import dev.dilxc.daemon.testing.SocketHttp;
import dev.dilxc.daemon.testing.SteppableClock;
import dev.dilxc.daemon.testing.TestSandbox;

/**
 * Space running out, for real: the daemon's data directory is a small tmpfs the test
 * mounts and fills while a real agent runs in a real sandbox, and a storage pool minimum
 * the real pool cannot meet. The daemon runs in-process on its real socket, and is
 * started again on the same data directory to show the database opens.
 */
@ExtendWith(OutputCaptureExtension.class)
class DiskSpaceIntegrationTests {

	private static final String API_KEY = "sk-ant-diskfull-SECRET-3b7e9d1c5f";

	@RegisterExtension
	static final ScriptedSandbox agent = new ScriptedSandbox("dilxc-diskfull", API_KEY);

	@TempDir
	static Path root;

	/** The data directory: a tmpfs of its own, so filling it touches nothing else. */
	private static Path data;

	private static SteppableClock clock;

	/** Not a {@code @Configuration}: only the builder below picks it up. */
	static class SharedClock {

		@Bean
		SteppableClock clock() {
			return clock;
		}

	}

	@BeforeAll
	static void mountSmallDataDisk() throws Exception {
		data = root.resolve("data");
		Files.createDirectories(data);
		run("mount", "-t", "tmpfs", "-o", "size=48m,mode=0700", "tmpfs", data.toString());
	}

	@AfterAll
	static void unmount() throws Exception {
		// Lazy: the last daemon's H2 may still hold its file for a moment.
		run("umount", "-l", data.toString());
	}

	@Test
	void aDataDiskFilledMidJobEndsTheJobFailedSayingWhyWithOneLogLineAndTheNextJobRunsOnceSpaceIsFreed(
			CapturedOutput log) throws Exception {
		clock = new SteppableClock();
		String name = agent.sandbox().name();
		agent.sandbox().writeFile(TestSandbox.PROJECT + "/precious.txt", "keep me\n", "0644");
		// Deletes the file, then prints for as long as it is let.
		agent.api().enqueue(Answer.bash("rm " + TestSandbox.PROJECT + "/precious.txt"));
		agent.api().whenEmpty(Answer.bash("seq 1 400"));
		Path filler = data.resolve("filler");
		long first;
		long next;
		try (ConfigurableApplicationContext daemon = start("--dilxc.jobs.min-free-data=4MB")) {
			JobQueue queue = daemon.getBean(JobQueue.class);
			JobWorker worker = daemon.getBean(JobWorker.class);
			JobView job = queue
				.submit(new SubmitJobRequest("delete, then print forever", null, RestorePolicy.ON_FAILURE, 900L));
			first = job.id();
			CompletableFuture<JobState> outcome = startOne(worker);
			assertThat(agent.api().awaitMainTurns(3, Duration.ofSeconds(90))).as("the agent ran tools").isTrue();

			fill(filler);
			// The job's end may not be writable at once: either way it must not run on.
			JobState ended = outcome.handle((state, failure) -> state).get(3, TimeUnit.MINUTES);
			assertThat(agent.sandbox().processesMatching("claude")).as("the agent was stopped").isEmpty();
			assertThat(agent.sandbox().processesMatching("seq 1 400")).isEmpty();
			assertThat(log.getAll().lines().filter((line) -> line.contains("its output could not be stored")).count())
				.as("one log line for the incident, not one per output line")
				.isEqualTo(1);
			assertThat(log.getAll()).doesNotContain(API_KEY);

			// The daemon still answers, and says what is short.
			Path socket = root.resolve("run/daemon.sock");
			assertThat(SocketHttp.get(socket, "/api/jobs")).startsWith("HTTP/1.1 200").contains("\"id\":" + first);
			assertThat(SocketHttp.get(socket, "/api/system/status")).startsWith("HTTP/1.1 200")
				.contains("the data directory's disk has")
				.contains("dilxc.jobs.min-free-data");

			Files.delete(filler);
			if (ended == null) {
				assertThat(worker.settleUnwritten()).as("the job's end, written once space is back")
					.containsExactly(first);
			}
			JobView failed = queue.view(first);
			assertThat(failed.state()).isEqualTo(JobState.FAILED);
			assertThat(failed.reason()).contains("no space left on the data directory's disk");
			SandboxQuarantines quarantines = daemon.getBean(SandboxQuarantines.class);
			if (quarantines.find(name).isPresent()) {
				// Its restore could not be trusted to have happened: the repair does it.
				clock.advance(Duration.ofSeconds(31));
				assertThat(worker.retryQuarantined()).singleElement()
					.satisfies((attempt) -> assertThat(attempt.get(2, TimeUnit.MINUTES)).isTrue());
			}
			assertThat(agent.sandbox().readFile(TestSandbox.PROJECT + "/precious.txt"))
				.as("restored as the on-failure policy says")
				.isEqualTo("keep me\n");

			agent.api().reset();
			agent.api().whenEmpty(Answer.text("ok"));
			next = queue.submit(new SubmitJobRequest("the next job", null, RestorePolicy.NEVER, 600L)).id();
			assertThat(startOne(worker).get(5, TimeUnit.MINUTES)).isEqualTo(JobState.SUCCEEDED);
			assertThat(queue.view(next).outputLines()).isPositive();
		}

		// A new daemon on the same data directory opens the database cleanly, history
		// intact.
		try (ConfigurableApplicationContext daemon = start()) {
			JobQueue queue = daemon.getBean(JobQueue.class);
			assertThat(queue.view(first).state()).isEqualTo(JobState.FAILED);
			assertThat(queue.view(next).state()).isEqualTo(JobState.SUCCEEDED);
		}
	}

	@Test
	void aPoolBelowItsMinimumRefusesTheJobBeforeItsSnapshotNamingPoolAndSetting() throws Exception {
		clock = new SteppableClock();
		String name = agent.sandbox().name();
		Files.deleteIfExists(data.resolve("filler"));
		try (ConfigurableApplicationContext daemon = start("--dilxc.jobs.min-free-pool=100000GB",
				"--dilxc.jobs.min-free-data=4MB")) {
			JobQueue queue = daemon.getBean(JobQueue.class);
			JobView job = queue.submit(new SubmitJobRequest("never starts", null, RestorePolicy.ON_FAILURE, 600L));

			assertThat(startOne(daemon.getBean(JobWorker.class)).get(2, TimeUnit.MINUTES)).isEqualTo(JobState.FAILED);

			JobView refused = queue.view(job.id());
			assertThat(refused.reason())
				.startsWith("not started: the " + TestBackend.current().displayName()
						+ " storage pool 'default' of sandbox " + name)
				.contains("below the minimum of")
				.contains("dilxc.jobs.min-free-pool")
				.contains("no snapshot was taken");
			assertThat(refused.snapshot()).isNull();
			assertThat(agent.sandbox().snapshots()).doesNotContain("dilxc-job-" + job.id());
			assertThat(agent.api().mainTurns()).as("the agent never started").isEmpty();
			assertThat(SocketHttp.get(root.resolve("run/daemon.sock"), "/api/system/status"))
				.contains("the " + TestBackend.current().displayName() + " storage pool 'default' has")
				.contains("jobs are refused below");
		}
	}

	private static ConfigurableApplicationContext start(String... extra) {
		List<String> args = new ArrayList<>(List.of("--dilxc.data-dir=" + data,
				"--dilxc.socket=" + root.resolve("run/daemon.sock"), "--dilxc.jobs.worker-enabled=false",
				"--dilxc.jobs.default-sandbox=" + agent.sandbox().name(), "--dilxc.sandboxes.kill-grace=2s",
				"--spring.main.allow-bean-definition-overriding=true", "--spring.quartz.auto-startup=false"));
		args.addAll(List.of(extra));
		return new SpringApplicationBuilder(DaemonApplication.class, SharedClock.class)
			.run(args.toArray(String[]::new));
	}

	private static CompletableFuture<JobState> startOne(JobWorker worker) {
		List<CompletableFuture<JobState>> started = worker.pollOnce();
		assertThat(started).as("one job claimed").hasSize(1);
		return started.get(0);
	}

	/** Writes until the disk refuses, then leaves the file: the disk is full. */
	private static void fill(Path filler) throws IOException {
		byte[] block = new byte[64 * 1024];
		try (OutputStream out = Files.newOutputStream(filler)) {
			while (true) {
				out.write(block);
				out.flush();
			}
		}
		catch (IOException ex) {
			assertThat(ex.getMessage()).contains("No space left on device");
		}
	}

	private static void run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new AssertionError(String.join(" ", command) + " failed: " + output);
		}
	}

}
