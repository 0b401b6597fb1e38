package dev.dilxc.daemon.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.OverlapPolicy;
import dev.dilxc.api.ReportView;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.ScheduleDetails;
import dev.dilxc.api.ScheduleEvent;
import dev.dilxc.api.ScheduleRequest;
import dev.dilxc.api.ScheduleView;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.jobs.InvalidJobRequestException;
import dev.dilxc.daemon.jobs.JobQueue;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.SteppableClock;

/**
 * What a firing does, decided against the real H2 database and the real Quartz job store:
 * the test clock is stepped to each slot and the firing is called as Quartz calls it
 * (Quartz itself is left in standby, so real time never fires anything here;
 * {@link ScheduleRestartTests} lets it fire). No LXD: the worker does not run, so jobs
 * stay QUEUED.
 */
@SpringBootTest(classes = { DaemonApplication.class, ScheduleFiringTests.Clocks.class },
		webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = "spring.main.allow-bean-definition-overriding=true")
class ScheduleFiringTests {

	@TestConfiguration(proxyBeanMethods = false)
	static class Clocks {

		@Bean
		SteppableClock clock() {
			return new SteppableClock();
		}

	}

	@TempDir
	static Path data;

	@Autowired
	private Schedules schedules;

	@Autowired
	private ScheduleFiring firing;

	@Autowired
	private MorningReport report;

	@Autowired
	private JobQueue queue;

