package dev.dilxc.daemon.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;

import dev.dilxc.daemon.testing.Await;

/**
 * Benchmark (not a test: surefire only picks up *Tests) of the requests a user makes
 * against a year of history, next to the same requests against a new database, with the
 * daemon run as the installed daemon runs it: through its launcher
 * ({@code deploy/bin/dilxc-daemon}, its flags and the start-up cache that
 * {@code deploy/history-benchmark.sh} trains first), DILXC_DATA_DIR and DILXC_SOCKET set.
 *
 * <p>
 * Two data directories are made and migrated with the daemon's own Flyway scripts, then
 * seeded in SQL:
 * <ul>
 * <li><b>history</b>: {@code DILXC_BENCH_JOBS} (100,000) finished jobs over one year up
 * to now, on 10 sandboxes, each with 3 history rows and 10 output lines (a million
 * lines), a seventh of them FAILED, every tenth made by an hourly schedule (with its
 * events); plus the probe jobs below;</li>
 * <li><b>new</b>: only the probe jobs.</li>
 * </ul>
 * The probe jobs are the ones the requests name: job N (3 history rows, 10 lines) and a
 * job with 64 MB of output ({@code DILXC_BENCH_BIG_LINES} lines of 256 characters), whose
 * first and last pages {@code logs} reads.
 *
 * <p>
 * Both daemons are started one after the other (start-up: process start to the first
 * answer on the socket; idle RSS: VmRSS of the daemon's pid
 * {@code DILXC_BENCH_IDLE_SECONDS} after that answer), then every request is sent
 * {@code DILXC_BENCH_WARMUP} times untimed and {@code DILXC_BENCH_SAMPLES} times timed,
 * alternating between the two daemons sample by sample so both share the machine's noise.
 * LXD is never called: the daemon is given a nonexistent LXD client and the requests only
 * read the database.
 *
 * <p>
 * Then start-up on its own: {@code DILXC_BENCH_STARTS} rounds, each starting the daemon
 * on either database out of the box ({@code java -jar dilxc-daemon.jar}) and through the
 * launcher, one after the other, each measured to its first answer and its RSS after the
 * idle time, then stopped; medians per way and database.
 *
 * <p>
 * Times: "server" is Tomcat's own processing time of the request (access log {@code %D},
 * microseconds), "socket" the round trip over the Unix socket as a client sees it
 * (connect, request, whole response).
 */
public final class HistoryBenchmark {

	private static final PrintStream out = System.out;

	private static final int SANDBOXES = 10;

	private static final int LINE_CHARS = 256;

	private static final Duration START_LIMIT = Duration.ofMinutes(3);

	private static final Pattern ACCESS = Pattern.compile("^\\S+ (\\S+) HTTP/1\\.1 (\\d{3}) (\\d+)$");

	private final int jobs = intEnv("DILXC_BENCH_JOBS", 100_000, 0);

	private final int bigLines = intEnv("DILXC_BENCH_BIG_LINES", 64 * 1024 * 1024 / LINE_CHARS, 1000);

	private final int samples = intEnv("DILXC_BENCH_SAMPLES", 30, 1);

	private final int warmup = intEnv("DILXC_BENCH_WARMUP", 10, 0);

	private final int idleSeconds = intEnv("DILXC_BENCH_IDLE_SECONDS", 10, 0);

	private final int starts = intEnv("DILXC_BENCH_STARTS", 3, 1);

	private final Path jar;

	private final Path launcher;

	private final Path work;

	private final List<Process> daemons = new ArrayList<>();

