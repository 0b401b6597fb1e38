package dev.dilxc.client.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.api.JobDetails;
import dev.dilxc.api.JobHistoryEntry;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.OutputLine;
import dev.dilxc.api.OutputPage;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.daemon.UnixSocketHttpClient;
import dev.dilxc.daemon.bench.BenchSettings;
import dev.dilxc.daemon.testing.Await;
import dev.dilxc.daemon.testing.FakeAnthropicApi;
import dev.dilxc.daemon.testing.Lxc;
import dev.dilxc.daemon.testing.TestBackend;
import dev.dilxc.daemon.testing.TestSandbox;

/**
 * Benchmark (not a test: failsafe and surefire only pick up *Tests / *IntegrationTests)
 * of the job path as a user meets it, next to the same work done by hand with raw LXD on
 * the same sandbox; run it with {@code deploy/job-path-benchmark.sh}, which builds the
 * jars, trains both launchers' start-up caches into temporary directories and passes them
 * here through DILXC_CLIENT_JAR/_CACHE_DIR and DILXC_DAEMON_JAR/_CACHE_DIR.
 *
 * <p>
 * One sandbox from the test image, wired to a {@link FakeAnthropicApi} that plays the
 * same conversation for every sample: one Bash tool call (writes a file in the working
 * copy), then a final text answer; the real Claude Code CLI runs it. One daemon, started
 * through its launcher ({@code deploy/bin/dilxc-daemon}) as the installed daemon starts,
 * with the sandbox as its default. Each round takes one sample of each path, alternating
 * which goes first, with a pause after each so the tail of one (the daemon's snapshot
 * retention, say) does not land in the other:
 * <ul>
 * <li><b>(a) user path</b>: {@code deploy/bin/dilxc-client submit --wait -- PROMPT}, wall
 * time of that process (its JVM start, the submit, following the output, its exit); and
 * the daemon side of the same job: its {@code submittedAt} to {@code finishedAt} stamps,
 * read back over the API afterwards.</li>
 * <li><b>(b) raw LXD</b>: {@code lxc snapshot SANDBOX NAME} then
 * {@code lxc exec SANDBOX --force-noninteractive
 * --user 1000 --group 1000 --cwd PROJECT --env ... -- claude -p --dangerously-skip-permissions
 * --output-format stream-json --verbose -- PROMPT}: the CLI options the daemon's agent
 * script gives, the same user, working directory and variables (HOME, USER, LOGNAME and
 * every line of the sandbox's agent.env, read from it once), stdin from /dev/null as the
 * daemon's; wall time of both commands. The snapshot is deleted after each sample,
 * untimed; the daemon's own snapshots are its retention's business.</li>
 * </ul>
 * Every sample is checked: exit 0, the final answer in the output, exactly two main turns
 * at the fake API.
 *
 * <p>
 * The breakdowns compare the phases: for (a) from the job's history stamps and its stored
 * output lines' arrival stamps (first line, the result line); for (b) from when the
 * benchmark read the same two lines from the {@code lxc exec} process. Host and daemon
 * share one clock. A reference per round, {@code lxc exec SANDBOX -- true} and
 * {@code lxc query /1.0/instances/SANDBOX}, prices one more LXD call.
 *
 * <p>
 * Environment: DILXC_BENCH_SAMPLES (10) counted rounds, DILXC_BENCH_WARMUP (2) rounds not
 * counted, DILXC_BENCH_GAP_MS (1000) pause after each sample, DILXC_BENCH_API_SUBMIT=1 to
 * add to each round (c), a job submitted over the API and followed from this JVM (the
 * daemon side with no client process beside it), DILXC_BENCH_TRACE_LXC=1 to time each of
 * the daemon's lxc calls (through a bash wrapper, which adds a few ms to each: for
 * finding where time goes, not for the headline figures). Arguments: the client launcher,
 * the daemon launcher. The daemon, the sandbox (with every snapshot) and the work
 * directory are removed at the end, on failure and on SIGINT/SIGTERM.
 */
public final class JobPathBenchmark {

	private static final PrintStream out = System.out;

	private static final String API_KEY = "sk-ant-bench-0000000000";

	private static final String PROMPT = "Write the time into job-path-bench.txt, then say what you did.";

	private static final String BASH_COMMAND = "date +%s%N > " + TestSandbox.PROJECT + "/job-path-bench.txt";

	private static final String FINAL_TEXT = "Wrote the time into job-path-bench.txt.";

	/**
	 * What the daemon's agent script (AgentSandbox.AGENT_SCRIPT) puts before
	 * {@code -- PROMPT}.
	 */
	private static final List<String> CLAUDE_OPTIONS = List.of("-p", "--dangerously-skip-permissions",
			"--output-format", "stream-json", "--verbose");

