package dev.dilxc.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.api.DaemonStatus;
import dev.dilxc.api.JobDetails;
import dev.dilxc.api.JobHistoryEntry;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.ScheduleEvent;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.daemon.JobAlreadyFinishedException;
import dev.dilxc.client.daemon.UnixSocketHttpClient;
import dev.dilxc.client.e2e.ClientProcess.Run;
import dev.dilxc.daemon.testing.Await;
import dev.dilxc.daemon.testing.FakeAnthropicApi.Answer;
import dev.dilxc.daemon.testing.ScriptedSandbox;
import dev.dilxc.daemon.testing.TestSandbox;
import dev.dilxc.daemon.testing.TestStore;

/**
 * Several daemons sharing one queue on PostgreSQL (issue 14), end to end: three packaged
 * daemons, each its own JVM with its own data directory and socket, all on one fresh
 * database of the test PostgreSQL server and on one LXD with three real sandboxes; only
 * the model is scripted. They are started once for the class (each test leaves them all
 * up and their sandboxes idle), and each test reads only its own jobs.
 */
class SharedStoreEndToEndIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration HEARTBEAT = Duration.ofSeconds(1);

	private static final Duration DEAD_AFTER = Duration.ofSeconds(4);

	@RegisterExtension
	static final ScriptedSandbox one = new ScriptedSandbox("dilxc-ss-1", "sk-ant-ss-1-0123456789");

	@RegisterExtension
	static final ScriptedSandbox two = new ScriptedSandbox("dilxc-ss-2", "sk-ant-ss-2-0123456789");

	@RegisterExtension
	static final ScriptedSandbox three = new ScriptedSandbox("dilxc-ss-3", "sk-ant-ss-3-0123456789");

	@TempDir
	static Path home;

	/** The three daemons by their {@code dilxc.cluster.daemon-name}. */
	private static final Map<String, DaemonProcess> daemons = new LinkedHashMap<>();

	private static String database;

	@BeforeAll
	static void threeDaemonsOnOneDatabase() throws Exception {
		database = TestStore.newDatabase();
		for (String name : List.of("a", "b", "c")) {
			daemons.put(name, new DaemonProcess(Files.createDirectories(home.resolve(name)), arguments(name)));
		}
		DaemonProcess.startTogether(daemons.values());
	}

	@AfterAll
	static void stopDaemons() throws InterruptedException {
		for (DaemonProcess daemon : daemons.values()) {
			daemon.close();
		}
	}

	@Test
	void fiftyJobsSubmittedThroughThreeDaemonsEachRunOnceOneAtATimeInOrderPerSandboxSpreadOverTheDaemons()
			throws Exception {
		List<ScriptedSandbox> sandboxes = List.of(one, two, three);
		List<DaemonProcess> through = List.copyOf(daemons.values());
		// Three streams at once, one per sandbox, each through the three daemons in turn.
		// Within a stream each submit is acknowledged before the next is sent: the order
		// the sandbox's jobs must run in. (Submits in flight together have no order:
		// ids follow the sequence, claims the commits.)
		List<List<Long>> streams = new ArrayList<>();
		try (ExecutorService submits = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<List<Long>>> running = IntStream.range(0, 3).mapToObj((s) -> submits.submit(() -> {
				List<Long> stream = new ArrayList<>();
				for (int i = s; i < 50; i += 3) {
					stream.add(client(through.get((i / 3) % 3))
						.submit(new SubmitJobRequest("quick job " + i, sandboxes.get(s).sandbox().name(), null, null))
						.id());
				}
				return stream;
			})).toList();
			for (Future<List<Long>> stream : running) {
				streams.add(result(stream));
			}
		}
		List<Long> ids = streams.stream().flatMap(List::stream).toList();
		assertThat(Set.copyOf(ids)).hasSize(50);

		Await.until("the 50 jobs to end", Duration.ofMinutes(5), Duration.ofSeconds(1),
				() -> client(daemons.get("a")).jobs(null, null, 1000)
					.stream()
					.filter((job) -> ids.contains(job.id()))
					.toList(),
				(jobs) -> jobs.size() == 50 && jobs.stream().allMatch((job) -> job.state().isTerminal()));
		Map<Long, JobDetails> details = new LinkedHashMap<>();
		for (int i = 0; i < ids.size(); i++) {
			details.put(ids.get(i), client(through.get(i % 3)).job(ids.get(i)));
		}

		// Each ran exactly once: one claim, one end, SUCCEEDED.
		for (JobDetails job : details.values()) {
			assertThat(job.job().state()).as("job %d: %s", job.job().id(), job.job().reason())
				.isEqualTo(JobState.SUCCEEDED);
			assertThat(job.history()).as("job %d's claims", job.job().id())
				.filteredOn((entry) -> entry.event().equals("STATE") && entry.state() == JobState.SNAPSHOTTING)
				.hasSize(1);
			assertThat(job.history()).as("job %d's ends", job.job().id())
				.filteredOn((entry) -> entry.event().equals("STATE") && entry.state().isTerminal())
				.hasSize(1);
		}
		Run list = new ClientProcess(daemons.get("c").socket()).run("jobs", "--all", "--limit", "200", "--json");
		assertThat(list.exitCode()).as(list.err()).isZero();
		List<JsonNode> listed = new ArrayList<>();
		JSON.readTree(list.out()).forEach(listed::add);
		assertThat(listed.stream().map((job) -> job.get("id").asLong()).filter(ids::contains))
			.containsExactlyInAnyOrderElementsOf(ids);
		assertThat(listed.stream()
			.filter((job) -> ids.contains(job.get("id").asLong()))
			.map((job) -> job.get("state").asString())).containsOnly("SUCCEEDED");

		// One at a time per sandbox, in submission order: each job claimed its sandbox
		// only after the one submitted before it there had ended, and started after it.
		for (List<Long> stream : streams) {
			for (int i = 1; i < stream.size(); i++) {
				JobDetails before = details.get(stream.get(i - 1));
				JobDetails after = details.get(stream.get(i));
				assertThat(after.job().sandbox()).isEqualTo(before.job().sandbox());
				assertThat(after.job().id()).isGreaterThan(before.job().id());
				assertThat(claimedAt(after))
					.as("job %d claimed after job %d ended:%n%s%n%s", after.job().id(), before.job().id(), after,
							before)
					.isAfterOrEqualTo(endedAt(before));
				assertThat(after.job().startedAt())
					.as("job %d started after job %d", after.job().id(), before.job().id())
					.isAfter(before.job().startedAt());
			}
		}

		// Several daemons ran them; each job names the run that did.
		Map<String, Long> perDaemon = details.values()
			.stream()
			.collect(Collectors.groupingBy((job) -> name(job.job().daemon()), Collectors.counting()));
		assertThat(perDaemon).as("jobs per daemon").hasSizeGreaterThan(1);
		System.out.println("50 jobs per daemon: " + perDaemon);

		// What a user reads: the store and the daemons, the daemon of a job, and who ran
		// what in the list.
		ClientProcess clientOfA = new ClientProcess(daemons.get("a").socket());
		Run status = clientOfA.run("@" + one.sandbox().name(), "status");
		assertThat(status.exitCode()).as(status.err()).isZero();
		assertThat(status.out()).contains("\nDatabase:  PostgreSQL " + database + " (")
			.containsPattern("\nDaemons:   3 live: a:[0-9a-f]{6} \\(this one[,)]")
			.containsPattern("\nDaemons:   .*, b:[0-9a-f]{6}")
			.containsPattern("\nDaemons:   .*, c:[0-9a-f]{6}");
		long last = ids.getLast();
		Run job = clientOfA.run("job", Long.toString(last));
		assertThat(job.exitCode()).as(job.err()).isZero();
		assertThat(job.out()).containsPattern("(?m)^daemon: +" + details.get(last).job().daemon() + "$");
		Run table = clientOfA.withEnv("COLUMNS", "250").run("jobs", "--all");
		assertThat(table.exitCode()).as(table.err()).isZero();
		assertThat(table.out().lines().findFirst().orElseThrow())
			.containsPattern("ID +SANDBOX +STATE +TRIGGER +DAEMON");
		for (String daemon : perDaemon.keySet()) {
			assertThat(table.out()).containsPattern("(?m)^ *\\d+ +\\S+ +SUCCEEDED +manual +" + daemon + " ");
		}
	}

	@Test
	void aScheduleFiringEverySecondWithThreeDaemonsUpQueuesExactlyOneJobPerSlot() throws Exception {
		ClientProcess client = new ClientProcess(daemons.get("a").socket());
		// Quartz's six fields: every second.
		Run add = client.run("schedule", "add", "--cron", "* * * * * ?", "--sandbox", one.sandbox().name(), "--overlap",
				"queue", "--restore", "never", "--", "every second");
		assertThat(add.exitCode()).as(add.err()).isZero();
		long scheduleId = Long.parseLong(add.out().strip());

		Instant added = Instant.now();
		Await.until("30 slots of schedule " + scheduleId + " handled", Duration.ofSeconds(75), Duration.ofSeconds(1),
				() -> slotEvents(client(daemons.get("b")).schedule(scheduleId).events()),
				(events) -> events.size() >= 30);
		Run pause = new ClientProcess(daemons.get("c").socket()).run("schedule", "pause", Long.toString(scheduleId));
		assertThat(pause.exitCode()).as(pause.err()).isZero();
		Instant paused = Instant.now();
		List<ScheduleEvent> events = slotEvents(client(daemons.get("c")).schedule(scheduleId).events());
		Run remove = new ClientProcess(daemons.get("b").socket()).run("schedule", "remove", Long.toString(scheduleId));
		assertThat(remove.exitCode()).as(remove.err()).isZero();

		// Its queued jobs are not this test's point: cancelled, through each daemon in
		// turn, so the sandbox is free again.
		List<DaemonProcess> through = List.copyOf(daemons.values());
		List<JobView> queued = jobsOfSchedule(scheduleId).stream()
			.filter((job) -> job.state() == JobState.QUEUED)
			.toList();
		for (int i = 0; i < queued.size(); i++) {
			try {
				client(through.get(i % 3)).cancel(queued.get(i).id());
			}
			catch (JobAlreadyFinishedException endedMeanwhile) {
			}
		}
		List<JobView> jobs = Await.until("schedule " + scheduleId + "'s jobs to end", Duration.ofSeconds(60),
				Duration.ofMillis(500), () -> jobsOfSchedule(scheduleId),
				(all) -> all.stream().allMatch((job) -> job.state().isTerminal()));

		// No slot twice: among the jobs, among the events, and each event's job is the
		// job of its slot.
		Map<Instant, List<JobView>> jobsBySlot = jobs.stream()
			.collect(Collectors.groupingBy(JobView::scheduledFor, LinkedHashMap::new, Collectors.toList()));
		assertThat(jobsBySlot.values()).as("schedule %d's jobs by slot", scheduleId)
			.allSatisfy((slot) -> assertThat(slot).hasSize(1));
		Map<Instant, List<ScheduleEvent>> eventsBySlot = events.stream()
			.collect(Collectors.groupingBy(ScheduleEvent::slot, LinkedHashMap::new, Collectors.toList()));
		assertThat(eventsBySlot.values()).as("schedule %d's events by slot", scheduleId)
			.allSatisfy((slot) -> assertThat(slot).hasSize(1));
		assertThat(events).as("every slot handled queued a job (overlap policy queue)")
			.allSatisfy((event) -> assertThat(event.kind()).isIn("ENQUEUED", "CATCH_UP"));
		Map<Long, JobView> jobsById = jobs.stream().collect(Collectors.toMap(JobView::id, Function.identity()));
		for (ScheduleEvent event : events) {
			assertThat(jobsById.get(event.jobId())).as("the job of the %s slot", event.slot())
				.extracting(JobView::scheduledFor)
				.isEqualTo(event.slot());
		}
		assertThat(jobs).hasSizeGreaterThanOrEqualTo(events.size());

		// Every second between the first slot and the pause is a slot: how many went
		// unhandled (a firing late by more than a second hands the earlier ones over as
		// missed).
		Instant first = jobsBySlot.keySet().stream().min(Comparator.naturalOrder()).orElseThrow();
		Instant lastSlot = jobsBySlot.keySet().stream().max(Comparator.naturalOrder()).orElseThrow();
		long seconds = Duration.between(first, lastSlot).toSeconds() + 1;
		Map<String, Long> firedBy = new LinkedHashMap<>();
		for (Map.Entry<String, DaemonProcess> daemon : daemons.entrySet()) {
			firedBy.put(daemon.getKey(),
					log(daemon.getValue()).lines()
						.filter((line) -> line.contains("Schedule " + scheduleId + " ENQUEUED")
								|| line.contains("Schedule " + scheduleId + " CATCH_UP"))
						.count());
		}
		System.out.println("schedule " + scheduleId + ": " + jobs.size() + " jobs for " + seconds + " seconds from "
				+ first + " (added " + added + ", paused " + paused + "); events recorded by daemon " + firedBy
				+ "; jobs ended "
				+ jobs.stream().collect(Collectors.groupingBy(JobView::state, Collectors.counting())));
		assertThat(firedBy.values().stream().mapToLong(Long::longValue).sum())
			.as("slots recorded over the three daemons' logs")
			.isGreaterThanOrEqualTo(events.size())
			.isEqualTo(jobs.size());
	}

	@Test
	void aJobRunningOnOneDaemonCancelledThroughAnotherEndsCancelledThereWithinSecondsAndLeavesNoAgent()
			throws Exception {
		two.api().whenEmpty(Answer.hang());
		long id = client(daemons.get("a"))
			.submit(new SubmitJobRequest("hang until cancelled", two.sandbox().name(), null, null))
			.id();
		assertThat(two.api().awaitMainTurns(1, Duration.ofSeconds(90))).as("the agent reached the API").isTrue();
		JobView running = awaitRunning(id);
		String runner = name(running.daemon());
		Map.Entry<String, DaemonProcess> other = daemons.entrySet()
			.stream()
			.filter((daemon) -> !daemon.getKey().equals(runner))
			.findFirst()
			.orElseThrow();

		Instant asked = Instant.now();
		Run cancel = new ClientProcess(other.getValue().socket()).run("cancel", Long.toString(id));

		assertThat(cancel.exitCode()).as(cancel.err()).isZero();
		JobDetails cancelled = Await.until("job " + id + " to end", Duration.ofSeconds(30), Duration.ofMillis(200),
				() -> client(other.getValue()).job(id), (job) -> job.job().state().isTerminal());
		// The request is written by the daemon asked; the daemon running the job finds it
		// at its next poll and ends the agent, then restores the sandbox (seconds of LXD
		// work on a busy machine).
		Instant requested = only(cancelled.history(), "CANCEL_REQUESTED").at();
		Instant agentEnded = only(cancelled.history(), "PROCESSES_KILLED").at();
		System.out.println("job " + id + " on " + runner + ", cancelled through " + other.getKey() + ": agent ended "
				+ Duration.between(requested, agentEnded).toMillis() + " ms after the request was recorded, CANCELLED "
				+ Duration.between(asked, cancelled.job().finishedAt()).toMillis() + " ms after the client started");
		assertThat(cancelled.job().state()).as(cancelled.job().reason()).isEqualTo(JobState.CANCELLED);
		assertThat(Duration.between(requested, agentEnded)).as("the cancel reaching the agent on the other daemon")
			.isLessThan(Duration.ofSeconds(3));
		assertThat(Duration.between(asked, cancelled.job().finishedAt())).isLessThan(Duration.ofSeconds(20));
		assertThat(cancelled.job().daemon()).as("ended by the daemon that ran it").isEqualTo(running.daemon());
		// logged right after the end is written
		Await.until("job " + id + "'s end in the log of " + runner, Duration.ofSeconds(10), Duration.ofMillis(100),
				() -> log(daemons.get(runner)).contains("Job " + id + " ended CANCELLED"));
		assertThat(log(other.getValue())).doesNotContain("Job " + id + " ended");
		assertThat(two.sandbox().processesMatching("claude")).isEmpty();
	}

	@Test
	void daemonKilledMidJobIsDeclaredDeadAndAnotherSettlesItOnceRestoringTheSandboxEvenAfterItComesBack()
			throws Exception {
		String keep = TestSandbox.PROJECT + "/keep.txt";
		three.sandbox().writeFile(keep, "precious\n", "0644");
		three.api().enqueue(Answer.bash("rm " + keep));
		three.api().whenEmpty(Answer.hang());
		long id = client(daemons.get("a"))
			.submit(new SubmitJobRequest("delete keep.txt and hang", three.sandbox().name(), RestorePolicy.ON_FAILURE,
					null))
			.id();
		assertThat(three.api().awaitMainTurns(2, Duration.ofSeconds(90))).as("the agent ran its tool call").isTrue();
		assertThat(three.sandbox().fileExists(keep)).isFalse();
		JobView running = awaitRunning(id);
		String victimName = name(running.daemon());
		String deadRun = running.daemon();
		DaemonProcess victim = daemons.get(victimName);
		DaemonProcess survivor = daemons.entrySet()
			.stream()
			.filter((daemon) -> !daemon.getKey().equals(victimName))
			.findFirst()
			.orElseThrow()
			.getValue();

		Instant killed = Instant.now();
		victim.kill9();
		assertThat(three.sandbox().processesMatching("claude")).as("the agent outlives its daemon").isNotEmpty();

		// Noticed after dead-after (plus up to a heartbeat for the next look), then
		// settled: the agent ended, the sandbox restored.
		Duration bound = DEAD_AFTER.plus(HEARTBEAT).plus(Duration.ofSeconds(20));
		JobDetails settled = Await.until("job " + id + " settled by another daemon", bound, Duration.ofMillis(250),
				() -> client(survivor).job(id), (job) -> job.job().state().isTerminal());
		JobHistoryEntry recovery = only(settled.history(), "RECOVERY");
		System.out.println("job " + id + " on " + deadRun + ", killed: RECOVERY after "
				+ Duration.between(killed, recovery.at()).toMillis() + " ms, INTERRUPTED after "
				+ Duration.between(killed, settled.job().finishedAt()).toMillis() + " ms: " + recovery.detail());
		assertThat(settled.job().state()).isEqualTo(JobState.INTERRUPTED);
		assertThat(settled.job().reason()).contains("daemon " + deadRun + " died while the job was RUNNING")
			.contains("not re-run")
			.contains("sandbox restored to dilxc-job-" + id);
		Matcher settler = Pattern
			.compile("daemon " + deadRun + " died while the job was RUNNING; daemon ([a-c]:[0-9a-f]{6}) settles it; "
					+ "it will not be re-run")
			.matcher(recovery.detail());
		assertThat(settler.matches()).as(recovery.detail()).isTrue();
		assertThat(name(settler.group(1))).as("the daemon that settled it").isNotEqualTo(victimName);
		assertThat(settled.job().daemon()).as("the job adopted by its settler").isEqualTo(settler.group(1));
		assertThat(Duration.between(killed, recovery.at())).as("death noticed within dead-after and a heartbeat")
			.isLessThan(DEAD_AFTER.plus(HEARTBEAT).plus(Duration.ofSeconds(3)));
		assertThat(three.sandbox().readFile(keep)).isEqualTo("precious\n");
		assertThat(three.sandbox().processesMatching("claude")).isEmpty();
		assertThat(three.sandbox().snapshots()).contains("dilxc-job-" + id + "-failed");

		// The killed daemon back, same home and settings: a new run; nothing is settled
		// twice.
		victim.start();
		DaemonStatus restarted = Await.until("the restarted daemon to live through two heartbeats",
				Duration.ofSeconds(30), Duration.ofMillis(250), () -> client(victim).daemonStatus(),
				(status) -> status.store()
					.daemons()
					.stream()
					.anyMatch((daemon) -> daemon.id().equals(status.store().daemon())
							&& Duration.between(daemon.startedAt(), daemon.heartbeatAt())
								.compareTo(HEARTBEAT.multipliedBy(2)) >= 0));
		String newRun = restarted.store().daemon();
		assertThat(newRun).startsWith(victimName + ":").isNotEqualTo(deadRun);
		JobDetails after = client(victim).job(id);
		assertThat(after.job().state()).isEqualTo(JobState.INTERRUPTED);
		assertThat(after.job().finishedAt()).isEqualTo(settled.job().finishedAt());
		assertThat(after.history()).filteredOn((entry) -> entry.event().equals("RECOVERY")).hasSize(1);
		assertThat(after.history()).filteredOn((entry) -> entry.event().equals("PROCESSES_KILLED")).hasSize(1);
		assertThat(after.history()).filteredOn((entry) -> entry.event().equals("STATE") && entry.state().isTerminal())
			.hasSize(1);
		Map<String, Boolean> settledIn = new LinkedHashMap<>();
		for (Map.Entry<String, DaemonProcess> daemon : daemons.entrySet()) {
			settledIn.put(daemon.getKey(), log(daemon.getValue())
				.contains("Job " + id + " was RUNNING on daemon " + deadRun + ", which is dead"));
		}
		assertThat(settledIn).as("the daemons' logs that settle job %d", id)
			.containsEntry(name(settler.group(1)), true);
		assertThat(settledIn.values()).as("the daemons' logs that settle job %d: %s", id, settledIn)
			.containsOnlyOnce(true);
		for (Map.Entry<String, DaemonProcess> daemon : daemons.entrySet()) {
			Run status = new ClientProcess(daemon.getValue().socket()).run("status", "--json");
			assertThat(status.exitCode()).as(status.err()).isZero();
			List<String> live = new ArrayList<>();
			JSON.readTree(status.out())
				.get("daemon")
				.get("store")
				.get("daemons")
				.forEach((run) -> live.add(run.get("id").asString()));
			assertThat(live).as("the live daemons as %s sees them", daemon.getKey())
				.hasSize(3)
				.contains(newRun)
				.doesNotContain(deadRun);
		}
	}

	private static JobView awaitRunning(long id) {
		return Await.until("job " + id + " RUNNING on a daemon", Duration.ofSeconds(60), Duration.ofMillis(200),
				() -> client(daemons.get("a")).job(id).job(),
				(job) -> job.state() == JobState.RUNNING && job.daemon() != null);
	}

	private static List<JobView> jobsOfSchedule(long scheduleId) {
		return client(daemons.get("a")).jobs(null, one.sandbox().name(), 1000)
			.stream()
			.filter((job) -> job.scheduleId() != null && job.scheduleId() == scheduleId)
			.toList();
	}

	/** The events for a slot (not those of a pause, a resume or the removal). */
	private static List<ScheduleEvent> slotEvents(List<ScheduleEvent> events) {
		return events.stream().filter((event) -> event.slot() != null).toList();
	}

	private static JobHistoryEntry only(List<JobHistoryEntry> history, String event) {
		List<JobHistoryEntry> entries = history.stream().filter((entry) -> entry.event().equals(event)).toList();
		assertThat(entries).as("%s entries in %s", event, history).hasSize(1);
		return entries.getFirst();
	}

	/** When the job took its sandbox: its claim. */
	private static Instant claimedAt(JobDetails job) {
		return only(job.history()
			.stream()
			.filter((entry) -> entry.event().equals("STATE") && entry.state() == JobState.SNAPSHOTTING)
			.toList(), "STATE").at();
	}

	/** When the job gave its sandbox back: its end. */
	private static Instant endedAt(JobDetails job) {
		return only(job.history()
			.stream()
			.filter((entry) -> entry.event().equals("STATE") && entry.state().isTerminal())
			.toList(), "STATE").at();
	}

	/** The daemon's name in a run id ({@code b:1a2b3c}: {@code b}). */
	private static String name(String run) {
		assertThat(run).as("a daemon run id").matches("[a-c]:[0-9a-f]{6}");
		return run.substring(0, run.indexOf(':'));
	}

	private static String log(DaemonProcess daemon) {
		try {
			return Files.readString(daemon.log());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The daemon's API in this JVM, as the client jar speaks it: for the bulk work. */
	private static DaemonClient client(DaemonProcess daemon) {
		return new DaemonClient(new UnixSocketHttpClient(daemon.socket()), ClientCommands.jsonMapper());
	}

	private static String[] arguments(String name) {
		return new String[] { "--spring.datasource.url=" + database, "--spring.datasource.username=postgres",
				// trust authentication on the test server: no secret
				"--spring.datasource.password=", "--dilxc.cluster.daemon-name=" + name,
				"--dilxc.cluster.heartbeat-interval=" + HEARTBEAT.toSeconds() + "s",
				"--dilxc.cluster.dead-after=" + DEAD_AFTER.toSeconds() + "s", "--dilxc.jobs.poll-interval=200ms",
				// counted over all daemons: one job per sandbox at once
				"--dilxc.jobs.max-concurrent-jobs=3", "--dilxc.jobs.default-sandbox=" + one.sandbox().name(),
				"--dilxc.sandboxes.kill-grace=2s" };
	}

	private static <T> T result(Future<T> future) throws Exception {
		try {
			return future.get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof Exception cause) {
				throw cause;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

}
