package dev.dilxc.daemon.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.dilxc.api.JobDetails;
import dev.dilxc.api.JobHistoryEntry;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.jobs.JobQueue;
import dev.dilxc.daemon.system.DaemonPaths;
import dev.dilxc.daemon.testing.Await;
import dev.dilxc.daemon.testing.FakeAnthropicApi;
import dev.dilxc.daemon.testing.FakeAnthropicApi.Answer;
import dev.dilxc.daemon.testing.Lxc;
import dev.dilxc.daemon.testing.TestBackend;
import dev.dilxc.daemon.testing.TestSandbox;
import dev.dilxc.daemon.testing.TestStore;

/**
 * Benchmark (not a test: surefire/failsafe only pick up *Tests / *IntegrationTests) of
 * the daemon's own overhead per job, on real LXD with the real Claude Code CLI answering
 * a scripted fake API at once.
 *
 * <p>
 * The daemon runs in this JVM: the full Spring Boot context of {@link DaemonApplication}
 * (H2 file database with WRITE_DELAY=0, or with {@code -Ddilxc.bench.store=postgresql} a
 * fresh database of its own on the test PostgreSQL server,
 * {@link TestStore#newDatabase()}; CliLxd, virtual threads) with the web server off and
 * the job worker's normal loop ON, which {@link JobQueue#submit} wakes exactly as the
 * HTTP controller's submit does. Jobs run one at a time.
 * {@code dilxc.sandboxes.claude-executable} points at a wrapper pushed into the sandbox
 * that stamps CLOCK_REALTIME ({@code $EPOCHREALTIME}, bash builtin, no fork) just before
 * it starts the real {@code claude} and just after it exits, into a host directory bound
 * into the container (so the stamps survive a restore). The host and the container share
 * the kernel clock.
 *
 * <p>
 * Per job: (1) submit to agent start = [Instant.now() just before JobQueue.submit] to
 * [wrapper start stamp]; (2) agent exit to terminal = [wrapper exit stamp] to [the first
 * read of the jobs table, polled every 0.25 ms once the exit stamp exists, that shows a
 * terminal state]. Between jobs the benchmark waits {@code DILXC_BENCH_GAP_MS}, takes one
 * raw sample of {@code lxc exec SANDBOX -- true} and {@code lxc snapshot SANDBOX NAME}
 * (and {@code lxc restore} in the {@code always} series) on the same sandbox, and waits
 * again, so raw and daemon figures share the machine's noise.
 *
 * <p>
 * Environment: DILXC_BENCH_JOBS (25), DILXC_BENCH_WARMUP (3), DILXC_BENCH_SERIES
 * ("never,always"), DILXC_BENCH_GAP_MS (1000); system properties
 * {@code dilxc.lxd.backend} (lxd or incus) and {@code dilxc.bench.store} (h2 or
 * postgresql). Run with {@code deploy/benchmark.sh}. The sandbox is deleted at the end,
 * on failure and on SIGINT/SIGTERM; a PostgreSQL database when the JVM exits.
 */
public final class JobOverheadBenchmark {

	private static final String WRAPPER = "/usr/local/bin/claude-timed";

	private static final String STAMPS_IN_SANDBOX = "/bench";

	private static final String API_KEY = "sk-ant-bench-0000000000";

	private static final Duration JOB_LIMIT = Duration.ofMinutes(5);

	/**
	 * Stamps start and exit around the real CLI; writes both only after the exit stamp is
	 * taken.
	 */
	private static final String WRAPPER_SCRIPT = """
			#!/bin/bash
			# dilxc benchmark: CLOCK_REALTIME (microseconds, bash builtin, no fork) just before the real
			# Claude Code CLI starts and just after it exits, into %1$s/<job id>.start|.end.
			start=$EPOCHREALTIME
			claude "$@"
			code=$?
			end=$EPOCHREALTIME
			printf '%%s\\n' "$start" > "%1$s/${DILXC_JOB_ID}.start"
			printf '%%s %%s\\n' "$end" "$code" > "%1$s/${DILXC_JOB_ID}.end"
			exit "$code"
			""".formatted(STAMPS_IN_SANDBOX);

	private static final PrintStream out = System.out;

