package dev.dilxc.daemon.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.dilxc.api.JobState;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.bench.BenchSettings;
import dev.dilxc.daemon.cluster.ThisDaemon;
import dev.dilxc.daemon.system.DaemonPaths;
import dev.dilxc.daemon.testing.TestStore;

/**
 * Benchmark (not a test: surefire/failsafe only pick up *Tests / *IntegrationTests) of
 * the claim path on a store several daemons share: how fast N daemons on one PostgreSQL
 * database drain a queue, next to one daemon on PostgreSQL and one on H2 (the baseline;
 * an H2 file cannot be shared), measured in the same run.
 *
 * <p>
 * Each pass starts N daemons' Spring contexts of {@link DaemonApplication} in this JVM
 * (web server, worker loop, Quartz and the retention sweep off; each its own data
 * directory, socket and {@code dilxc.cluster.daemon-name}; all on one fresh database:
 * {@link TestStore#newDatabase()} on the test server for PostgreSQL, a new data directory
 * for H2), seeds {@code DILXC_BENCH_CLAIM_JOBS} QUEUED jobs round robin over
 * {@code DILXC_BENCH_CLAIM_SANDBOXES} sandboxes, then runs one thread per daemon that
 * does the database work of the real worker without LXD until the queue is empty: what
 * {@code JobWorker.pollOnce} does ({@code countActive}, then
 * {@link JobRepository#claimable} up to the free slots, then {@link JobRepository#claim}
 * each), then ends each job it claimed at once (SNAPSHOTTING → RUNNING → SUCCEEDED
 * through {@link JobRepository#transition}). A round that claims nothing sleeps 1 ms (the
 * real worker waits to be woken).
 *
 * <p>
 * Figures per pass: wall time from the threads' common start to the last one's end,
 * jobs/s, the latency of the successful {@code claim} calls (median, p95) and of the
 * {@code claimable} rounds, lost claim races ({@code claim} false: another daemon got the
 * job first) and how many jobs each daemon took. Checks per pass (a failure fails the
 * benchmark): every job SUCCEEDED and claimed exactly once (one 'claimed by the worker'
 * STATE row in job_history each, its {@code daemon_id} the daemon that claimed it); no
 * sandbox with two active jobs (each sandbox's history, in id order, goes claim, end,
 * claim, end: a claim's transaction can only read the sandbox free after the previous end
 * committed, so its history row comes later; and the threads' own count of active jobs
 * per sandbox never passed 1); no claim refused while its job stayed QUEUED (the UNIQUE
 * {@code active_sandbox} or the lease said no: only possible if another job of the
 * sandbox had jumped the queue); FIFO per sandbox (claims in id order); no lease left.
 *
 * <p>
 * Environment: DILXC_BENCH_CLAIM_JOBS (1000), DILXC_BENCH_CLAIM_SANDBOXES (50),
 * DILXC_BENCH_CLAIM_PASSES ("h2:1 postgresql:1 postgresql:3", store:daemons),
 * DILXC_BENCH_CLAIM_ROUNDS (5) counted rounds of all passes, in a rotated order each
 * round, after DILXC_BENCH_CLAIM_WARMUP (1) rounds not counted, DILXC_BENCH_CLAIM_LIMIT
 * (the sandbox count) the worker's {@code max-concurrent-jobs}: the free slots a round
 * claims at most. Run with {@code deploy/claim-benchmark.sh}. Each pass's databases and
 * directories are deleted after it.
 */
public final class ClaimThroughputBenchmark {

	private static final PrintStream out = System.out;

	private static final String CLAIMED = "claimed by the worker";

	private final int jobs;

	private final int sandboxes;

	private final int limit;

	private final List<PassSpec> specs;

	private final int rounds;

	private final int warmup;

	private final Path work;

	/** What is running now, for the clean-up on failure or Ctrl-C. */
	private final List<ConfigurableApplicationContext> contexts = Collections.synchronizedList(new ArrayList<>());

	private final List<String> databases = Collections.synchronizedList(new ArrayList<>());

	private ClaimThroughputBenchmark(int jobs, int sandboxes, int limit, List<PassSpec> specs, int rounds, int warmup,
			Path work) {
		this.jobs = jobs;
		this.sandboxes = sandboxes;
		this.limit = limit;
		this.specs = specs;
		this.rounds = rounds;
		this.warmup = warmup;
		this.work = work;
	}