	@Autowired
	private SteppableClock clock;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private ApplicationContext context;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("dilxc.jobs.default-sandbox", () -> "sched-box");
		registry.add("spring.quartz.auto-startup", () -> "false");
	}

	@Test
	void aSlotFiredOnTimeMakesOneJobAndTheSameSlotFiredAgainMakesNoSecond() {
		ScheduleView schedule = add("@hourly", null, null);
		Instant slot = stepTo(schedule.nextFireAt());

		ScheduleEvent event = this.firing.fire(schedule.id(), slot).orElseThrow();

		assertThat(event.kind()).isEqualTo("ENQUEUED");
		assertThat(event.slot()).isEqualTo(slot);
		assertThat(event.detail()).isEqualTo("queued job " + event.jobId());
		JobView job = this.queue.view(event.jobId());
		assertThat(job.trigger()).isEqualTo("schedule");
		assertThat(job.scheduleId()).isEqualTo(schedule.id());
		assertThat(job.scheduledFor()).isEqualTo(slot);
		assertThat(job.prompt()).isEqualTo("run the nightly checks");
		assertThat(job.sandbox()).isEqualTo("sched-box");

		// Quartz retrying the firing, even a moment later: nothing left to handle.
		assertThat(this.firing.fire(schedule.id(), slot)).isEmpty();
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(this.firing.fire(schedule.id(), slot)).isEmpty();
		assertThat(jobsOf(schedule.id())).containsExactly(job.id());
		assertThat(firings(schedule.id())).hasSize(1);
	}

	@Test
	void aFiringRepeatedAfterACrashBetweenSubmitAndEventGetsTheSameJobBack() {
		ScheduleView schedule = add("@hourly", null, null);
		Instant created = this.jdbc.sql("SELECT last_slot FROM schedules WHERE id = :id")
			.param("id", schedule.id())
			.query(java.time.OffsetDateTime.class)
			.single()
			.toInstant();
		Instant slot = stepTo(schedule.nextFireAt());
		long first = this.firing.fire(schedule.id(), slot).orElseThrow().jobId();
		// As if the daemon died after the job was stored but before last_slot moved.
		this.jdbc.sql("UPDATE schedules SET last_slot = :created WHERE id = :id")
			.param("created", created.atOffset(ZoneOffset.UTC))
			.param("id", schedule.id())
			.update();

		ScheduleEvent again = this.firing.fire(schedule.id(), slot).orElseThrow();

		assertThat(again.kind()).isEqualTo("ENQUEUED");
		assertThat(again.jobId()).isEqualTo(first);
		assertThat(jobsOf(schedule.id())).containsExactly(first);
	}

	@Test
	void downAcrossThreeSlotsAndBackWithinTheWindowRunsTheLatestOnceAndSaysTwoWereMissed() {
		ScheduleView schedule = add("@hourly", null, null);
		Instant first = schedule.nextFireAt();
		Instant latest = first.plus(Duration.ofHours(2));
		stepTo(latest.plus(Duration.ofMinutes(10)));

		// Quartz's misfire handling fires once "now"; its fire time says nothing about
		// the slots.
		ScheduleEvent event = this.firing.fire(schedule.id(), this.clock.instant()).orElseThrow();

		assertThat(event.kind()).isEqualTo("CATCH_UP");
		assertThat(event.slot()).isEqualTo(latest);
		assertThat(event.detail())
			.startsWith("the " + ScheduleFiring.format(latest, ZoneOffset.UTC)
					+ " slot passed while the daemon was down: queued job " + event.jobId() + " 10m late, once")
			.endsWith("; 2 earlier slots were missed while the daemon was down (from "
					+ ScheduleFiring.format(first, ZoneOffset.UTC) + ", UTC), not run");
		assertThat(jobsOf(schedule.id())).containsExactly(event.jobId());
		assertThat(this.queue.view(event.jobId()).scheduledFor()).isEqualTo(latest);
		assertThat(this.firing.fire(schedule.id(), this.clock.instant())).isEmpty();
	}

	@Test
	void downPastTheCatchUpWindowRecordsOneMissedEventAndRunsNothing() {
		ScheduleView schedule = add("@hourly", null, 1800L);
		Instant first = schedule.nextFireAt();
		Instant latest = first.plus(Duration.ofHours(2));
		stepTo(latest.plus(Duration.ofMinutes(40)));

		ScheduleEvent event = this.firing.fire(schedule.id(), this.clock.instant()).orElseThrow();

		assertThat(event.kind()).isEqualTo("MISSED");
		assertThat(event.jobId()).isNull();
		assertThat(event.slot()).isEqualTo(latest);
		assertThat(event.detail()).isEqualTo("3 slots missed while the daemon was down, "
				+ ScheduleFiring.format(first, ZoneOffset.UTC) + " to " + ScheduleFiring.format(latest, ZoneOffset.UTC)
				+ " (UTC); the latest was 40m ago, more than the catch-up window of 30m, so none was run");
		assertThat(jobsOf(schedule.id())).isEmpty();
		assertThat(this.firing.fire(schedule.id(), this.clock.instant())).isEmpty();
		assertThat(firings(schedule.id())).extracting(ScheduleEvent::kind).containsExactly("MISSED");
	}

	@Test
	void overlapSkipRecordsTheSkipAndMakesNoJobWhileTheLastRunIsQueued() {
		ScheduleView schedule = add("0 * * * * ?", OverlapPolicy.SKIP, null);
		long running = this.firing.fire(schedule.id(), stepTo(schedule.nextFireAt())).orElseThrow().jobId();

		ScheduleEvent skipped = this.firing.fire(schedule.id(), stepTo(next(schedule))).orElseThrow();

		assertThat(skipped.kind()).isEqualTo("SKIPPED_OVERLAP");
		assertThat(skipped.jobId()).isNull();
		assertThat(skipped.detail())
			.isEqualTo("not run: its previous run, job " + running + ", is still QUEUED (overlap policy skip)");
		assertThat(jobsOf(schedule.id())).containsExactly(running);

		// Once the previous run has ended, the next slot runs again.
		this.queue.cancel(running);
		ScheduleEvent after = this.firing.fire(schedule.id(), stepTo(next(schedule))).orElseThrow();
		assertThat(after.kind()).isEqualTo("ENQUEUED");
		assertThat(jobsOf(schedule.id())).containsExactly(running, after.jobId());
	}

	@Test
	void overlapQueueQueuesTheNextRunBehindTheUnfinishedOne() {
		ScheduleView schedule = add("0 * * * * ?", OverlapPolicy.QUEUE, null);
		long running = this.firing.fire(schedule.id(), stepTo(schedule.nextFireAt())).orElseThrow().jobId();

		ScheduleEvent queued = this.firing.fire(schedule.id(), stepTo(next(schedule))).orElseThrow();

		assertThat(queued.kind()).isEqualTo("ENQUEUED");
		assertThat(queued.detail()).isEqualTo(
				"queued job " + queued.jobId() + " behind its previous run, job " + running + ", is still QUEUED");
		assertThat(jobsOf(schedule.id())).containsExactly(running, queued.jobId());
	}

	@Test
	void theDailyCostCapStopsNewRunsOnceTheDaysRunsCostThatMuch() {
		awayFromMidnight();
		ScheduleView schedule = this.schedules.add(new ScheduleRequest("0 * * * * ?", "UTC", null, null, null, null,
				OverlapPolicy.QUEUE, null, null, null, new BigDecimal("1.00"), "costly"));
		long first = this.firing.fire(schedule.id(), stepTo(schedule.nextFireAt())).orElseThrow().jobId();
		this.jdbc.sql("UPDATE jobs SET cost_usd = 0.40 WHERE id = :id").param("id", first).update();
		long second = this.firing.fire(schedule.id(), stepTo(next(schedule))).orElseThrow().jobId();
		this.jdbc.sql("UPDATE jobs SET cost_usd = 0.60 WHERE id = :id").param("id", second).update();

		ScheduleEvent capped = this.firing.fire(schedule.id(), stepTo(next(schedule))).orElseThrow();

		assertThat(capped.kind()).isEqualTo("SKIPPED_COST_CAP");
		assertThat(capped.jobId()).isNull();
		assertThat(capped.detail()).isEqualTo("not run: the schedule's runs cost $1 today (UTC), its daily cap is $1");
		assertThat(jobsOf(schedule.id())).containsExactly(first, second);
	}

	@Test
	void aPausedScheduleNeverFiresAndOnResumeTheSlotsWhilePausedAreNotRun() {
		ScheduleView schedule = add("@hourly", null, null);
		ScheduleView paused = this.schedules.pause(schedule.id());
		assertThat(paused.paused()).isTrue();
		assertThat(paused.nextFireAt()).isNull();
		assertThat(triggerState(schedule.id())).isEqualTo("PAUSED");
		assertThat(this.schedules.pause(schedule.id()).paused()).isTrue(); // idempotent,
																			// no second
																			// event

		assertThat(this.firing.fire(schedule.id(), stepTo(schedule.nextFireAt()))).isEmpty();
		stepTo(this.clock.instant().plus(Duration.ofHours(3)));
		assertThat(this.firing.fire(schedule.id(), this.clock.instant())).isEmpty();

		ScheduleView resumed = this.schedules.resume(schedule.id());
		assertThat(resumed.paused()).isFalse();
		assertThat(triggerState(schedule.id())).isEqualTo("WAITING");
		assertThat(this.firing.fire(schedule.id(), this.clock.instant())).isEmpty();
		assertThat(jobsOf(schedule.id())).isEmpty();
		ScheduleEvent next = this.firing.fire(schedule.id(), stepTo(resumed.nextFireAt())).orElseThrow();
		assertThat(next.kind()).isEqualTo("ENQUEUED");
		assertThat(this.schedules.details(schedule.id()).events()).extracting(ScheduleEvent::kind)
			.containsExactly("ENQUEUED", "RESUMED", "PAUSED", "CREATED");
	}

	@Test
	void runNowQueuesAtOnceButAnOverlapSkipStillHoldsAndIsRecorded() {
		ScheduleView schedule = add("@yearly", OverlapPolicy.SKIP, null);

		JobView job = this.schedules.runNow(schedule.id());

		assertThat(job.trigger()).isEqualTo("schedule");
		assertThat(job.scheduleId()).isEqualTo(schedule.id());
		assertThatExceptionOfType(ScheduleBusyException.class).isThrownBy(() -> this.schedules.runNow(schedule.id()))
			.withMessage("schedule " + schedule.id() + " did not start another run: its previous run, job " + job.id()
					+ ", is still QUEUED and its overlap policy is skip; wait for it ('dilxc-client logs " + job.id()
					+ "'), cancel it ('dilxc-client cancel " + job.id()
					+ "'), or re-add the schedule with --overlap queue");
		assertThat(jobsOf(schedule.id())).containsExactly(job.id());
		assertThat(this.schedules.details(schedule.id()).events()).extracting(ScheduleEvent::kind, ScheduleEvent::jobId)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("SKIPPED_OVERLAP", null),
					org.assertj.core.groups.Tuple.tuple("RUN_NOW", job.id()),
					org.assertj.core.groups.Tuple.tuple("CREATED", null));
		ScheduleView view = this.schedules.list()
			.stream()
			.filter((s) -> s.id() == schedule.id())
			.findFirst()
			.orElseThrow();
		assertThat(view.lastJobId()).isEqualTo(job.id());
		assertThat(view.lastJobState()).isEqualTo(JobState.QUEUED);
		assertThat(view.lastFiredAt()).isNotNull();
		assertThatExceptionOfType(ScheduleNotFoundException.class).isThrownBy(() -> this.schedules.runNow(987654));
	}

	@Test
	void addStoresTheDefaultsAndTheQuartzTriggerAndShowsTheNextFiveFirings() {
		ScheduleView schedule = this.schedules.add(new ScheduleRequest("30 2 * * 1-5", "Europe/Berlin", "sched-other",
				RestorePolicy.ALWAYS, 900L, true, null, null, 25, new BigDecimal("2.5"), null, "weekday fixes"));

		assertThat(schedule)
			.extracting(ScheduleView::cron, ScheduleView::quartzCron, ScheduleView::timeZone, ScheduleView::sandbox,
					ScheduleView::restorePolicy, ScheduleView::timeoutSeconds, ScheduleView::sync,
					ScheduleView::overlap, ScheduleView::catchUpSeconds, ScheduleView::maxTurns, ScheduleView::paused)
			.containsExactly("30 2 * * 1-5", "0 30 2 ? * 2-6", "Europe/Berlin", "sched-other", RestorePolicy.ALWAYS,
					900L, true, OverlapPolicy.SKIP, 6 * 3600L, 25, false);
		assertThat(schedule.maxBudgetUsd()).isEqualByComparingTo("2.5");
		assertThat(schedule.lastJobId()).isNull();
		ScheduleDetails details = this.schedules.details(schedule.id());
		assertThat(details.upcoming()).hasSize(5).first().isEqualTo(schedule.nextFireAt());
		assertThat(details.upcoming()).allSatisfy((at) -> {
			var local = at.atZone(java.time.ZoneId.of("Europe/Berlin"));
			assertThat(local.toLocalTime()).isEqualTo(LocalTime.of(2, 30));
			assertThat(local.getDayOfWeek().getValue()).isBetween(1, 5);
		});
		assertThat(details.events()).singleElement().satisfies((event) -> {
			assertThat(event.kind()).isEqualTo("CREATED");
			assertThat(event.detail())
				.startsWith("added: '30 2 * * 1-5' (Quartz '0 30 2 ? * 2-6') in Europe/Berlin; first run ");
		});
		assertThat(this.jdbc.sql("""
				SELECT c.cron_expression || ' ' || c.time_zone_id FROM qrtz_cron_triggers c
				WHERE c.trigger_name = :name AND c.trigger_group = 'dilxc-schedules'
				""").param("name", "schedule-" + schedule.id()).query(String.class).single())
			.isEqualTo("0 30 2 ? * 2-6 Europe/Berlin");
		assertThat(this.schedules.details(schedule.id()).schedule().nextFireAt()).isEqualTo(schedule.nextFireAt());
	}

	@Test
	void badInputIsRefusedNamingWhatIsWrongAndStoresNothing() {
		int before = countSchedules();
		assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> add("0 2 * *", null, null))
			.withMessageStartingWith("the cron expression '0 2 * *' has 4 fields");
		assertThatExceptionOfType(InvalidScheduleException.class)
			.isThrownBy(() -> this.schedules.add(request("@daily", "Mars/Olympus", "x")))
			.withMessageStartingWith("unknown time zone 'Mars/Olympus'");
		assertThatExceptionOfType(InvalidJobRequestException.class)
			.isThrownBy(() -> this.schedules.add(request("@daily", null, "  ")))
			.withMessageStartingWith("the prompt is empty");
		assertThatExceptionOfType(InvalidJobRequestException.class).isThrownBy(() -> this.schedules.add(
				new ScheduleRequest("@daily", null, "bad name!", null, null, null, null, null, null, null, null, "x")));
		assertThatExceptionOfType(InvalidJobRequestException.class)
			.isThrownBy(() -> this.schedules
				.add(new ScheduleRequest("@daily", null, null, null, 0L, null, null, null, null, null, null, "x")))
			.withMessageStartingWith("the timeout must be between 1s and");
		assertThatExceptionOfType(InvalidJobRequestException.class)
			.isThrownBy(() -> this.schedules
				.add(new ScheduleRequest("@daily", null, null, null, null, null, null, null, 0, null, null, "x")))
			.withMessageStartingWith("max-turns must be between 1 and 10000");
		assertThatExceptionOfType(InvalidScheduleException.class)
			.isThrownBy(() -> this.schedules
				.add(new ScheduleRequest("@daily", null, null, null, null, null, null, -1L, null, null, null, "x")))
			.withMessageStartingWith("the catch-up window must be 0 seconds or more, not -1s");
		assertThatExceptionOfType(InvalidScheduleException.class)
			.isThrownBy(() -> this.schedules.add(new ScheduleRequest("@daily", null, null, null, null, null, null, null,
					null, null, BigDecimal.ZERO, "x")))
			.withMessage("max-daily-cost-usd must be more than 0, not 0 (leave it out for no daily cap)");
		assertThat(countSchedules()).isEqualTo(before);
	}

	@Test
	void removeDeletesTheRowAndTheTriggerAndKeepsTheEventsAndTheJobs() {
		ScheduleView schedule = add("@hourly", null, null);
		long job = this.firing.fire(schedule.id(), stepTo(schedule.nextFireAt())).orElseThrow().jobId();

		this.schedules.remove(schedule.id());

		assertThatExceptionOfType(ScheduleNotFoundException.class)
			.isThrownBy(() -> this.schedules.details(schedule.id()))
			.withMessage("there is no schedule " + schedule.id()
					+ ": 'dilxc-client schedules' lists the schedules there are");
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM qrtz_triggers WHERE trigger_name = :name")
			.param("name", "schedule-" + schedule.id())
			.query(Integer.class)
			.single()).isZero();
		assertThat(this.jdbc.sql("SELECT kind FROM schedule_events WHERE schedule_id = :id ORDER BY id")
			.param("id", schedule.id())
			.query(String.class)
			.list()).containsExactly("CREATED", "ENQUEUED", "DELETED");
		assertThat(this.queue.view(job).state()).isEqualTo(JobState.QUEUED);
		assertThat(this.firing.fire(schedule.id(), this.clock.instant())).isEmpty();
		assertThatExceptionOfType(ScheduleNotFoundException.class)
			.isThrownBy(() -> this.schedules.remove(schedule.id()));
	}

	@Test
	void theReportListsTheWindowsJobsItsMissedAndSkippedSlotsAndTotals() {
		Instant since = this.clock.instant();
		ScheduleView nightly = add("@hourly", OverlapPolicy.SKIP, 1800L);
		long ran = this.firing.fire(nightly.id(), stepTo(nightly.nextFireAt())).orElseThrow().jobId();
		ScheduleEvent skipped = this.firing.fire(nightly.id(), stepTo(next(nightly))).orElseThrow();
		this.queue.cancel(ran);
		stepTo(next(nightly).plus(Duration.ofHours(1)).plus(Duration.ofMinutes(45)));
		ScheduleEvent missed = this.firing.fire(nightly.id(), this.clock.instant()).orElseThrow();
		JobView manual = this.queue.submit(new dev.dilxc.api.SubmitJobRequest("by hand", null, null, null));
		Instant started = this.clock.instant().minusSeconds(100);
		this.jdbc.sql("""
				UPDATE jobs SET state = 'FAILED', started_at = :started, finished_at = :finished, cost_usd = 0.75,
				  num_turns = 4, files_changed = 3, restored_to = 'dilxc-job-' || id WHERE id = :id
				""")
			.param("started", started.atOffset(ZoneOffset.UTC))
			.param("finished", started.plusSeconds(90).atOffset(ZoneOffset.UTC))
			.param("id", manual.id())
			.update();
		this.jdbc.sql("UPDATE jobs SET cost_usd = 0.25, num_turns = 2 WHERE id = :id").param("id", ran).update();
		Instant until = this.clock.instant().plusSeconds(1);

		ReportView report = this.report.report(since, until);

		assertThat(report.jobs()).extracting(JobView::id).containsExactly(ran, manual.id());
		assertThat(report.scheduleEvents()).extracting(ScheduleEvent::id).containsExactly(skipped.id(), missed.id());
		assertThat(report.scheduleEvents()).extracting(ScheduleEvent::kind)
			.containsExactly("SKIPPED_OVERLAP", "MISSED");
		ReportView.Totals totals = report.totals();
		assertThat(totals)
			.extracting(ReportView.Totals::jobs, ReportView.Totals::succeeded, ReportView.Totals::failed,
					ReportView.Totals::cancelled, ReportView.Totals::unfinished, ReportView.Totals::restored,
					ReportView.Totals::turns, ReportView.Totals::filesChanged, ReportView.Totals::runSeconds)
			.containsExactly(2, 0, 1, 1, 0, 1, 6, 3, 90L);
		assertThat(totals.costUsd()).isEqualByComparingTo("1.00");
		assertThat(this.report.report(until, until.plusSeconds(60)).jobs()).isEmpty();
		assertThatExceptionOfType(InvalidScheduleException.class).isThrownBy(() -> this.report.report(until, since))
			.withMessageStartingWith("the report window is empty");
	}

	@Test
	void quartzStopsBeforeTheJobWorkerAndTheStartupCatchUpRunsBetweenThem() {
		int quartz = this.context.getBean(SchedulerFactoryBean.class).getPhase();
		int startup = this.context.getBean(ScheduleStartup.class).getPhase();
		int worker = this.context.getBean("jobWorker", SmartLifecycle.class).getPhase();

		// Lifecycle beans start in ascending phase order and stop in descending order.
		assertThat(worker).isLessThan(startup);
		assertThat(startup).isLessThan(quartz);
	}

	private ScheduleView add(String cron, OverlapPolicy overlap, Long catchUpSeconds) {
		return this.schedules.add(new ScheduleRequest(cron, "UTC", null, null, null, null, overlap, catchUpSeconds,
				null, null, null, "run the nightly checks"));
	}

	private static ScheduleRequest request(String cron, String zone, String prompt) {
		return new ScheduleRequest(cron, zone, null, null, null, null, null, null, null, null, null, prompt);
	}

	/**
	 * Moves the clock to {@code slot} (or just past it: real time runs on) and returns
	 * the slot.
	 */
	private Instant stepTo(Instant slot) {
		Duration ahead = Duration.between(this.clock.instant(), slot);
		if (!ahead.isNegative()) {
			this.clock.advance(ahead);
		}
		return slot;
	}

	private Instant next(ScheduleView schedule) {
		return this.schedules.details(schedule.id()).schedule().nextFireAt();
	}

	/** Keeps a test of "today" from straddling midnight UTC. */
	private void awayFromMidnight() {
		LocalTime now = LocalTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		if (now.isAfter(LocalTime.of(23, 50))) {
			this.clock.advance(Duration.ofMinutes(15));
		}
	}

	private List<Long> jobsOf(long scheduleId) {
		return this.jdbc.sql("SELECT id FROM jobs WHERE schedule_id = :id ORDER BY id")
			.param("id", scheduleId)
			.query(Long.class)
			.list();
	}

	private List<ScheduleEvent> firings(long scheduleId) {
		return this.schedules.details(scheduleId)
			.events()
			.stream()
			.filter((event) -> ScheduleRepository.FIRINGS.contains(event.kind()))
			.toList();
	}

	private String triggerState(long scheduleId) {
		Optional<String> state = this.jdbc.sql("SELECT trigger_state FROM qrtz_triggers WHERE trigger_name = :name")
			.param("name", "schedule-" + scheduleId)
			.query(String.class)
			.optional();
		return state.orElse(null);
	}

	private int countSchedules() {
		return this.jdbc.sql("SELECT COUNT(*) FROM schedules").query(Integer.class).single();
	}

}