	private HistoryBenchmark(Path jar, Path launcher, Path work) {
		this.jar = jar;
		this.launcher = launcher;
		this.work = work;
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 2) {
			System.err.println("usage: HistoryBenchmark PATH/TO/dilxc-daemon.jar PATH/TO/bin/dilxc-daemon");
			System.exit(64);
		}
		Path work = Files.createTempDirectory("dilxc-history-bench-");
		HistoryBenchmark benchmark = new HistoryBenchmark(Path.of(args[0]).toAbsolutePath(),
				Path.of(args[1]).toAbsolutePath(), work);
		int code = BenchSettings.run(benchmark::run, benchmark::stopDaemons);
		// Two seeded databases are some 700 MB: kept only when asked, to look into them.
		if (System.getenv("DILXC_BENCH_KEEP") == null) {
			deleteTree(work);
		}
		else {
			progress("kept " + work);
		}
		System.exit(code);
	}

	private void run() throws Exception {
		String loadBefore = loadAverage();
		Instant now = Instant.now();
		Database fresh = seed("new", 0, now);
		Database history = seed("history", this.jobs, now);
		Daemon small = start(fresh, Way.LAUNCHER);
		Daemon large = start(history, Way.LAUNCHER);

		List<Request> requests = List.of(new Request("jobs", "/api/jobs"),
				new Request("jobs --state failed", "/api/jobs?state=FAILED"),
				new Request("jobs --sandbox bench-3", "/api/jobs?sandbox=bench-3"),
				new Request("jobs --state failed --sandbox bench-3", "/api/jobs?state=FAILED&sandbox=bench-3"),
				new Request("report", "/api/report"), new Request("status", "/api/system/status"),
				new Request("job N (details + history)", (db) -> "/api/jobs/" + db.probe()),
				new Request("logs BIG, first page", (db) -> "/api/jobs/" + db.big() + "/output?after=0"),
				new Request("logs BIG, last page",
						(db) -> "/api/jobs/" + db.big() + "/output?after=" + (this.bigLines - 1000)));
		progress("sending " + requests.size() + " requests x (" + this.warmup + " warmup + " + this.samples
				+ " samples), alternating between the two daemons");
		Map<String, Series> results = new HashMap<>();
		int sequence = 0;
		for (int i = 0; i < this.warmup + this.samples; i++) {
			boolean counted = i >= this.warmup;
			for (Request request : requests) {
				for (Daemon daemon : List.of(small, large)) {
					// A unique parameter (ignored by the daemon) finds the request's line
					// in the access log.
					String path = request.target().apply(daemon.database());
					String target = path + (path.contains("?") ? "&" : "?") + "bench=" + (++sequence);
					long t0 = System.nanoTime();
					int status = get(daemon.socket(), target);
					double millis = (System.nanoTime() - t0) / 1e6;
					if (status != 200) {
						throw new IllegalStateException(
								daemon.database().name() + ": GET " + target + " answered " + status);
					}
					if (counted) {
						Series series = results.computeIfAbsent(daemon.database().name() + " " + request.name(),
								(key) -> new Series());
						series.socket.add(millis);
						series.targets.add(target);
					}
				}
			}
		}
		Map<String, Double> serverMillis = new HashMap<>();
		serverMillis.putAll(small.serverTimes());
		serverMillis.putAll(large.serverTimes());
		for (Series series : results.values()) {
			for (String target : series.targets) {
				Double server = serverMillis.get(target);
				if (server == null) {
					throw new IllegalStateException("no access log line for " + target);
				}
				series.server.add(server);
			}
		}
		long smallRss = rssKb(small.process());
		long largeRss = rssKb(large.process());
		stopDaemons();
		Map<String, StartSeries> startUps = startUps(List.of(fresh, history));
		report(requests, results, small, large, smallRss, largeRss, startUps, loadBefore, loadAverage());
	}

	/** How the daemon is started. */
	private enum Way {

		OUT_OF_THE_BOX("java -jar dilxc-daemon.jar"), LAUNCHER("bin/dilxc-daemon (trained)");

		final String label;

		Way(String label) {
			this.label = label;
		}

	}

	private static final class StartSeries {

		final List<Double> millis = new ArrayList<>();

		final List<Double> rssMb = new ArrayList<>();

	}

	/**
	 * Rounds of starts, each way on each database in turn, so that all share the
	 * machine's noise.
	 */
	private Map<String, StartSeries> startUps(List<Database> databases) throws Exception {
		progress("start-up: " + this.starts + " rounds of " + databases.size() * Way.values().length + " starts");
		Map<String, StartSeries> series = new java.util.LinkedHashMap<>();
		for (int round = 0; round < this.starts; round++) {
			for (Database database : databases) {
				for (Way way : Way.values()) {
					Daemon daemon = start(database, way);
					StartSeries one = series.computeIfAbsent(database.name() + " " + way.name(),
							(key) -> new StartSeries());
					one.millis.add(daemon.startMillis());
					one.rssMb.add(daemon.idleRssKb() / 1024.0);
					stopDaemons();
				}
			}
		}
		return series;
	}

	/**
	 * A request as the client sends it; its target may name the database's probe jobs.
	 */
	private record Request(String name, Function<Database, String> target) {

		Request(String name, String target) {
			this(name, (database) -> target);
		}
	}

	private static final class Series {

		final List<Double> server = new ArrayList<>();

		final List<Double> socket = new ArrayList<>();

		final List<String> targets = new ArrayList<>();

	}

	/** A seeded data directory: the probe job and the big job's ids. */
	private record Database(String name, Path data, long probe, long big, long rows) {
	}

	private Database seed(String name, int historyJobs, Instant now) throws SQLException {
		Path data = this.work.resolve(name).resolve("data");
		long t0 = System.nanoTime();
		progress("seeding '" + name + "': " + historyJobs + " jobs + the probe jobs (" + this.bigLines
				+ " output lines of " + LINE_CHARS + " chars in the big one)");
		String url = "jdbc:h2:file:" + data.resolve("dilxc");
		Flyway.configure().dataSource(url, "dilxc", "").locations("classpath:db/migration/h2").load().migrate();
		try (Connection connection = DriverManager.getConnection(url, "dilxc", "");
				Statement sql = connection.createStatement()) {
			String year = "TIMESTAMP WITH TIME ZONE '" + now + "' - INTERVAL '365' DAY";
			long secondsApart = Math.max(1, 365L * 24 * 3600 / Math.max(1, historyJobs));
			if (historyJobs > 0) {
				sql.execute(
						"""
								INSERT INTO jobs (sandbox, state, prompt, restore_policy, timeout_seconds, submitted_at, started_at,
								  finished_at, session_id, cost_usd, num_turns, result_subtype, result_is_error, result_text,
								  exit_code, reason, output_bytes, trigger_kind, schedule_id, scheduled_for, files_changed)
								SELECT 'bench-' || MOD(X, %1$d), CASE WHEN MOD(X, 7) = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END,
								  'Look at the failing tests in module ' || X || ' and fix them; explain what you changed.',
								  'NEVER', 3600, %2$s + X * INTERVAL '%3$d' SECOND, %2$s + X * INTERVAL '%3$d' SECOND + INTERVAL '2' SECOND,
								  %2$s + X * INTERVAL '%3$d' SECOND + INTERVAL '95' SECOND, 'session-' || X, 0.042, 7, 'success',
								  FALSE, 'Fixed the two failing tests.', CASE WHEN MOD(X, 7) = 0 THEN 1 ELSE 0 END,
								  CASE WHEN MOD(X, 7) = 0 THEN 'the agent exited with 1' ELSE 'the agent finished' END, 1200,
								  CASE WHEN MOD(X, 10) = 0 THEN 'schedule' ELSE 'manual' END, CASE WHEN MOD(X, 10) = 0 THEN 1 END,
								  CASE WHEN MOD(X, 10) = 0 THEN %2$s + X * INTERVAL '%3$d' SECOND END, 2
								FROM SYSTEM_RANGE(1, %4$d)
								"""
							.formatted(SANDBOXES, year, secondsApart, historyJobs));
				progress("  jobs done; history rows");
				sql.execute("""
						INSERT INTO job_history (job_id, at, state, event, detail)
						SELECT j.id, j.submitted_at, CASE X WHEN 1 THEN 'QUEUED' WHEN 2 THEN 'RUNNING' ELSE j.state END,
						  'STATE', CASE X WHEN 1 THEN 'submitted' WHEN 2 THEN 'snapshot taken' ELSE j.reason END
						FROM jobs j, SYSTEM_RANGE(1, 3)
						""");
				progress("  history done; output lines");
				sql.execute(
						"""
								INSERT INTO job_output (job_id, seq, at, stream, text)
								SELECT j.id, X, j.started_at, 'stdout', '{"type":"assistant","message":"step ' || X || ' of the work"}'
								FROM jobs j, SYSTEM_RANGE(1, 10)
								""");
				progress("  output done; schedule and its events");
				sql.execute(
						"""
								INSERT INTO schedules (cron, quartz_cron, time_zone, sandbox, prompt, restore_policy, timeout_seconds,
								  sync_project, overlap, catch_up_seconds, paused, created_at, last_slot)
								VALUES ('0 * * * *', '0 0 * * * ?', 'UTC', 'bench-0', 'hourly check', 'NEVER', 3600, FALSE, 'SKIP',
								  3600, TRUE, %1$s, %1$s)
								"""
							.formatted(year));
				sql.execute("""
						INSERT INTO schedule_events (schedule_id, at, slot, kind, job_id, detail)
						SELECT 1, j.submitted_at, j.scheduled_for, 'ENQUEUED', j.id, 'enqueued' FROM jobs j
						WHERE j.schedule_id = 1
						""");
			}
			long probe = insertJob(sql, "bench-1", "probe", now);
			sql.execute("""
					INSERT INTO job_history (job_id, at, state, event, detail)
					SELECT %1$d, CURRENT_TIMESTAMP, 'SUCCEEDED', 'STATE', 'step ' || X FROM SYSTEM_RANGE(1, 3)
					""".formatted(probe));
			sql.execute("""
					INSERT INTO job_output (job_id, seq, at, stream, text)
					SELECT %1$d, X, CURRENT_TIMESTAMP, 'stdout', 'line ' || X FROM SYSTEM_RANGE(1, 10)
					""".formatted(probe));
			long big = insertJob(sql, "bench-2", "a job with 64 MB of output", now);
			sql.execute("""
					INSERT INTO job_output (job_id, seq, at, stream, text)
					SELECT %1$d, X, CURRENT_TIMESTAMP, 'stdout', LPAD(X, %2$d, '.') FROM SYSTEM_RANGE(1, %3$d)
					""".formatted(big, LINE_CHARS, this.bigLines));
			sql.execute("ANALYZE");
			long rows;
			try (var count = sql.executeQuery("SELECT COUNT(*) FROM job_output")) {
				count.next();
				rows = count.getLong(1);
			}
			progress(String.format(Locale.ROOT, "  '%s' seeded in %.1f s: %d output lines, %d MB on disk", name,
					(System.nanoTime() - t0) / 1e9, rows, sizeMb(data)));
			return new Database(name, data, probe, big, rows);
		}
	}

	private static long insertJob(Statement sql, String sandbox, String prompt, Instant now) throws SQLException {
		sql.execute("""
				INSERT INTO jobs (sandbox, state, prompt, restore_policy, timeout_seconds, submitted_at, started_at,
				  finished_at, reason)
				VALUES ('%1$s', 'SUCCEEDED', '%2$s', 'NEVER', 3600, TIMESTAMP WITH TIME ZONE '%3$s',
				  TIMESTAMP WITH TIME ZONE '%3$s', TIMESTAMP WITH TIME ZONE '%3$s', 'the agent finished')
				""".formatted(sandbox, prompt, now.minusSeconds(60)), Statement.RETURN_GENERATED_KEYS);
		try (var keys = sql.getGeneratedKeys()) {
			keys.next();
			return keys.getLong(1);
		}
	}

	/** A daemon process, how long it took to answer and its RSS once idle. */
	private record Daemon(Database database, Process process, Path socket, Path accessLogs, double startMillis,
			long idleRssKb) {

		/** Tomcat's processing time of each request, by request target. */
		Map<String, Double> serverTimes() throws IOException {
			Map<String, Double> times = new HashMap<>();
			try (Stream<Path> files = Files.list(this.accessLogs)) {
				for (Path file : files.toList()) {
					for (String line : Files.readAllLines(file)) {
						Matcher entry = ACCESS.matcher(line.strip());
						if (entry.matches()) {
							times.put(entry.group(1), Long.parseLong(entry.group(3)) / 1000.0);
						}
					}
				}
			}
			return times;
		}
	}

	private Daemon start(Database database, Way way) throws Exception {
		Path home = database.data().getParent();
		Path socket = home.resolve("run/daemon.sock");
		Path accessLogs = Files.createDirectories(home.resolve("access"));
		Path log = home.resolve("daemon.log");
		List<String> command = new ArrayList<>();
		if (way == Way.OUT_OF_THE_BOX) {
			command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
					this.jar.toString()));
		}
		else {
			// It execs Java, so the process (its pid, its RSS) is the JVM's.
			command.add(this.launcher.toString());
		}
		// Nothing here may touch the machine's LXD: no client, no worker claiming jobs.
		command
			.addAll(List.of("--dilxc.lxd.executable=/nonexistent/dilxc-bench-lxc", "--dilxc.jobs.worker-enabled=false",
					"--server.tomcat.accesslog.enabled=true", "--server.tomcat.accesslog.directory=" + accessLogs,
					"--server.tomcat.accesslog.pattern=%r %s %D", "--server.tomcat.accesslog.buffered=false"));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().put("DILXC_DATA_DIR", database.data().toString());
		builder.environment().put("DILXC_SOCKET", socket.toString());
		builder.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
		builder.environment().remove("DILXC_CONFIG");
		builder.environment().remove("JAVA_TOOL_OPTIONS");
		builder.environment().remove("JDK_JAVA_OPTIONS");
		builder.environment().remove("DILXC_DAEMON_JAVA_OPTS");
		builder.environment().put("DILXC_DAEMON_JAR", this.jar.toString());
		builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
		progress("starting the daemon on '" + database.name() + "' (" + way.label + ")");
		long t0 = System.nanoTime();
		Process process = builder.start();
		this.daemons.add(process);
		boolean answered = Await.holdsWithin(START_LIMIT, Duration.ofMillis(10), () -> {
			if (!process.isAlive()) {
				throw new IllegalStateException("the daemon exited with " + process.exitValue() + "; see " + log);
			}
			return Files.exists(socket) && answersStatus(socket);
		});
		if (!answered) {
			throw new IllegalStateException("the daemon did not answer within " + START_LIMIT + "; see " + log);
		}
		double startMillis = (System.nanoTime() - t0) / 1e6;
		progress(String.format(Locale.ROOT, "  answering after %.0f ms; idle for %d s", startMillis, this.idleSeconds));
		Thread.sleep(this.idleSeconds * 1000L);
		return new Daemon(database, process, socket, accessLogs, startMillis, rssKb(process));
	}

	private void stopDaemons() {
		for (Process process : this.daemons) {
			if (process.isAlive()) {
				process.destroy();
				try {
					if (!process.waitFor(30, TimeUnit.SECONDS)) {
						process.destroyForcibly();
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}
		this.daemons.clear();
	}

	/**
	 * One GET with {@code Connection: close}; returns the status after reading the whole
	 * response.
	 */
	/**
	 * Whether the daemon answers its status with 200 (not when it does not listen yet).
	 */
	private static boolean answersStatus(Path socket) {
		try {
			return get(socket, "/api/system/status") == 200;
		}
		catch (IOException notListeningYet) {
			return false;
		}
	}

	private static int get(Path socket, String target) throws IOException {
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.connect(UnixDomainSocketAddress.of(socket));
			String head = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
					+ "Connection: close\r\n\r\n";
			ByteBuffer buffer = ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII));
			while (buffer.hasRemaining()) {
				channel.write(buffer);
			}
			InputStream in = Channels.newInputStream(channel);
			byte[] response = in.readAllBytes();
			String statusLine = new String(response, 0, Math.min(response.length, 32), StandardCharsets.US_ASCII);
			if (!statusLine.startsWith("HTTP/1.1 ")) {
				throw new IOException("not an HTTP response: " + statusLine);
			}
			return Integer.parseInt(statusLine.substring(9, 12));
		}
	}

	private void report(List<Request> requests, Map<String, Series> results, Daemon small, Daemon large, long smallRss,
			long largeRss, Map<String, StartSeries> startUps, String loadBefore, String loadAfter) {
		out.println();
		out.println("==== dilxc history benchmark, " + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
				+ " ====");
		out.printf(Locale.ROOT, "host: %d cpus, load avg %s (start) / %s (end); JDK %s; daemon %s%n",
				Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter, System.getProperty("java.version"),
				this.jar);
		out.printf(Locale.ROOT,
				"'new': probe jobs only (%d output lines); 'history': %,d jobs over a year + probes (%,d output lines)%n",
				small.database().rows(), this.jobs, large.database().rows());
		out.printf(Locale.ROOT,
				"%d samples per request and database (after %d untimed), alternating between the daemons%n",
				this.samples, this.warmup);
		out.println("server = Tomcat's processing time (access log %D); socket = round trip over the Unix socket");
		out.println();
		out.printf(Locale.ROOT, "%-40s %17s %17s %7s %17s%n", "", "new: median p90", "history: med p90", "ratio",
				"history socket");
		boolean allWithin = true;
		for (Request request : requests) {
			Series a = results.get("new " + request.name());
			Series b = results.get("history " + request.name());
			double medianA = median(a.server);
			double medianB = median(b.server);
			double p90B = p90(b.server);
			allWithin &= p90B <= 20;
			out.printf(Locale.ROOT, "%-40s %8.2f %8.2f %8.2f %8.2f %7.2f %8.2f %8.2f  ms%n", request.name(), medianA,
					p90(a.server), medianB, p90B, medianB / medianA, median(b.socket), p90(b.socket));
		}
		out.println();
		out.printf(Locale.ROOT,
				"start-up to first answer, RSS idle %d s after it: medians of %d starts (goals: <= 5000 ms, <= 200 MB)%n",
				this.idleSeconds, this.starts);
		for (String database : List.of("new", "history")) {
			StartSeries plain = startUps.get(database + " " + Way.OUT_OF_THE_BOX.name());
			StartSeries tuned = startUps.get(database + " " + Way.LAUNCHER.name());
			for (Way way : Way.values()) {
				StartSeries one = way == Way.LAUNCHER ? tuned : plain;
				out.printf(Locale.ROOT, "  %-8s %-30s %6.0f ms  %4.0f MB%n", database, way.label, median(one.millis),
						median(one.rssMb));
			}
			out.printf(Locale.ROOT, "  %-8s %-30s %6.2f     %4.2f%n", database, "ratio launcher / java -jar",
					median(tuned.millis) / median(plain.millis), median(tuned.rssMb) / median(plain.rssMb));
		}
		out.printf(Locale.ROOT, "RSS after the benchmark's requests: new %d MB, history %d MB%n", smallRss / 1024,
				largeRss / 1024);
		out.println("every request's server p90 <= 20 ms at " + this.jobs + " jobs: " + (allWithin ? "yes" : "NO"));
		out.println();
	}

	private static void deleteTree(Path root) {
		try (Stream<Path> paths = Files.walk(root)) {
			for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			progress("could not delete " + root + ": " + ex);
		}
	}

	private static long rssKb(Process process) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D", ""));
			}
		}
		throw new IllegalStateException("no VmRSS for pid " + process.pid());
	}

	private static long sizeMb(Path directory) {
		try (Stream<Path> files = Files.walk(directory)) {
			return files.filter(Files::isRegularFile).mapToLong((file) -> {
				try {
					return Files.size(file);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}).sum() / (1024 * 1024);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static double median(List<Double> values) {
		return percentile(values, 50);
	}

	private static double p90(List<Double> values) {
		return percentile(values, 90);
	}

	private static double percentile(List<Double> values, int percent) {
		return BenchSettings.nearestRank(values, percent);
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[0];
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private static void progress(String message) {
		System.err.println("[history-bench] " + message);
	}

	private static int intEnv(String name, int fallback, int min) {
		return BenchSettings.intEnv(name, fallback, min);
	}

}