	public static void main(String[] args) throws IOException {
		int jobs = BenchSettings.intEnv("DILXC_BENCH_CLAIM_JOBS", 1000, 1);
		int sandboxes = BenchSettings.intEnv("DILXC_BENCH_CLAIM_SANDBOXES", 50, 1);
		int limit = BenchSettings.intEnv("DILXC_BENCH_CLAIM_LIMIT", sandboxes, 1);
		int rounds = BenchSettings.intEnv("DILXC_BENCH_CLAIM_ROUNDS", 5, 1);
		int warmup = BenchSettings.intEnv("DILXC_BENCH_CLAIM_WARMUP", 1, 0);
		List<PassSpec> specs = Arrays
			.stream(BenchSettings.env("DILXC_BENCH_CLAIM_PASSES", "h2:1 postgresql:1 postgresql:3").split("[\\s,]+"))
			.filter((s) -> !s.isEmpty())
			.map(PassSpec::parse)
			.toList();
		Path work = Files.createTempDirectory("dilxc-claim-bench-");
		ClaimThroughputBenchmark benchmark = new ClaimThroughputBenchmark(jobs, sandboxes, limit, specs, rounds, warmup,
				work);
		System.exit(BenchSettings.run(benchmark::run, benchmark::cleanUp));
	}

	private void run() throws Exception {
		String loadBefore = BenchSettings.loadAverage();
		String server = postgresqlServer();
		Map<PassSpec, List<PassResult>> results = new LinkedHashMap<>();
		this.specs.forEach((spec) -> results.put(spec, new ArrayList<>()));
		int total = this.warmup + this.rounds;
		for (int round = 0; round < total; round++) {
			boolean counted = round >= this.warmup;
			// Each round starts one pass later, so no store always runs first (colder
			// JIT)
			// or last.
			List<PassSpec> order = new ArrayList<>(this.specs);
			Collections.rotate(order, -(round % order.size()));
			for (PassSpec spec : order) {
				PassResult result = runPass(spec);
				progress(String.format(Locale.ROOT, "[%s %d/%d] %s", counted ? "round" : "warm-up",
						counted ? round - this.warmup + 1 : round + 1, counted ? this.rounds : this.warmup,
						result.describe()));
				if (!result.problems.isEmpty()) {
					throw new IllegalStateException(
							spec + ": the checks failed: " + String.join("; ", result.problems));
				}
				if (counted) {
					results.get(spec).add(result);
				}
			}
		}
		report(results, server, loadBefore, BenchSettings.loadAverage());
	}

	private PassResult runPass(PassSpec spec) throws Exception {
		String url = null;
		if (spec.store == TestStore.POSTGRESQL) {
			url = TestStore.newDatabase();
			this.databases.add(url.substring(url.lastIndexOf('/') + 1));
		}
		Path dir = Files.createTempDirectory(this.work, spec.store.name().toLowerCase(Locale.ROOT) + "-");
		List<Daemon> daemons = new ArrayList<>();
		try {
			for (int i = 1; i <= spec.daemons; i++) {
				daemons.add(startDaemon(dir.resolve("d" + i), "claim-bench-" + i, url));
			}
			JobRepository seeder = daemons.get(0).repository;
			long seedStart = System.nanoTime();
			Instant now = Instant.now();
			for (int i = 0; i < this.jobs; i++) {
				seeder.insert(NewJob.manual(sandbox(i % this.sandboxes), "claim benchmark job " + i,
						RestorePolicy.NEVER, 300), now);
			}
			double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
			return drain(spec, daemons, seedSeconds);
		}
		finally {
			for (Daemon daemon : daemons) {
				daemon.context.close();
				this.contexts.remove(daemon.context);
			}
			if (url != null) {
				drop(url.substring(url.lastIndexOf('/') + 1));
			}
			delete(dir);
		}
	}

