package dev.dilxc.daemon.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.OverlapPolicy;
import dev.dilxc.api.ReportView;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.ScheduleEvent;
import dev.dilxc.api.ScheduleRequest;
import dev.dilxc.api.ScheduleView;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.jobs.JobQueue;
import dev.dilxc.daemon.testing.Await;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.ScriptedSandbox;
import dev.dilxc.daemon.testing.TestSandbox;

/**
 * A schedule in a real daemon: Quartz fires it on real time, the real worker runs the
 * real Claude Code CLI in a real sandbox from {@code dilxc-golden}; only the model is
 * scripted. Fails (never skips) without LXD.
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SchedulesIntegrationTests {

	private static final String API_KEY = "sk-ant-test-SCHEDULED-7c1d0e9a";

	@RegisterExtension
	static final ScriptedSandbox agent = new ScriptedSandbox("sched-it", API_KEY);

	@TempDir
	static Path data;

	@Autowired
	private Schedules schedules;

	@Autowired
	private MorningReport report;

	@Autowired
	private JobQueue queue;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		// The real worker loop and Quartz both run, as in the daemon.
		DaemonTestProperties.registerWithWorker(registry, () -> data, () -> agent.sandbox().name());
	}

	@Test
	void aScheduleFiringEverySecondMakesARealJobThatSucceedsInTheSandbox() throws Exception {
		agent.api()
			.scriptBashThenFinish("echo made-on-schedule > " + TestSandbox.PROJECT + "/scheduled.txt",
					"Done on schedule.");
		Instant since = Instant.now();
		ScheduleView schedule = this.schedules.add(new ScheduleRequest("* * * * * ?", "UTC", null, RestorePolicy.NEVER,
				300L, null, OverlapPolicy.SKIP, null, null, null, null, "write the scheduled file"));
		try {
			JobView first = Await
				.until("a job of schedule " + schedule.id(), Duration.ofSeconds(30), Duration.ofMillis(200),
						() -> this.queue.lastOfSchedule(schedule.id()), Optional::isPresent)
				.orElseThrow();
			this.schedules.pause(schedule.id()); // one run is the point; later slots
													// would run the fallback answer

			JobView job = Await.until("job " + first.id() + " to end", Duration.ofMinutes(3), Duration.ofMillis(200),
					() -> this.queue.view(first.id()), (view) -> view.state().isTerminal());

			assertThat(job.state()).as(job.reason()).isEqualTo(JobState.SUCCEEDED);
			assertThat(job.trigger()).isEqualTo("schedule");
			assertThat(job.scheduleId()).isEqualTo(schedule.id());
			assertThat(job.scheduledFor()).isNotNull();
			assertThat(job.resultText()).isEqualTo("Done on schedule.");
			assertThat(agent.sandbox().readFile(TestSandbox.PROJECT + "/scheduled.txt"))
				.isEqualTo("made-on-schedule\n");
			assertThat(agent.api().receivedPrompts()).first().isEqualTo("write the scheduled file");
			assertThat(this.schedules.details(schedule.id()).events()).extracting(ScheduleEvent::kind)
				.contains("ENQUEUED", "PAUSED", "CREATED");
			ScheduleView view = this.schedules.details(schedule.id()).schedule();
			assertThat(view.lastJobId()).isEqualTo(job.id());
			assertThat(view.lastJobState()).isEqualTo(JobState.SUCCEEDED);
			ReportView morning = this.report.report(since, Instant.now().plusSeconds(1));
			assertThat(morning.jobs()).extracting(JobView::id).contains(job.id());
			assertThat(morning.totals().succeeded()).isGreaterThanOrEqualTo(1);
		}
		finally {
			cleanUp(schedule.id());
		}
	}

	@Test
	void runNowMakesARealJobOfAPausedScheduleAtOnce() throws Exception {
		agent.api().scriptBashThenFinish("echo run-now > " + TestSandbox.PROJECT + "/run-now.txt", "Ran now.");
		ScheduleView schedule = this.schedules.add(new ScheduleRequest("@yearly", "UTC", null, RestorePolicy.NEVER,
				300L, null, null, null, null, null, null, "run it now"));
		this.schedules.pause(schedule.id());
		try {
			JobView queued = this.schedules.runNow(schedule.id());

			JobView job = Await.until("job " + queued.id() + " to end", Duration.ofMinutes(3), Duration.ofMillis(200),
					() -> this.queue.view(queued.id()), (view) -> view.state().isTerminal());

			assertThat(job.state()).as(job.reason()).isEqualTo(JobState.SUCCEEDED);
			assertThat(job.trigger()).isEqualTo("schedule");
			assertThat(job.scheduleId()).isEqualTo(schedule.id());
			assertThat(agent.sandbox().readFile(TestSandbox.PROJECT + "/run-now.txt")).isEqualTo("run-now\n");
		}
		finally {
			cleanUp(schedule.id());
		}
	}

	/** No schedule or job outlives its test; the sandbox itself goes in @AfterAll. */
	private void cleanUp(long scheduleId) {
		this.schedules.remove(scheduleId);
		for (JobView job : this.queue.unfinished(agent.sandbox().name())) {
			this.queue.cancel(job.id());
		}
	}

}