	private static final Duration LIMIT = Duration.ofMinutes(5);

	/**
	 * The daemon's lxc client when DILXC_BENCH_TRACE_LXC=1: runs lxc and appends a line
	 * "START END EXIT LABEL" ($EPOCHREALTIME, a bash builtin) to the trace file %1$s; the
	 * label names the call by what the daemon runs (an exec by its script's $0, the last
	 * one given: the scope wrapper runs a capture script; the agent's exec, which runs
	 * the sweep and the change base first, by its prelude), the sandbox's name %2$s made
	 * SANDBOX.
	 */
	private static final String TRACING_LXC = """
			#!/bin/bash
			start=$EPOCHREALTIME
			label=$1
			case $1 in
			  exec) for arg in "$@"; do
			          case $arg in
			            dilxc-prepare) label="exec dilxc-agent"; break ;;
			            dilxc-agent|dilxc-kill|dilxc-base|dilxc-changes|dilxc-transcript|cat) label="exec $arg" ;;
			          esac
			        done ;;
			  query) path=${@: -1}; path=${path%%%%\\?*}; label="query ${path//%2$s/SANDBOX}" ;;
			esac
			lxc "$@"
			code=$?
			printf '%%s %%s %%s %%s\\n' "$start" "$EPOCHREALTIME" "$code" "$label" >> "%1$s"
			exit "$code"
			""";

	private static final JsonMapper JSON = ClientCommands.jsonMapper();

	private static final Pattern JOB_ID = Pattern.compile("job (\\d+) ");

	private final int samples = BenchSettings.intEnv("DILXC_BENCH_SAMPLES", 10, 1);

	private final int warmup = BenchSettings.intEnv("DILXC_BENCH_WARMUP", 2, 0);

	private final long gapMillis = BenchSettings.intEnv("DILXC_BENCH_GAP_MS", 1000, 0);

	/**
	 * Whether the daemon's lxc calls are timed, through {@link #TRACING_LXC}: it costs a
	 * bash start per call.
	 */
	private final boolean traceLxc = BenchSettings.env("DILXC_BENCH_TRACE_LXC", "0").equals("1");

	/**
	 * Whether each round also submits a job over the API from this (warm) JVM: the daemon
	 * side with no client JVM.
	 */
	private final boolean apiSubmit = BenchSettings.env("DILXC_BENCH_API_SUBMIT", "0").equals("1");

	private final Path clientLauncher;

	private final Path daemonLauncher;

	private final Path work;

	private final AtomicBoolean cleanedUp = new AtomicBoolean();

	private final List<String> rawSnapshots = new ArrayList<>();

	private FakeAnthropicApi api;

	private TestSandbox sandbox;

	private Process daemon;

	private DaemonClient daemonApi;

	private List<String> rawExec;

	private int rawCounter;

	private JobPathBenchmark(Path clientLauncher, Path daemonLauncher, Path work) {
		this.clientLauncher = clientLauncher;
		this.daemonLauncher = daemonLauncher;
		this.work = work;
	}

	public static void main(String[] args) throws IOException {
		if (args.length != 2) {
			System.err.println("usage: JobPathBenchmark PATH/TO/bin/dilxc-client PATH/TO/bin/dilxc-daemon");
			System.exit(64);
		}
		for (String variable : List.of("DILXC_CLIENT_JAR", "DILXC_CLIENT_CACHE_DIR", "DILXC_DAEMON_JAR",
				"DILXC_DAEMON_CACHE_DIR")) {
			if (System.getenv(variable) == null) {
				System.err.println("JobPathBenchmark: " + variable + " is not set; run deploy/job-path-benchmark.sh");
				System.exit(64);
			}
		}
		JobPathBenchmark benchmark = new JobPathBenchmark(Path.of(args[0]).toAbsolutePath(),
				Path.of(args[1]).toAbsolutePath(), Files.createTempDirectory("dilxc-job-path-bench-"));
		System.exit(BenchSettings.run(benchmark::run, benchmark::cleanUp));
	}