	private Daemon startDaemon(Path dir, String name, String url) {
		Path data = dir.resolve("data");
		Path socket = dir.resolve("run/daemon.sock");
		new DaemonPaths(data, socket).prepareDataDirectory();
		List<String> args = new ArrayList<>(List.of("--dilxc.data-dir=" + data, "--dilxc.socket=" + socket,
				"--dilxc.cluster.daemon-name=" + name, "--dilxc.jobs.worker-enabled=false",
				"--dilxc.jobs.max-concurrent-jobs=" + this.limit, "--spring.quartz.auto-startup=false",
				"--dilxc.retention.sweep-enabled=false", "--dilxc.lxd.backend=lxd",
				"--dilxc.lxd.executable=/nonexistent/lxc", "--spring.main.banner-mode=off",
				"--spring.main.log-startup-info=false", "--logging.level.dev.dilxc=WARN",
				"--logging.level.org.springframework=WARN", "--logging.level.org.flywaydb=ERROR",
				"--logging.level.com.zaxxer.hikari=WARN", "--logging.level.org.quartz=WARN"));
		if (url != null) {
			args.addAll(List.of("--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
					"--spring.datasource.password="));
		}
		ConfigurableApplicationContext context = new SpringApplicationBuilder(DaemonApplication.class)
			.web(WebApplicationType.NONE)
			.registerShutdownHook(false)
			.run(args.toArray(String[]::new));
		this.contexts.add(context);
		return new Daemon(context.getBean(ThisDaemon.class).id(), context, context.getBean(JobRepository.class),
				new JdbcTemplate(context.getBean(DataSource.class)));
	}