	/**
	 * The system property that chooses the daemon's store: h2 (the default) or
	 * postgresql.
	 */
	public static final String STORE_PROPERTY = "dilxc.bench.store";

	private final int jobs;

	private final int warmup;

	private final List<RestorePolicy> series;

	private final long gapMillis;

	private final TestStore store;

	private final AtomicBoolean cleanedUp = new AtomicBoolean();

	private FakeAnthropicApi api;

	private TestSandbox sandbox;

	private Path work;

	private ConfigurableApplicationContext context;

	private JobQueue queue;

	private JdbcTemplate jdbc;

	private int rawCounter;

	private JobOverheadBenchmark(int jobs, int warmup, List<RestorePolicy> series, long gapMillis, TestStore store) {
		this.store = store;
		this.jobs = jobs;
		this.warmup = warmup;
		this.series = series;
		this.gapMillis = gapMillis;
	}

	public static void main(String[] args) {
		int jobs = intEnv("DILXC_BENCH_JOBS", 25, 1);
		int warmup = intEnv("DILXC_BENCH_WARMUP", 3, 0);
		long gap = intEnv("DILXC_BENCH_GAP_MS", 1000, 0);
		List<RestorePolicy> series = Arrays.stream(env("DILXC_BENCH_SERIES", "never,always").split(","))
			.map(String::strip)
			.filter((s) -> !s.isEmpty())
			.map(RestorePolicy::parse)
			.toList();
		String chosen = System.getProperty(STORE_PROPERTY, "h2").strip();
		TestStore store = switch (chosen.toLowerCase(Locale.ROOT)) {
			case "h2" -> TestStore.H2;
			case "postgresql" -> TestStore.POSTGRESQL;
			default -> throw new IllegalArgumentException(
					"-D" + STORE_PROPERTY + "=" + chosen + " names no store: use h2 or postgresql");
		};
		JobOverheadBenchmark benchmark = new JobOverheadBenchmark(jobs, warmup, series, gap, store);
		System.exit(BenchSettings.run(benchmark::run, benchmark::cleanUp));
	}

	private void run() throws Exception {
		TestSandbox.requireLxd();
		String loadBefore = BenchSettings.loadAverage();
		this.api = FakeAnthropicApi.start();
		this.api.whenEmpty(Answer.text("ok"));
		this.work = Files.createTempDirectory("dilxc-bench-");
		Path stamps = Files.createDirectory(this.work.resolve("stamps"));
		Files.setPosixFilePermissions(stamps, PosixFilePermissions.fromString("rwxrwxrwx"));

		progress("launching sandbox from image " + TestSandbox.IMAGE);
		this.sandbox = TestSandbox.launch("dilxc-bench", this.api, API_KEY);
		String name = this.sandbox.name();
		Lxc.run("config", "device", "add", name, "benchstamps", "disk", "source=" + stamps, "path=" + STAMPS_IN_SANDBOX)
			.orFail("bind the stamp directory");
		Lxc.runWithInput(WRAPPER_SCRIPT.getBytes(StandardCharsets.UTF_8), "exec", name, "--", "sh", "-c",
				"cat > \"$1\" && chmod 0755 \"$1\"", "push", WRAPPER)
			.orFail("push " + WRAPPER);

		progress("starting the daemon in-process (worker loop on, store " + storeName() + "), sandbox " + name);
		startDaemon(name);

		List<SeriesResult> results = new ArrayList<>();
		for (RestorePolicy policy : this.series) {
			results.add(runSeries(policy, stamps));
		}
		report(results, loadBefore, BenchSettings.loadAverage());
	}

	private void startDaemon(String sandboxName) {
		Path data = this.work.resolve("data");
		Path socket = this.work.resolve("run/daemon.sock");
		new DaemonPaths(data, socket).prepareDataDirectory();
		List<String> args = new ArrayList<>(List.of("--dilxc.data-dir=" + data, "--dilxc.socket=" + socket,
				"--dilxc.jobs.default-sandbox=" + sandboxName, "--dilxc.jobs.worker-enabled=true",
				"--dilxc.sandboxes.claude-executable=" + WRAPPER,
				// Retention's INFO line once per job, logged after the terminal state
				// is stored: keep the output readable.
				"--logging.level.dev.dilxc.daemon.snapshots=WARN"));
		if (this.store == TestStore.POSTGRESQL) {
			// A database of its own, dropped when this JVM exits (after cleanUp has
			// closed the daemon).
			String url = TestStore.newDatabase();
			progress("PostgreSQL database " + url);
			args.addAll(List.of("--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
					"--spring.datasource.password="));
		}
		this.context = new SpringApplicationBuilder(DaemonApplication.class).web(WebApplicationType.NONE)
			.registerShutdownHook(false)
			.run(args.toArray(String[]::new));
		this.queue = this.context.getBean(JobQueue.class);
		this.jdbc = new JdbcTemplate(this.context.getBean(DataSource.class));
	}