	private void run() throws Exception {
		TestSandbox.requireLxd();
		String loadBefore = BenchSettings.loadAverage();
		this.api = FakeAnthropicApi.start();
		progress("launching a sandbox from image " + TestSandbox.IMAGE);
		this.sandbox = TestSandbox.launch("dilxc-jobpath", this.api, API_KEY);
		this.rawExec = rawExecCommand();
		String cli = "Claude Code "
				+ Lxc.exec(this.sandbox.name(), "claude", "--version").replace("(Claude Code)", "").strip();
		// The client runs where no .dilxc file names a sandbox: the daemon's default is
		// the one.
		Files.createDirectories(this.work.resolve("cwd"));
		startDaemon();

		Results results = new Results();
		int rounds = this.warmup + this.samples;
		progress("running " + this.warmup + " warm-up + " + this.samples
				+ " counted rounds, each one job through the client and one raw run");
		for (int round = 0; round < rounds; round++) {
			boolean counted = round >= this.warmup;
			UserSample user;
			RawSample raw;
			// Alternating which goes first, so neither always follows the other's tail.
			if (round % 2 == 0) {
				user = userSample();
				pause();
				raw = rawSample();
			}
			else {
				raw = rawSample();
				pause();
				user = userSample();
			}
			pause();
			UserSample direct = null;
			if (this.apiSubmit) {
				direct = apiSample();
				pause();
			}
			Probe probe = probe();
			if (counted) {
				results.user.add(user);
				results.raw.add(raw);
				results.probes.add(probe);
				if (direct != null) {
					results.direct.add(direct);
				}
			}
			progress(String.format(Locale.ROOT,
					"[%s %2d/%d] job %d: user wait %.0f ms, daemon side %.0f ms; raw %.0f ms",
					counted ? "round" : "warm-up", counted ? round - this.warmup + 1 : round + 1,
					counted ? this.samples : this.warmup, user.jobId(), user.userWait(), user.daemonSide(),
					raw.total()));
		}
		report(results, cli, loadBefore, BenchSettings.loadAverage());
	}

	// ---------------------------------------------------------------- (a) the user's
	// path