	/**
	 * One thread per daemon, started together, each looping until the queue is empty;
	 * then the checks.
	 */
	private PassResult drain(PassSpec spec, List<Daemon> daemons, double seedSeconds) throws InterruptedException {
		Map<Long, String> claimedBy = new ConcurrentHashMap<>();
		Map<String, AtomicInteger> activeHere = new ConcurrentHashMap<>();
		AtomicInteger overlaps = new AtomicInteger();
		AtomicInteger doubleClaims = new AtomicInteger();
		AtomicInteger refusedWhileQueued = new AtomicInteger();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		CountDownLatch ready = new CountDownLatch(daemons.size());
		CountDownLatch go = new CountDownLatch(1);
		List<Worker> workers = new ArrayList<>();
		for (Daemon daemon : daemons) {
			Worker worker = new Worker(daemon);
			workers.add(worker);
			worker.thread = Thread.ofPlatform().name("claim-" + daemon.id).start(() -> {
				ready.countDown();
				try {
					go.await();
					worker.loop(claimedBy, activeHere, overlaps, doubleClaims, refusedWhileQueued);
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			});
		}
		ready.await();
		long start = System.nanoTime();
		go.countDown();
		for (Worker worker : workers) {
			worker.thread.join();
		}
		double wall = (System.nanoTime() - start) / 1e9;
		if (failure.get() != null) {
			throw new IllegalStateException(spec + ": a daemon's claim loop failed", failure.get());
		}
		PassResult result = new PassResult(spec, this.jobs, seedSeconds, wall);
		for (Worker worker : workers) {
			result.claimMillis.addAll(worker.claimMillis);
			result.claimableMillis.addAll(worker.claimableMillis);
			result.lostMillis.addAll(worker.lostMillis);
			result.endMillis.addAll(worker.endMillis);
			result.lostRaces += worker.lostRaces;
			result.idleRounds += worker.idleRounds;
			result.taken.put(worker.daemon.id, worker.taken);
		}
		check(result, daemons.get(0).jdbc, claimedBy);
		if (overlaps.get() > 0) {
			result.problems.add(overlaps.get() + " claims found their sandbox already active (the threads' own count)");
		}
		if (doubleClaims.get() > 0) {
			result.problems.add(doubleClaims.get() + " jobs claimed twice (the threads' own record)");
		}
		if (refusedWhileQueued.get() > 0) {
			result.problems.add(refusedWhileQueued.get()
					+ " claims refused while the job stayed QUEUED (another job of the sandbox was active)");
		}
		return result;
	}

	/** The database's account of the pass, against the threads' own. */
	private void check(PassResult result, JdbcTemplate jdbc, Map<Long, String> claimedBy) {
		List<String> problems = result.problems;
		int jobsInTable = count(jdbc, "SELECT COUNT(*) FROM jobs");
		int notSucceeded = count(jdbc, "SELECT COUNT(*) FROM jobs WHERE state <> 'SUCCEEDED'");
		if (jobsInTable != this.jobs || notSucceeded != 0) {
			problems.add(jobsInTable + " jobs in the table, " + notSucceeded + " not SUCCEEDED");
		}
		if (claimedBy.size() != this.jobs) {
			problems.add("the threads claimed " + claimedBy.size() + " distinct jobs, not " + this.jobs);
		}
		Map<Long, Integer> claimRows = new HashMap<>();
		jdbc.query("SELECT job_id, COUNT(*) FROM job_history WHERE state = 'SNAPSHOTTING' AND event = 'STATE' "
				+ "AND detail = ? GROUP BY job_id", (rs) -> {
					claimRows.put(rs.getLong(1), rs.getInt(2));
				}, CLAIMED);
		long notOnce = claimRows.values().stream().filter((n) -> n != 1).count();
		if (claimRows.size() != this.jobs || notOnce != 0) {
			problems.add(claimRows.size() + " jobs with a claim row, " + notOnce + " of them with more than one");
		}
		int[] wrongDaemon = { 0 };
		jdbc.query("SELECT id, daemon_id FROM jobs", (rs) -> {
			if (!Objects.equals(claimedBy.get(rs.getLong(1)), rs.getString(2))) {
				wrongDaemon[0]++;
			}
		});
		if (wrongDaemon[0] != 0) {
			problems.add(wrongDaemon[0] + " jobs whose daemon_id is not the daemon that claimed them");
		}
		// Each sandbox's claims and ends in history order: claim j, end j, claim k > j,
		// ...
		Map<String, long[]> last = new HashMap<>(); // sandbox -> {active job or 0, last
													// claimed id}
		int[] overlaps = { 0 };
		int[] outOfOrder = { 0 };
		jdbc.query("""
				SELECT j.sandbox, h.job_id, h.state FROM job_history h JOIN jobs j ON j.id = h.job_id
				WHERE h.event = 'STATE' AND h.state IN ('SNAPSHOTTING', 'SUCCEEDED') ORDER BY h.id
				""", (rs) -> {
			long[] seen = last.computeIfAbsent(rs.getString(1), (s) -> new long[2]);
			long job = rs.getLong(2);
			if ("SNAPSHOTTING".equals(rs.getString(3))) {
				if (seen[0] != 0) {
					overlaps[0]++;
				}
				if (job < seen[1]) {
					outOfOrder[0]++;
				}
				seen[0] = job;
				seen[1] = job;
			}
			else if (seen[0] == job) {
				seen[0] = 0;
			}
			else {
				overlaps[0]++;
			}
		});
		if (overlaps[0] != 0) {
			problems.add(overlaps[0] + " times a sandbox's history shows two active jobs");
		}
		if (outOfOrder[0] != 0) {
			problems.add(outOfOrder[0] + " claims out of submission order within their sandbox");
		}
		int leases = count(jdbc, "SELECT COUNT(*) FROM sandbox_leases");
		if (leases != 0) {
			problems.add(leases + " sandbox leases left");
		}
		result.checked = true;
	}

	private static int count(JdbcTemplate jdbc, String sql) {
		Integer n = jdbc.queryForObject(sql, Integer.class);
		return (n != null) ? n : -1;
	}

	private String sandbox(int i) {
		return String.format(Locale.ROOT, "claim-%03d", i);
	}

	private void report(Map<PassSpec, List<PassResult>> results, String server, String loadBefore, String loadAfter) {
		out.println();
		out.println("==== dilxc claim throughput benchmark, "
				+ DateTimeFormatter.ISO_LOCAL_DATE_TIME.withZone(ZoneOffset.UTC)
					.format(Instant.now().truncatedTo(ChronoUnit.SECONDS))
				+ "Z ====");
		out.printf(Locale.ROOT, "host: %d cpus, load avg %s (start) / %s (end); JDK %s; %s%n",
				Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter, System.getProperty("java.version"),
				server);
		out.printf(Locale.ROOT,
				"%d QUEUED jobs over %d sandboxes per pass; each daemon an in-process Spring context (no web, no worker loop,"
						+ "%n  no Quartz, no LXD) whose thread claims as JobWorker.pollOnce does (countActive, claimable(free),"
						+ "%n  claim; max-concurrent-jobs %d) and ends each claimed job at once (RUNNING, SUCCEEDED);"
						+ "%n  %d counted round(s) of every pass after %d warm-up round(s); figures are medians over the rounds,"
						+ "%n  latencies pooled over them. Checked each pass: each job claimed once, by the daemon in its"
						+ " daemon_id;%n  never two active jobs in a sandbox; claims in submission order per sandbox;"
						+ " no lease left.%n",
				this.jobs, this.sandboxes, this.limit, this.rounds, this.warmup);
		PassSpec baseline = this.specs.get(0);
		List<String> summaries = new ArrayList<>();
		String format = "%-11s %7s %7s %7s %9s %7s %7s %9s %9s %8s %9s %5s %8s %6s  %s%n";
		out.println();
		out.printf(Locale.ROOT, format, "store", "daemons", "wall s", "jobs/s", "range", "x " + baseline.label(),
				"x 1 dmn", "claim med", "claim p95", "end med", "round med", "lost", "lost med", "seed s",
				"jobs taken per daemon");
		for (Map.Entry<PassSpec, List<PassResult>> entry : results.entrySet()) {
			PassSpec spec = entry.getKey();
			List<PassResult> passes = entry.getValue();
			String store = spec.store.name().toLowerCase(Locale.ROOT);
			List<Double> rates = passes.stream().map(PassResult::rate).toList();
			double wall = median(passes.stream().map((p) -> p.wallSeconds).toList());
			double rate = median(rates);
			double ratio = ratio(passes, results.get(baseline));
			PassSpec single = new PassSpec(spec.store, 1);
			double ratioToOne = results.containsKey(single) ? ratio(passes, results.get(single)) : Double.NaN;
			List<Double> claims = pooled(passes, (p) -> p.claimMillis);
			List<Double> lost = pooled(passes, (p) -> p.lostMillis);
			double lostRaces = median(passes.stream().map((p) -> (double) p.lostRaces).toList());
			out.printf(Locale.ROOT, format, store, spec.daemons, fixed(wall, 2), fixed(rate, 1),
					fixed(Collections.min(rates), 0) + "-" + fixed(Collections.max(rates), 0), fixed(ratio, 2),
					fixed(ratioToOne, 2), fixed(median(claims), 2), fixed(BenchSettings.nearestRank(claims, 95), 2),
					fixed(median(pooled(passes, (p) -> p.endMillis)), 2),
					fixed(median(pooled(passes, (p) -> p.claimableMillis)), 2), fixed(lostRaces, 0),
					fixed(median(lost), 2), fixed(median(passes.stream().map((p) -> p.seedSeconds).toList()), 2),
					takenPerDaemon(passes));
			summaries.add(String.format(Locale.ROOT,
					"summary: store=%s daemons=%d wall_s=%.2f jobs_per_s=%.1f ratio=%.2f ratio_to_one_daemon=%s "
							+ "claim_median_ms=%.2f claim_p95_ms=%.2f lost_races=%.0f checks=ok",
					store, spec.daemons, wall, rate, ratio, fixed(ratioToOne, 2), median(claims),
					BenchSettings.nearestRank(claims, 95), lostRaces));
		}
		out.println();
		summaries.forEach(out::println);
		out.println();
		out.println("range: the slowest and fastest round; x " + baseline.label()
				+ ", x 1 dmn: the median over the rounds of each round's jobs/s over");
		out.println("  that of the " + baseline.label()
				+ " pass, and of the same store's 1-daemon pass, in the same round (the load drifts less within a round).");
		out.println("claim: the successful JobRepository.claim calls (one transaction: guarded UPDATE, lease INSERT,"
				+ " history INSERT);");
		out.println("  end: ending a claimed job (two transitions, RUNNING then SUCCEEDED, a transaction each); round:"
				+ " countActive");
		out.println("  + claimable (lease and quarantine reads, the claimable query); latencies in ms, pooled over the"
				+ " rounds.");
		out.println("lost: claim calls that returned false because another daemon had the job (median per pass; each is"
				+ " followed by");
		out.println("  one SELECT of the job's state, a check, inside the wall time); lost med: how long such a call"
				+ " took.");
		out.println("seed s: inserting the jobs (one transaction each), not in wall s. Jobs taken per daemon: medians,"
				+ " in the order");
		out.println("  the daemons started.");
		out.println("All checks passed in every pass (counted and warm-up).");
	}

	/**
	 * The median over the passes of the jobs each daemon took, daemon by daemon in the
	 * order they were started.
	 */
	private static String takenPerDaemon(List<PassResult> passes) {
		int n = passes.get(0).taken.size();
		List<String> parts = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			int position = i;
			parts.add(String.format(Locale.ROOT, "%.0f", median(
					passes.stream().map((p) -> (double) new ArrayList<>(p.taken.values()).get(position)).toList())));
		}
		return String.join(" / ", parts);
	}