	private SeriesResult runSeries(RestorePolicy policy, Path stamps) {
		String name = this.sandbox.name();
		String restorePoint = "bench-restore-point";
		if (policy == RestorePolicy.ALWAYS) {
			Lxc.snapshot(name, restorePoint).orFail("snapshot " + restorePoint);
		}
		// Two untimed raw calls so the lxc client's first-call costs are not in the raw
		// figures either.
		for (int i = 0; i < 2; i++) {
			rawSample(policy, restorePoint, null);
		}
		SeriesResult result = new SeriesResult(policy);
		int total = this.warmup + this.jobs;
		for (int i = 0; i < total; i++) {
			boolean counted = i >= this.warmup;
			JobSample sample = runJob(policy, stamps);
			sleep(this.gapMillis);
			rawSample(policy, restorePoint, counted ? result : null);
			sleep(this.gapMillis);
			if (counted) {
				result.samples.add(sample);
			}
			progress(String.format(Locale.ROOT,
					"[%s %s %2d/%d] job %d: submit->start %.1f ms, exit->terminal %.1f ms, agent %.0f ms",
					policy.cliName(), counted ? "job" : "warmup", counted ? i - this.warmup + 1 : i + 1,
					counted ? this.jobs : this.warmup, sample.id, sample.submitToStart(), sample.exitToTerminal(),
					sample.agentRun()));
		}
		return result;
	}

	private void rawSample(RestorePolicy policy, String restorePoint, SeriesResult into) {
		String name = this.sandbox.name();
		long t0 = System.nanoTime();
		Lxc.run("exec", name, "--", "true").orFail("lxc exec " + name + " -- true");
		double exec = millisSince(t0);
		String snapshot = "bench-raw-" + (++this.rawCounter);
		t0 = System.nanoTime();
		Lxc.snapshot(name, snapshot).orFail("lxc snapshot " + name + " " + snapshot);
		double snap = millisSince(t0);
		Lxc.deleteSnapshot(name, snapshot).orFail("delete raw snapshot " + snapshot);
		double restore = Double.NaN;
		if (policy == RestorePolicy.ALWAYS) {
			t0 = System.nanoTime();
			Lxc.restore(name, restorePoint).orFail("lxc restore " + name + " " + restorePoint);
			restore = millisSince(t0);
			awaitExec(name);
		}
		if (into != null) {
			into.rawExec.add(exec);
			into.rawSnapshot.add(snap);
			if (!Double.isNaN(restore)) {
				into.rawRestore.add(restore);
			}
		}
	}