	private void startDaemon() {
		Path socket = this.work.resolve("run/daemon.sock");
		Path log = this.work.resolve("daemon.log");
		List<String> command = new ArrayList<>(
				List.of(this.daemonLauncher.toString(), "--dilxc.jobs.default-sandbox=" + this.sandbox.name()));
		if (this.traceLxc) {
			Path wrapper = this.work.resolve("lxc-traced");
			try {
				Files.writeString(wrapper, TRACING_LXC.formatted(lxcTrace(), this.sandbox.name()));
				Files.setPosixFilePermissions(wrapper,
						java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			command.add("--dilxc.lxd.executable=" + wrapper);
		}
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		Map<String, String> environment = builder.environment();
		environment.put("DILXC_DATA_DIR", this.work.resolve("data").toString());
		environment.put("DILXC_SOCKET", socket.toString());
		environment.put("DILXC_LXD_BACKEND", TestBackend.current().setting());
		// Its own empty settings directory: none of the machine's settings play a part.
		environment.put("XDG_CONFIG_HOME", this.work.resolve("config").toString());
		environment.put("JAVA_HOME", System.getProperty("java.home"));
		for (String variable : List.of("DILXC_CONFIG", "DILXC_DAEMON_TRAIN", "DILXC_DAEMON_AOT",
				"DILXC_DAEMON_JAVA_OPTS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
			environment.remove(variable);
		}
		progress("starting the daemon through " + this.daemonLauncher + " (default sandbox " + this.sandbox.name()
				+ ")");
		long t0 = System.nanoTime();
		try {
			this.daemon = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.daemonApi = new DaemonClient(new UnixSocketHttpClient(socket), JSON);
		boolean answered = Await.holdsWithin(Duration.ofMinutes(2), Duration.ofMillis(20), () -> {
			if (!this.daemon.isAlive()) {
				throw new IllegalStateException(
						"the daemon exited with " + this.daemon.exitValue() + ":\n" + read(log));
			}
			return Files.exists(socket) && answers();
		});
		if (!answered) {
			throw new IllegalStateException("the daemon did not answer within 2 minutes:\n" + read(log));
		}
		progress(String.format(Locale.ROOT, "  the daemon answers after %.0f ms", (System.nanoTime() - t0) / 1e6));
		if (read(log).contains("was made for another build")) {
			throw new IllegalStateException("the daemon ignored its start-up cache (stale):\n" + read(log));
		}
	}

	/** Whether the daemon answers its status (not while it does not listen yet). */
	private boolean answers() {
		try {
			this.daemonApi.system();
			return true;
		}
		catch (RuntimeException notYet) {
			return false;
		}
	}

	private Path lxcTrace() {
		return this.work.resolve("lxc-trace.txt");
	}

	private UserSample userSample() {
		scriptConversation();
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("DILXC_SOCKET", this.work.resolve("run/daemon.sock").toString());
		environment.put("JAVA_HOME", System.getProperty("java.home"));
		Path cwd = this.work.resolve("cwd");
		List<String> command = List.of(this.clientLauncher.toString(), "submit", "--wait", "--", PROMPT);
		Run submit = Run.of(command, environment, List.of("DILXC_CONTAINER", "DILXC_CLIENT_AOT", "DILXC_CLIENT_TRAIN",
				"DILXC_CLIENT_JAVA_OPTS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"), cwd);
		String said = submit.stderr() + String.join("\n", submit.stdout());
		if (submit.exitCode() != 0 || !said.contains(FINAL_TEXT)) {
			throw new IllegalStateException("dilxc-client submit --wait exited " + submit.exitCode() + ":\n" + said);
		}
		if (submit.stderr().contains("was made for another build")) {
			throw new IllegalStateException("the client ignored its start-up cache (stale): " + submit.stderr());
		}
		Matcher id = JOB_ID.matcher(submit.stderr());
		if (!id.find()) {
			throw new IllegalStateException("no job id in the client's stderr: " + submit.stderr());
		}
		return finishedJob(Long.parseLong(id.group(1)), submit.started(), submit.ended());
	}

	/**
	 * A job submitted over the API by this JVM and followed as the client follows (long
	 * polls of its output until a page says it is complete), so that only the client's
	 * own process is missing from the path.
	 */
	private UserSample apiSample() {
		scriptConversation();
		Instant started = Instant.now();
		long jobId = this.daemonApi.submit(new SubmitJobRequest(PROMPT, null, null, null, null, null, null)).id();
		long after = 0;
		OutputPage page;
		do {
			page = this.daemonApi.output(jobId, after, Duration.ofSeconds(20));
			after = Math.max(after, page.next());
		}
		while (!page.complete());
		return finishedJob(jobId, started, Instant.now());
	}

	/** Checks that the job succeeded on two main turns and reads its stamps. */
	private UserSample finishedJob(long jobId, Instant clientStarted, Instant clientExited) {
		JobDetails details = this.daemonApi.job(jobId);
		JobView job = details.job();
		if (job.state() != JobState.SUCCEEDED) {
			throw new IllegalStateException("job " + jobId + " ended " + job.state() + ": " + job.reason());
		}
		requireTwoMainTurns("job " + jobId);
		List<OutputLine> lines = new ArrayList<>();
		OutputPage page;
		long after = 0;
		do {
			page = this.daemonApi.output(jobId, after);
			lines.addAll(page.lines());
			after = page.next();
		}
		while (!page.lines().isEmpty());
		Instant firstLine = lines.stream()
			.filter((line) -> line.stream().equals("stdout"))
			.map(OutputLine::at)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("job " + jobId + " stored no stdout line"));
		Instant resultLine = lines.stream()
			.filter((line) -> isResultEvent(line.text()))
			.map(OutputLine::at)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("job " + jobId + " stored no result event: "
					+ lines.stream().map((line) -> line.stream() + ": " + line.text()).toList()));
		return new UserSample(jobId, nanos(clientStarted), nanos(job.submittedAt()),
				historyNanos(details, JobState.SNAPSHOTTING, "STATE"),
				historyNanos(details, JobState.SNAPSHOTTING, "SNAPSHOT"), nanos(job.startedAt()), nanos(firstLine),
				nanos(resultLine), nanos(job.finishedAt()), nanos(clientExited));
	}

	private static long historyNanos(JobDetails details, JobState state, String event) {
		// The last entry of the kind: a snapshot step is written once the snapshot
		// exists.
		return details.history()
			.stream()
			.filter((entry) -> entry.state() == state && entry.event().equals(event))
			.map(JobHistoryEntry::at)
			.reduce((first, second) -> second)
			.map(JobPathBenchmark::nanos)
			.orElseThrow(() -> new IllegalStateException(
					"no " + event + " " + state + " entry in the job's history: " + details.history()));
	}

	// ---------------------------------------------------------------- (b) raw LXD by
	// hand

	/**
	 * {@code lxc exec} as a user would type it to run what the daemon runs: the daemon's
	 * own call goes through a scope, setpriv and its agent script, which this leaves out
	 * on purpose: they are part of what is measured.
	 */
	private List<String> rawExecCommand() {
		List<String> command = new ArrayList<>(List.of(TestBackend.current().client(), "exec", this.sandbox.name(),
				"--force-noninteractive", "--user", "1000", "--group", "1000", "--cwd", TestSandbox.PROJECT, "--env",
				"HOME=/home/ubuntu", "--env", "USER=ubuntu", "--env", "LOGNAME=ubuntu"));
		for (String line : Lxc.exec(this.sandbox.name(), "cat", TestSandbox.ENV_FILE).split("\n")) {
			if (!line.isBlank() && !line.startsWith("#")) {
				command.addAll(List.of("--env", line.strip()));
			}
		}
		command.addAll(List.of("--", "claude"));
		command.addAll(CLAUDE_OPTIONS);
		command.addAll(List.of("--", PROMPT));
		return List.copyOf(command);
	}

	private RawSample rawSample() {
		scriptConversation();
		String snapshot = "bench-raw-" + (++this.rawCounter);
		List<String> snapshotCommand = new ArrayList<>(List.of(TestBackend.current().client()));
		snapshotCommand.addAll(List.of(TestBackend.current().snapshotVerb("snapshot")));
		snapshotCommand.addAll(List.of(this.sandbox.name(), snapshot));
		Run snap = Run.of(snapshotCommand, Map.of(), List.of(), null);
		if (snap.exitCode() != 0) {
			throw new IllegalStateException(String.join(" ", snapshotCommand) + " failed: " + snap.stderr());
		}
		this.rawSnapshots.add(snapshot);
		Run exec = Run.of(this.rawExec, Map.of(), List.of(), null);
		if (exec.exitCode() != 0
				|| exec.stdout().stream().noneMatch((line) -> isResultEvent(line) && line.contains(FINAL_TEXT))) {
			throw new IllegalStateException("the raw lxc exec of claude exited " + exec.exitCode() + ":\n"
					+ String.join("\n", exec.stdout()) + "\n" + exec.stderr());
		}
		requireTwoMainTurns("the raw run");
		int result = 0;
		while (!isResultEvent(exec.stdout().get(result))) {
			result++;
		}
		Lxc.deleteSnapshot(this.sandbox.name(), snapshot).orFail("delete the raw snapshot " + snapshot);
		this.rawSnapshots.remove(snapshot);
		return new RawSample(snap.millis(), nanos(exec.started()), exec.lineNanos().get(0),
				exec.lineNanos().get(result), nanos(exec.ended()), nanos(exec.ended()) - nanos(snap.started()));
	}

	private Probe probe() {
		String client = TestBackend.current().client();
		Run exec = Run.of(List.of(client, "exec", this.sandbox.name(), "--", "true"), Map.of(), List.of(), null);
		Run query = Run.of(List.of(client, "query", "/1.0/instances/" + this.sandbox.name()), Map.of(), List.of(),
				null);
		return new Probe(exec.millis(), query.millis());
	}

	// ---------------------------------------------------------------- both

	/**
	 * The same conversation for every sample: a Bash call, then the final answer once its
	 * result is back.
	 */
	private void scriptConversation() {
		this.api.reset();
		this.api.scriptBashThenFinish(BASH_COMMAND, FINAL_TEXT);
	}

	private void requireTwoMainTurns(String what) {
		int turns = this.api.mainTurns().size();
		if (turns != 2) {
			throw new IllegalStateException(what + " made " + turns + " main turns at the fake API, not 2");
		}
	}

	/**
	 * Whether a stream-json line is the result event (the CLI does not put "type" first
	 * in it).
	 */
	private static boolean isResultEvent(String line) {
		try {
			return JSON.readTree(line).path("type").asString("").equals("result");
		}
		catch (JacksonException notJson) {
			return false;
		}
	}

	private void pause() {
		try {
			Thread.sleep(this.gapMillis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/**
	 * A finished process: when it started and ended, its stdout lines and when each was
	 * read, its stderr.
	 */
	private record Run(int exitCode, Instant started, Instant ended, double millis, List<String> stdout,
			List<Long> lineNanos, String stderr) {

		/**
		 * Runs to its exit (stdin /dev/null); the wall time is from just before the start
		 * to the exit seen.
		 */
		static Run of(List<String> command, Map<String, String> environment, List<String> unset, Path directory) {
			ProcessBuilder builder = new ProcessBuilder(command)
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
			unset.forEach(builder.environment()::remove);
			builder.environment().putAll(environment);
			if (directory != null) {
				builder.directory(directory.toFile());
			}
			List<String> lines = new ArrayList<>();
			List<Long> lineNanos = new ArrayList<>();
			StringBuilder stderr = new StringBuilder();
			Instant started = Instant.now();
			long t0 = System.nanoTime();
			Process process;
			try {
				process = builder.start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			Thread stdoutReader = Thread.ofPlatform().start(() -> {
				try (BufferedReader reader = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
					String line;
					while ((line = reader.readLine()) != null) {
						Instant at = Instant.now();
						synchronized (lines) {
							lines.add(line);
							lineNanos.add(nanos(at));
						}
					}
				}
				catch (IOException ignored) {
				}
			});
			Thread stderrReader = Thread.ofPlatform().start(() -> stderr.append(drain(process.getErrorStream())));
			try {
				if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
					process.destroyForcibly();
					throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(3, command.size())))
							+ " did not finish within " + LIMIT);
				}
				long t1 = System.nanoTime();
				stdoutReader.join();
				stderrReader.join();
				double millis = (t1 - t0) / 1e6;
				return new Run(process.exitValue(), started, started.plusNanos(t1 - t0), millis, List.copyOf(lines),
						List.copyOf(lineNanos), stderr.toString());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				process.destroyForcibly();
				throw new IllegalStateException("interrupted", ex);
			}
		}

		private static String drain(InputStream stream) {
			try {
				return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				return "";
			}
		}
	}

	/**
	 * One job through the client; moments in epoch nanoseconds (one clock: the host's).
	 */
	private record UserSample(long jobId, long clientStarted, long submitted, long claimed, long snapshotTaken,
			long running, long firstLine, long resultLine, long finished, long clientExited) {

		double userWait() {
			return ms(this.clientStarted, this.clientExited);
		}

		double daemonSide() {
			return ms(this.submitted, this.finished);
		}
	}

	/**
	 * One raw run: the snapshot's wall time, then the exec's moments in epoch
	 * nanoseconds.
	 */
	private record RawSample(double snapshotMillis, long execStarted, long firstLine, long resultLine, long execExited,
			long totalNanos) {

		double total() {
			return this.totalNanos / 1e6;
		}
	}

	/**
	 * What one more LXD call costs: {@code lxc exec -- true} and {@code lxc query} of the
	 * instance.
	 */
	private record Probe(double execMillis, double queryMillis) {
	}

	private static final class Results {

		final List<UserSample> user = new ArrayList<>();

		final List<RawSample> raw = new ArrayList<>();

		final List<Probe> probes = new ArrayList<>();

		final List<UserSample> direct = new ArrayList<>();

	}

	// ---------------------------------------------------------------- report

	private void report(Results results, String cli, String loadBefore, String loadAfter) {
		String server = Lxc.run("query", "/1.0").stdout();
		String lxdVersion = server.replaceAll("(?s).*\"server_version\":\\s*\"([^\"]+)\".*", "$1").strip();
		String driver = server.replaceAll("(?s).*\"storage\":\\s*\"([^\"]+)\".*", "$1").strip();
		List<Double> userWait = values(results.user, UserSample::userWait);
		List<Double> daemonSide = values(results.user, UserSample::daemonSide);
		List<Double> raw = values(results.raw, RawSample::total);
		out.println();
		out.println("==== dilxc job path benchmark, " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " ====");
		out.printf(Locale.ROOT,
				"host: %d cores, load avg %s (start) / %s (end); JDK %s; %s %s, storage %s; image %s; %s%n",
				Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter, System.getProperty("java.version"),
				TestBackend.current().client().equals("incus") ? "Incus" : "LXD", lxdVersion, driver, TestSandbox.IMAGE,
				cli);
		out.printf(Locale.ROOT,
				"%d rounds (+%d warm-up not counted), each one sample of (a) and (b), alternating which goes first, "
						+ "%d ms pause after each%n",
				this.samples, this.warmup, this.gapMillis);
		out.println(
				"scripted conversation (fake API, real Claude Code CLI): one Bash call writing a file in the working copy, "
						+ "then the final answer");
		out.println(
				"(a) user wait: wall time of 'deploy/bin/dilxc-client submit --wait -- PROMPT' (trained start-up cache) against");
		out.println("    deploy/bin/dilxc-daemon (trained); daemon side: the job's submittedAt -> finishedAt");
		out.println("(b) raw: '"
				+ (TestBackend.current().client().equals("incus") ? "incus snapshot create" : "lxc snapshot")
				+ " SANDBOX NAME' + '" + TestBackend.current().client()
				+ " exec SANDBOX --user 1000 --group 1000 --cwd PROJECT --env ...");
		out.println(
				"    -- claude -p --dangerously-skip-permissions --output-format stream-json --verbose -- PROMPT', wall time");
		out.println();
		out.printf(Locale.ROOT, "%-46s %8s %8s %8s %8s  (ms)%n", "", "median", "p90", "min", "max");
		row("(a) user wait (submit --wait, wall)", userWait);
		row("(a) daemon side (submitted -> finished)", daemonSide);
		row("(b) raw (lxc snapshot + lxc exec claude)", raw);
		if (!results.direct.isEmpty()) {
			row("(c) daemon side, submitted over the API", values(results.direct, UserSample::daemonSide));
		}
		out.println();
		double userGap = BenchSettings.median(userWait) - BenchSettings.median(raw);
		double daemonGap = BenchSettings.median(daemonSide) - BenchSettings.median(raw);
		out.printf(Locale.ROOT,
				"a - b, medians: user wait %+.0f ms (goal <= +500: %s), daemon side %+.0f ms (goal <= +300: %s)%n",
				userGap, userGap <= 500 ? "met" : "NOT met", daemonGap, daemonGap <= 300 ? "met" : "NOT met");
		List<Double> pairedUser = new ArrayList<>();
		List<Double> pairedDaemon = new ArrayList<>();
		for (int i = 0; i < raw.size(); i++) {
			pairedUser.add(userWait.get(i) - raw.get(i));
			pairedDaemon.add(daemonSide.get(i) - raw.get(i));
		}
		out.printf(Locale.ROOT,
				"a - b, per round (median / p90): user wait %+.0f / %+.0f ms, daemon side %+.0f / %+.0f ms%n",
				BenchSettings.median(pairedUser), BenchSettings.nearestRank(pairedUser, 90),
				BenchSettings.median(pairedDaemon), BenchSettings.nearestRank(pairedDaemon, 90));
		out.println();
		out.println(
				"where the time goes (medians of each phase; stamps: the job's history and stored output lines' arrival,");
		out.println("for (b) when the benchmark read those lines from lxc exec):");
		out.printf(Locale.ROOT, "%-46s %8s %8s%n", "", "median", "p90");
		phase("(a) client start -> submitted (JVM + POST)", results.user, (s) -> ms(s.clientStarted(), s.submitted()));
		phase("    submitted -> claimed by the worker", results.user, (s) -> ms(s.submitted(), s.claimed()));
		phase("    claimed -> snapshot taken", results.user, (s) -> ms(s.claimed(), s.snapshotTaken()));
		phase("    snapshot taken -> RUNNING", results.user, (s) -> ms(s.snapshotTaken(), s.running()));
		phase("    RUNNING -> first output line", results.user, (s) -> ms(s.running(), s.firstLine()));
		phase("    first line -> result line (conversation)", results.user, (s) -> ms(s.firstLine(), s.resultLine()));
		phase("    result line -> finished", results.user, (s) -> ms(s.resultLine(), s.finished()));
		phase("    finished -> client exited", results.user, (s) -> ms(s.finished(), s.clientExited()));
		if (!results.direct.isEmpty()) {
			phase("(c) submitted -> snapshot taken", results.direct, (s) -> ms(s.submitted(), s.snapshotTaken()));
			phase("    snapshot taken -> RUNNING", results.direct, (s) -> ms(s.snapshotTaken(), s.running()));
			phase("    RUNNING -> first output line", results.direct, (s) -> ms(s.running(), s.firstLine()));
			phase("    first line -> result line (conversation)", results.direct,
					(s) -> ms(s.firstLine(), s.resultLine()));
			phase("    result line -> finished", results.direct, (s) -> ms(s.resultLine(), s.finished()));
		}
		phase("(b) lxc snapshot", results.raw, RawSample::snapshotMillis);
		phase("    exec start -> first output line", results.raw, (s) -> ms(s.execStarted(), s.firstLine()));
		phase("    first line -> result line (conversation)", results.raw, (s) -> ms(s.firstLine(), s.resultLine()));
		phase("    result line -> exec exited", results.raw, (s) -> ms(s.resultLine(), s.execExited()));
		phase("reference: lxc exec SANDBOX -- true", results.probes, Probe::execMillis);
		phase("reference: lxc query /1.0/instances/SANDBOX", results.probes, Probe::queryMillis);
		if (this.traceLxc) {
			reportLxcCalls(results.user);
		}
		out.println();
	}

	/**
	 * The daemon's lxc calls per job, from the trace: those that started between its
	 * submission and its end, by label in order of first use, and those in the second
	 * after its end (retention; not in its time).
	 */
	private void reportLxcCalls(List<UserSample> jobs) {
		List<TracedCall> calls = readTrace();
		Map<String, List<Double>> inJob = new LinkedHashMap<>();
		Map<String, List<Double>> afterJob = new LinkedHashMap<>();
		List<Double> lxcPerJob = new ArrayList<>();
		for (UserSample job : jobs) {
			Map<String, Double> in = new LinkedHashMap<>();
			Map<String, Double> after = new LinkedHashMap<>();
			double sum = 0;
			for (TracedCall call : calls) {
				if (call.start() >= job.submitted() && call.start() <= job.finished()) {
					in.merge(call.label(), call.millis(), Double::sum);
					sum += call.millis();
				}
				else if (call.start() > job.finished() && call.start() <= job.finished() + 1_000_000_000L) {
					after.merge(call.label(), call.millis(), Double::sum);
				}
			}
			in.forEach((label, millis) -> inJob.computeIfAbsent(label, (key) -> new ArrayList<>()).add(millis));
			after.forEach((label, millis) -> afterJob.computeIfAbsent(label, (key) -> new ArrayList<>()).add(millis));
			lxcPerJob.add(sum);
		}
		out.println();
		out.println(
				"the daemon's lxc calls (DILXC_BENCH_TRACE_LXC=1: through a bash wrapper, a few ms more each), ms per job:");
		out.printf(Locale.ROOT, "%-46s %8s %8s %6s%n", "", "median", "p90", "jobs");
		inJob.forEach((label, values) -> out.printf(Locale.ROOT, "  %-44s %8.0f %8.0f %6d%n", label,
				BenchSettings.median(values), BenchSettings.nearestRank(values, 90), values.size()));
		out.printf(Locale.ROOT, "  %-44s %8.0f %8.0f%n", "all lxc calls between submitted and finished",
				BenchSettings.median(lxcPerJob), BenchSettings.nearestRank(lxcPerJob, 90));
		List<Double> outside = new ArrayList<>();
		for (int i = 0; i < jobs.size(); i++) {
			outside.add(jobs.get(i).daemonSide() - lxcPerJob.get(i));
		}
		out.printf(Locale.ROOT, "  %-44s %8.0f %8.0f%n", "daemon side outside lxc calls", BenchSettings.median(outside),
				BenchSettings.nearestRank(outside, 90));
		afterJob.forEach((label, values) -> out.printf(Locale.ROOT, "  after finished: %-28s %8.0f %8.0f %6d%n", label,
				BenchSettings.median(values), BenchSettings.nearestRank(values, 90), values.size()));
	}

	private List<TracedCall> readTrace() {
		List<TracedCall> calls = new ArrayList<>();
		for (String line : read(lxcTrace()).split("\n")) {
			String[] fields = line.split(" ", 4);
			if (fields.length == 4) {
				calls.add(new TracedCall(epochNanos(fields[0]), epochNanos(fields[1]), fields[3]));
			}
		}
		return calls;
	}

	private static long epochNanos(String epochRealtime) {
		return new java.math.BigDecimal(epochRealtime.replace(',', '.')).movePointRight(9).longValueExact();
	}

	/** One lxc call of the daemon's, in epoch nanoseconds. */
	private record TracedCall(long start, long end, String label) {

		double millis() {
			return ms(this.start, this.end);
		}
	}

	private static void row(String label, List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		out.printf(Locale.ROOT, "%-46s %8.0f %8.0f %8.0f %8.0f  n=%d%n", label, BenchSettings.median(sorted),
				BenchSettings.nearestRank(sorted, 90), sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
	}

	private static <T> void phase(String label, List<T> samples, ToDoubleFunction<T> metric) {
		List<Double> values = values(samples, metric);
		out.printf(Locale.ROOT, "%-46s %8.0f %8.0f%n", label, BenchSettings.median(values),
				BenchSettings.nearestRank(values, 90));
	}

	private static <T> List<Double> values(List<T> samples, ToDoubleFunction<T> metric) {
		return samples.stream().map(metric::applyAsDouble).toList();
	}

	private static double ms(long from, long to) {
		return (to - from) / 1e6;
	}

	private static long nanos(Instant instant) {
		return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
	}

	// ---------------------------------------------------------------- housekeeping

	/**
	 * Stops the daemon, then deletes the sandbox (its snapshots with it), the fake API
	 * and the work directory; once.
	 */
	private void cleanUp() {
		if (!this.cleanedUp.compareAndSet(false, true)) {
			return;
		}
		if (this.daemon != null && this.daemon.isAlive()) {
			this.daemon.destroy();
			try {
				if (!this.daemon.waitFor(60, TimeUnit.SECONDS)) {
					this.daemon.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		if (this.sandbox != null) {
			for (String snapshot : this.rawSnapshots) {
				Lxc.deleteSnapshot(this.sandbox.name(), snapshot);
			}
			progress("deleting sandbox " + this.sandbox.name());
			this.sandbox.close();
			if (Lxc.run("info", this.sandbox.name()).exitCode() == 0) {
				System.err.println("benchmark: WARNING: sandbox " + this.sandbox.name()
						+ " is still there; delete it with " + "'lxc delete --force " + this.sandbox.name() + "'");
			}
		}
		if (this.api != null) {
			this.api.close();
		}
		if (System.getenv("DILXC_BENCH_KEEP") != null) {
			progress("kept " + this.work + " (the daemon's log and database)");
			return;
		}
		try (Stream<Path> files = Files.walk(this.work)) {
			files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException | UncheckedIOException ex) {
			System.err.println("benchmark: could not remove " + this.work + ": " + ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			return "(cannot read " + file + ": " + ex + ")";
		}
	}

	private static void progress(String message) {
		System.err.println("benchmark: " + message);
	}

}