	/** The median over the rounds of each round's jobs/s over {@code base}'s. */
	private static double ratio(List<PassResult> passes, List<PassResult> base) {
		List<Double> ratios = new ArrayList<>();
		for (int i = 0; i < passes.size(); i++) {
			ratios.add(passes.get(i).rate() / base.get(i).rate());
		}
		return median(ratios);
	}

	private static List<Double> pooled(List<PassResult> passes, Function<PassResult, List<Double>> values) {
		return passes.stream().flatMap((p) -> values.apply(p).stream()).toList();
	}

	private static String fixed(double value, int decimals) {
		return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
	}

	private static double median(List<Double> values) {
		return values.isEmpty() ? Double.NaN : BenchSettings.median(values);
	}

	private String postgresqlServer() {
		if (this.specs.stream().noneMatch((s) -> s.store == TestStore.POSTGRESQL)) {
			return "H2 only";
		}
		try (Connection admin = TestStore.admin(); Statement statement = admin.createStatement()) {
			List<String> settings = new ArrayList<>();
			for (String name : List.of("server_version", "fsync", "synchronous_commit", "shared_buffers")) {
				try (var rs = statement.executeQuery("SHOW " + name)) {
					rs.next();
					settings.add(name + "=" + rs.getString(1));
				}
			}
			return "PostgreSQL at " + TestStore.SERVER + " (" + String.join(", ", settings) + ")";
		}
		catch (SQLException ex) {
			throw new IllegalStateException("cannot reach the test PostgreSQL server at " + TestStore.SERVER
					+ " (start it with provisioning/host/setup-postgresql.sh as root): " + ex.getMessage(), ex);
		}
	}