	private JobSample runJob(RestorePolicy policy, Path stamps) {
		Instant submitCalled = Instant.now();
		JobView submitted = this.queue.submit(new SubmitJobRequest("Reply with ok.", null, policy, 300L));
		Instant submitReturned = Instant.now();
		long id = submitted.id();
		Path end = stamps.resolve(id + ".end");
		Path start = stamps.resolve(id + ".start");
		long deadline = System.nanoTime() + JOB_LIMIT.toNanos();
		// The exit stamp every 2 ms; the job's state (a query) at most every 200 ms.
		AtomicReference<String[]> exitStamp = new AtomicReference<>();
		long[] nextStateCheck = { 0 };
		boolean exited = Await.holdsWithin(JOB_LIMIT, Duration.ofMillis(2), () -> {
			exitStamp.set(readStamp(end));
			if (exitStamp.get() == null && System.nanoTime() > nextStateCheck[0]) {
				nextStateCheck[0] = System.nanoTime() + 200_000_000L;
				if (isTerminal(state(id))) {
					// Ended without the wrapper reporting an exit: the agent never ran.
					throw new IllegalStateException(
							"job " + id + " ended without an agent exit stamp: " + describe(id));
				}
			}
			return exitStamp.get() != null;
		});
		if (!exited) {
			throw new IllegalStateException(
					"job " + id + " did not end its agent within " + JOB_LIMIT + ": " + describe(id));
		}
		String[] exit = exitStamp.get();
		if (!Await.holdsWithin(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), Duration.ofNanos(250_000L),
				() -> isTerminal(state(id)))) {
			throw new IllegalStateException("job " + id + " did not reach a terminal state: " + describe(id));
		}
		Instant terminalSeen = Instant.now();
		String[] begin = readStamp(start);
		if (begin == null) {
			throw new IllegalStateException("no start stamp for job " + id);
		}
		JobDetails details = this.queue.details(id);
		JobView job = details.job();
		if (job.state() != JobState.SUCCEEDED || !Integer.valueOf(0).equals(job.exitCode()) || !"0".equals(exit[1])) {
			throw new IllegalStateException("job " + id + " did not succeed: " + describe(id));
		}
		return new JobSample(id, nanos(submitCalled), nanos(submitReturned),
				historyNanos(details, JobState.SNAPSHOTTING, "STATE"),
				historyNanos(details, JobState.SNAPSHOTTING, "SNAPSHOT"), nanos(job.startedAt()), stampNanos(begin[0]),
				stampNanos(exit[0]), nanos(job.finishedAt()), nanos(terminalSeen));
	}

	private String state(long id) {
		return this.jdbc.queryForObject("SELECT state FROM jobs WHERE id = ?", String.class, id);
	}

	private static boolean isTerminal(String state) {
		return JobState.valueOf(state).isTerminal();
	}

	private String describe(long id) {
		JobView job = this.queue.view(id);
		StringBuilder text = new StringBuilder(job.state() + ": " + job.reason() + " (exit " + job.exitCode() + ")");
		this.queue.output(id, 0, 50)
			.lines()
			.forEach((line) -> text.append("\n  ").append(line.stream()).append(": ").append(line.text()));
		return text.toString();
	}

	/** The stamp file's fields, or null while it is missing or not completely written. */
	private static String[] readStamp(Path file) {
		try {
			if (!Files.exists(file)) {
				return null;
			}
			String text = Files.readString(file);
			return text.endsWith("\n") ? text.strip().split(" ") : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static long stampNanos(String epochRealtime) {
		BigDecimal seconds = new BigDecimal(epochRealtime.replace(',', '.'));
		return seconds.movePointRight(9).longValueExact();
	}

	private static long nanos(Instant instant) {
		return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
	}

	private static long historyNanos(JobDetails details, JobState state, String event) {
		return details.history()
			.stream()
			.filter((e) -> e.state() == state && e.event().equals(event))
			.map(JobHistoryEntry::at)
			.map(JobOverheadBenchmark::nanos)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no " + event + " " + state + " entry in the job's history"));
	}

	private void report(List<SeriesResult> results, String loadBefore, String loadAfter) {
		String lxdVersion = Lxc.run("query", "/1.0")
			.stdout()
			.replaceAll("(?s).*\"server_version\":\\s*\"([^\"]+)\".*", "$1");
		String driver = Lxc.run("query", "/1.0").stdout().replaceAll("(?s).*\"storage\":\\s*\"([^\"]+)\".*", "$1");
		out.println();
		out.println(
				"==== dilxc job overhead benchmark, " + DateTimeFormatter.ISO_LOCAL_DATE_TIME.withZone(ZoneOffset.UTC)
					.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)) + "Z ====");
		TestBackend backend = TestBackend.current();
		String cli = backend.client();
		out.printf(Locale.ROOT, "host: %d cpus, load avg %s (start) / %s (end); %s %s, storage %s; JDK %s; image %s%n",
				Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter, backend.displayName(),
				lxdVersion.strip(), driver.strip(), System.getProperty("java.version"), TestSandbox.IMAGE);
		out.println(
				"daemon: in-process Spring Boot context of DaemonApplication (web server off), worker loop ON (woken by");
		out.println(
				"  submit, as in production), one job at a time, real Claude Code CLI vs a fake API answering 'ok'.");
		out.println("  Store: " + storeDescription() + ".");
		out.println(
				"  Not included: the HTTP/Unix-socket layer of a submit (the client's request to JobQueue.submit).");
		out.println(
				"(1) submit->agent start: Instant.now() before JobQueue.submit -> wrapper's $EPOCHREALTIME before exec of claude");
		out.println(
				"(2) agent exit->terminal: wrapper's $EPOCHREALTIME after claude exits -> first poll (every 0.25 ms) of the");
		out.println(
				"    jobs table that shows the terminal state (commit visible). 'finished_at' = the daemon's own stamp.");
		out.println("raw: one sample per job, taken between jobs on the same sandbox (gap " + this.gapMillis
				+ " ms before and after), via the " + cli + " CLI.");
		for (SeriesResult result : results) {
			out.println();
			out.printf(Locale.ROOT, "-- restore policy %s: %d jobs (+%d warmup not counted) --%n",
					result.policy.cliName(), result.samples.size(), this.warmup);
			out.printf(Locale.ROOT, "%-44s %8s %8s %8s %8s  (ms)%n", "", "median", "p90", "min", "max");
			row("(1) submit -> agent start", result.samples, JobSample::submitToStart);
			row("(2) agent exit -> terminal in DB", result.samples, JobSample::exitToTerminal);
			row("    agent exit -> finished_at stamp", result.samples, JobSample::exitToFinishedStamp);
			row("raw " + cli + " snapshot", result.rawSnapshot);
			row("raw " + cli + " exec -- true", result.rawExec);
			if (!result.rawRestore.isEmpty()) {
				row("raw " + cli + " restore (running container)", result.rawRestore);
			}
			double ratio = median(values(result.samples, JobSample::submitToStart)) / median(result.rawSnapshot);
			out.printf(Locale.ROOT, "ratio (1) / raw %s snapshot (medians): %.2f%n", cli, ratio);
			// One line per series for deploy/benchmark.sh's side-by-side table of the
			// back ends and stores.
			out.printf(Locale.ROOT,
					"summary: backend=%s store=%s policy=%s submit_to_start=%.0f exit_to_terminal=%.0f "
							+ "raw_snapshot=%.0f raw_exec=%.0f raw_restore=%s start_ratio=%.2f submit_call=%.1f "
							+ "submit_to_claim=%.1f snapshot_to_running=%.1f%n",
					backend.displayName(), storeName(), result.policy.cliName(),
					median(values(result.samples, JobSample::submitToStart)),
					median(values(result.samples, JobSample::exitToTerminal)), median(result.rawSnapshot),
					median(result.rawExec),
					result.rawRestore.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f", median(result.rawRestore)),
					ratio, median(values(result.samples, JobSample::submitCall)),
					median(values(result.samples, JobSample::submitToClaim)),
					median(values(result.samples, JobSample::snapshotToRunning)));
			out.println("breakdown of (1), medians, from the job's history stamps:");
			row("  submit call (DB insert + wake)", result.samples, JobSample::submitCall);
			row("  submit -> claimed by the worker", result.samples, JobSample::submitToClaim);
			row("  claimed -> snapshot taken", result.samples, JobSample::claimToSnapshot);
			row("  snapshot taken -> RUNNING (started_at)", result.samples, JobSample::snapshotToRunning);
			row("  RUNNING -> agent start", result.samples, JobSample::runningToStart);
			row("agent run (start -> exit), not overhead", result.samples, JobSample::agentRun);
		}
		out.println();
	}

	private String storeName() {
		return this.store.name().toLowerCase(Locale.ROOT);
	}

	private String storeDescription() {
		if (this.store == TestStore.H2) {
			return "H2 file DB";
		}
		String version = this.jdbc.queryForObject("SHOW server_version", String.class);
		String sync = this.jdbc.queryForObject("SHOW synchronous_commit", String.class);
		return "PostgreSQL " + version + " at " + TestStore.SERVER + " (synchronous_commit=" + sync + ")";
	}

	private static void row(String label, List<JobSample> samples, ToDoubleFunction<JobSample> metric) {
		row(label, values(samples, metric));
	}

	private static void row(String label, List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		out.printf(Locale.ROOT, "%-44s %8.1f %8.1f %8.1f %8.1f  n=%d%n", label, median(sorted), nearestRank(sorted, 90),
				sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
	}

	private static List<Double> values(List<JobSample> samples, ToDoubleFunction<JobSample> metric) {
		return samples.stream().map(metric::applyAsDouble).toList();
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	private static double nearestRank(List<Double> sorted, int percentile) {
		return BenchSettings.nearestRank(sorted, percentile);
	}

	private void awaitExec(String name) {
		Await.until("sandbox " + name + " to accept exec after a restore", Duration.ofSeconds(60),
				Duration.ofMillis(50), () -> Lxc.run("exec", name, "--", "true"), (result) -> result.exitCode() == 0);
	}

	/**
	 * Stops the daemon, then deletes the sandbox, the fake API and the work directory;
	 * runs once.
	 */
	private void cleanUp() {
		if (!this.cleanedUp.compareAndSet(false, true)) {
			return;
		}
		try {
			if (this.context != null) {
				this.context.close();
			}
		}
		catch (RuntimeException ex) {
			System.err.println("benchmark: stopping the daemon failed: " + ex);
		}
		if (this.sandbox != null) {
			progress("deleting sandbox " + this.sandbox.name());
			this.sandbox.close();
			Lxc.Result info = Lxc.run("info", this.sandbox.name());
			if (info.exitCode() == 0 || !info.stderr().toLowerCase(Locale.ROOT).contains("not found")) {
				// Still there, or LXD did not answer (on a shared test host another test
				// may have stopped it): the delete above may have failed.
				System.err.println("benchmark: WARNING: sandbox " + this.sandbox.name()
						+ ((info.exitCode() == 0) ? " is still there"
								: " may still be there (" + info.stderr().strip() + ")")
						+ "; delete it with '" + TestBackend.current().client() + " delete --force "
						+ this.sandbox.name() + "'");
			}
		}
		if (this.api != null) {
			this.api.close();
		}
		if (this.work != null) {
			try (Stream<Path> files = Files.walk(this.work)) {
				files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
			catch (IOException | UncheckedIOException ex) {
				System.err.println("benchmark: could not remove " + this.work + ": " + ex);
			}
		}
	}

	private static double millisSince(long nanoTime) {
		return (System.nanoTime() - nanoTime) / 1e6;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	private static void progress(String message) {
		System.err.println("benchmark: " + message);
	}

	private static String env(String name, String fallback) {
		return BenchSettings.env(name, fallback);
	}

	private static int intEnv(String name, int fallback, int min) {
		return BenchSettings.intEnv(name, fallback, min);
	}

	/**
	 * One series: the jobs of one restore policy and the raw samples taken between them.
	 */
	private static final class SeriesResult {

		final RestorePolicy policy;

		final List<JobSample> samples = new ArrayList<>();

		final List<Double> rawSnapshot = new ArrayList<>();

		final List<Double> rawExec = new ArrayList<>();

		final List<Double> rawRestore = new ArrayList<>();

		SeriesResult(RestorePolicy policy) {
			this.policy = policy;
		}

	}

	/**
	 * One job's moments, in epoch nanoseconds (CLOCK_REALTIME, microsecond precision or
	 * better).
	 */
	private record JobSample(long id, long submitCalled, long submitReturned, long claimed, long snapshotTaken,
			long running, long agentStart, long agentExit, long finishedStamp, long terminalSeen) {

		private static double ms(long from, long to) {
			return (to - from) / 1e6;
		}

		double submitToStart() {
			return ms(this.submitCalled, this.agentStart);
		}

		double exitToTerminal() {
			return ms(this.agentExit, this.terminalSeen);
		}

		double exitToFinishedStamp() {
			return ms(this.agentExit, this.finishedStamp);
		}

		double submitCall() {
			return ms(this.submitCalled, this.submitReturned);
		}

		double submitToClaim() {
			return ms(this.submitCalled, this.claimed);
		}

		double claimToSnapshot() {
			return ms(this.claimed, this.snapshotTaken);
		}

		double snapshotToRunning() {
			return ms(this.snapshotTaken, this.running);
		}

		double runningToStart() {
			return ms(this.running, this.agentStart);
		}

		double agentRun() {
			return ms(this.agentStart, this.agentExit);
		}
	}

}
