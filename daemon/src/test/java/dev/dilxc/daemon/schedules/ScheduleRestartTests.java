package dev.dilxc.daemon.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.dilxc.api.OverlapPolicy;
import dev.dilxc.api.ScheduleEvent;
import dev.dilxc.api.ScheduleRequest;
import dev.dilxc.api.ScheduleView;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.testing.Await;
import dev.dilxc.daemon.testing.SteppableClock;

/**
 * Schedules across daemon restarts (a context closed and a new one opened on the same
 * data directory), and Quartz firing by itself. Real H2, real Quartz; no LXD (the worker
 * does not run).
 */
class ScheduleRestartTests {

	/**
	 * One clock for both daemons of a test, so "the daemon was down for two hours" is a
	 * step, not a wait.
	 */
	private static SteppableClock clock;

	/**
	 * Not a {@code @Configuration}: no component scan picks it up, only the builder
	 * below.
	 */
	static class SharedClock {

		@Bean
		SteppableClock clock() {
			return clock;
		}

	}

	@TempDir
	Path dir;

	@BeforeEach
	void newClock() {
		clock = new SteppableClock();
	}

	@Test
	void schedulesEventsAndTriggersSurviveARestartAndTheStartCatchesUpOnceForTheDowntime() {
		long nightly;
		long paused;
		long lostTrigger;
		Instant first;
		try (ConfigurableApplicationContext daemon = start(false)) {
			Schedules schedules = daemon.getBean(Schedules.class);
			ScheduleView added = schedules.add(hourly("nightly"));
			nightly = added.id();
			first = added.nextFireAt();
			paused = schedules.add(hourly("paused")).id();
			schedules.pause(paused);
			lostTrigger = schedules.add(hourly("lost trigger")).id();
			daemon.getBean(ScheduleTriggers.class).unschedule(lostTrigger);
		}
		// Down across two slots; back 10 minutes after the second.
		clock.advance(Duration.between(clock.instant(), first.plus(Duration.ofHours(1)).plus(Duration.ofMinutes(10))));

		try (ConfigurableApplicationContext daemon = start(false)) {
			Schedules schedules = daemon.getBean(Schedules.class);
			JdbcClient jdbc = daemon.getBean(JdbcClient.class);

			assertThat(schedules.list()).extracting(ScheduleView::id, ScheduleView::prompt, ScheduleView::paused)
				.containsExactly(org.assertj.core.groups.Tuple.tuple(nightly, "nightly", false),
						org.assertj.core.groups.Tuple.tuple(paused, "paused", true),
						org.assertj.core.groups.Tuple.tuple(lostTrigger, "lost trigger", false));
			List<ScheduleEvent> events = schedules.details(nightly).events();
			assertThat(events).extracting(ScheduleEvent::kind).containsExactly("CATCH_UP", "CREATED");
			assertThat(events.get(0).slot()).isEqualTo(first.plus(Duration.ofHours(1)));
			assertThat(events.get(0).detail()).contains("10m late, once")
				.endsWith("; 1 earlier slot was missed while the daemon was down (from "
						+ ScheduleFiring.format(first, java.time.ZoneOffset.UTC) + ", UTC), not run");
			assertThat(jdbc.sql("SELECT COUNT(*) FROM jobs WHERE schedule_id = :id")
				.param("id", nightly)
				.query(Integer.class)
				.single()).isOne();
			assertThat(schedules.details(paused).events()).extracting(ScheduleEvent::kind)
				.containsExactly("PAUSED", "CREATED");
			assertThat(triggerState(jdbc, paused)).isEqualTo("PAUSED");
			assertThat(triggerState(jdbc, lostTrigger)).as("re-created from its row").isEqualTo("WAITING");
			assertThat(triggerState(jdbc, nightly)).isEqualTo("WAITING");
		}

		// A third start finds nothing left to catch up.
		try (ConfigurableApplicationContext daemon = start(false)) {
			assertThat(daemon.getBean(Schedules.class).details(nightly).events()).extracting(ScheduleEvent::kind)
				.containsExactly("CATCH_UP", "CREATED");
		}
	}

	@Test
	void quartzFiresAnEverySecondScheduleByItselfAndOverlapSkipKeepsItToOneQueuedJob() throws Exception {
		try (ConfigurableApplicationContext daemon = start(true)) {
			Schedules schedules = daemon.getBean(Schedules.class);
			long id = schedules
				.add(new ScheduleRequest("* * * * * ?", "UTC", null, null, null, null, OverlapPolicy.SKIP, null, null,
						null, null, "every second"))
				.id();

			List<ScheduleEvent> events = awaitEvents(schedules, id, 3, Duration.ofSeconds(30));
			schedules.pause(id);

			List<String> kinds = events.stream().map(ScheduleEvent::kind).toList();
			assertThat(kinds).last().isEqualTo("CREATED");
			assertThat(kinds).filteredOn("ENQUEUED"::equals).hasSize(1);
			assertThat(kinds.subList(0, kinds.size() - 2)).containsOnly("SKIPPED_OVERLAP");
			JdbcClient jdbc = daemon.getBean(JdbcClient.class);
			assertThat(jdbc.sql("SELECT trigger_kind FROM jobs WHERE schedule_id = :id")
				.param("id", id)
				.query(String.class)
				.list()).containsExactly("schedule");
		}
	}

	private ConfigurableApplicationContext start(boolean quartz) {
		return new SpringApplicationBuilder(DaemonApplication.class, SharedClock.class).web(WebApplicationType.NONE)
			.run("--dilxc.data-dir=" + this.dir.resolve("data"),
					"--dilxc.socket=" + this.dir.resolve("run/daemon.sock"), "--dilxc.jobs.worker-enabled=false",
					"--dilxc.jobs.default-sandbox=sched-box", "--spring.main.allow-bean-definition-overriding=true",
					"--spring.quartz.auto-startup=" + quartz);
	}

	private static ScheduleRequest hourly(String prompt) {
		return new ScheduleRequest("@hourly", "UTC", null, null, null, null, null, null, null, null, null, prompt);
	}

	private static String triggerState(JdbcClient jdbc, long id) {
		return jdbc.sql("SELECT trigger_state FROM qrtz_triggers WHERE trigger_name = :name")
			.param("name", "schedule-" + id)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	/**
	 * Bounded poll for a real asynchronous effect: Quartz's own thread firing on real
	 * time.
	 */
	private static List<ScheduleEvent> awaitEvents(Schedules schedules, long id, int count, Duration limit) {
		return Await.until(count + " events of schedule " + id, limit, Duration.ofMillis(100),
				() -> schedules.details(id).events(), (events) -> events.size() >= count);
	}

}