	private static void drop(String database) {
		try {
			TestStore.dropDatabase(database);
		}
		catch (SQLException ex) {
			System.err.println("benchmark: could not drop database " + database + ": " + ex.getMessage());
		}
	}

	private static void delete(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> files = Files.walk(dir)) {
			files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException | UncheckedIOException ex) {
			System.err.println("benchmark: could not remove " + dir + ": " + ex);
		}
	}

	/** Closes what is still open; drops this run's databases; runs once in effect. */
	private void cleanUp() {
		List<ConfigurableApplicationContext> open;
		synchronized (this.contexts) {
			open = new ArrayList<>(this.contexts);
			this.contexts.clear();
		}
		for (ConfigurableApplicationContext context : open) {
			try {
				context.close();
			}
			catch (RuntimeException ex) {
				System.err.println("benchmark: stopping a daemon failed: " + ex);
			}
		}
		List<String> names;
		synchronized (this.databases) {
			names = new ArrayList<>(this.databases);
			this.databases.clear();
		}
		names.forEach(ClaimThroughputBenchmark::drop);
		delete(this.work);
	}

	private static void progress(String message) {
		System.err.println("benchmark: " + message);
	}

	/** One pass's store and number of daemons, written {@code store:daemons}. */
	private record PassSpec(TestStore store, int daemons) {

		static PassSpec parse(String text) {
			String[] parts = text.split(":");
			TestStore store = TestStore.valueOf(parts[0].strip().toUpperCase(Locale.ROOT));
			int daemons = (parts.length > 1) ? Integer.parseInt(parts[1].strip()) : 1;
			if (daemons < 1 || (store == TestStore.H2 && daemons != 1)) {
				throw new IllegalArgumentException(
						"DILXC_BENCH_CLAIM_PASSES: '" + text + "': H2 takes exactly 1 daemon, PostgreSQL 1 or more");
			}
			return new PassSpec(store, daemons);
		}

		String label() {
			return this.store.name().toLowerCase(Locale.ROOT) + ":" + this.daemons;
		}

		@Override
		public String toString() {
			return label();
		}

	}

	private record Daemon(String id, ConfigurableApplicationContext context, JobRepository repository,
			JdbcTemplate jdbc) {
	}

	/** One daemon's claim loop and what it measured. */
	private final class Worker {

		final Daemon daemon;

		Thread thread;

		final List<Double> claimMillis = new ArrayList<>();

		final List<Double> claimableMillis = new ArrayList<>();

		final List<Double> lostMillis = new ArrayList<>();

		final List<Double> endMillis = new ArrayList<>();

		int lostRaces;

		int idleRounds;

		int taken;

		Worker(Daemon daemon) {
			this.daemon = daemon;
		}

		void loop(Map<Long, String> claimedBy, Map<String, AtomicInteger> activeHere, AtomicInteger overlaps,
				AtomicInteger doubleClaims, AtomicInteger refusedWhileQueued) throws InterruptedException {
			JobRepository jobs = this.daemon.repository;
			while (true) {
				long t0 = System.nanoTime();
				int free = ClaimThroughputBenchmark.this.limit - jobs.countActive();
				List<JobRow> claimable = (free > 0) ? jobs.claimable(free) : List.of();
				this.claimableMillis.add((System.nanoTime() - t0) / 1e6);
				List<JobRow> mine = new ArrayList<>();
				for (JobRow job : claimable) {
					Instant now = Instant.now();
					long c0 = System.nanoTime();
					boolean claimed = jobs.claim(job, now);
					double millis = (System.nanoTime() - c0) / 1e6;
					if (claimed) {
						this.claimMillis.add(millis);
						mine.add(job);
						if (claimedBy.putIfAbsent(job.id(), this.daemon.id) != null) {
							doubleClaims.incrementAndGet();
						}
						if (activeHere.computeIfAbsent(job.sandbox(), (s) -> new AtomicInteger())
							.incrementAndGet() != 1) {
							overlaps.incrementAndGet();
						}
					}
					else {
						this.lostRaces++;
						this.lostMillis.add(millis);
						String state = this.daemon.jdbc.queryForObject("SELECT state FROM jobs WHERE id = ?",
								String.class, job.id());
						if (JobState.QUEUED.name().equals(state)) {
							refusedWhileQueued.incrementAndGet();
						}
					}
				}
				for (JobRow job : mine) {
					long e0 = System.nanoTime();
					jobs.transition(job.id(), JobState.SNAPSHOTTING, JobState.RUNNING, Instant.now(), "started");
					// Before the end commits: the threads' window is inside the
					// database's.
					activeHere.get(job.sandbox()).decrementAndGet();
					jobs.transition(job.id(), JobState.RUNNING, JobState.SUCCEEDED, Instant.now(), "succeeded");
					this.endMillis.add((System.nanoTime() - e0) / 1e6);
					this.taken++;
				}
				if (mine.isEmpty()) {
					if (claimable.isEmpty() && jobs.countInState(JobState.QUEUED) == 0) {
						return;
					}
					this.idleRounds++;
					Thread.sleep(1);
				}
			}
		}

	}

	/** One pass: one store, N daemons, one fresh database. */
	private static final class PassResult {

		final PassSpec spec;

		final int jobs;

		final double seedSeconds;

		final double wallSeconds;

		final List<Double> claimMillis = new ArrayList<>();

		final List<Double> claimableMillis = new ArrayList<>();

		final List<Double> lostMillis = new ArrayList<>();

		final List<Double> endMillis = new ArrayList<>();

		final Map<String, Integer> taken = new LinkedHashMap<>();

		final List<String> problems = new ArrayList<>();

		int lostRaces;

		int idleRounds;

		boolean checked;

		PassResult(PassSpec spec, int jobs, double seedSeconds, double wallSeconds) {
			this.spec = spec;
			this.jobs = jobs;
			this.seedSeconds = seedSeconds;
			this.wallSeconds = wallSeconds;
		}

		double rate() {
			return this.jobs / this.wallSeconds;
		}

		String describe() {
			return String.format(Locale.ROOT,
					"%s: %d jobs in %.2f s = %.1f jobs/s (seeded in %.2f s); claim median %.2f ms, p95 %.2f ms; "
							+ "round median %.2f ms; lost races %d (median %s ms); idle rounds %d; taken %s; checks %s",
					this.spec, this.jobs, this.wallSeconds, rate(), this.seedSeconds, median(this.claimMillis),
					BenchSettings.nearestRank(this.claimMillis, 95), median(this.claimableMillis), this.lostRaces,
					this.lostMillis.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f", median(this.lostMillis)),
					this.idleRounds,
					this.taken.entrySet()
						.stream()
						.map((e) -> e.getKey() + "=" + e.getValue())
						.collect(Collectors.joining(" ")),
					!this.checked ? "not run" : this.problems.isEmpty() ? "ok" : String.join("; ", this.problems));
		}

	}

}
