package dev.dilxc.daemon.sandboxes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.dilxc.daemon.lxd.ExecRequest;
import dev.dilxc.daemon.lxd.ExecResult;
import dev.dilxc.daemon.lxd.ExecSession;
import dev.dilxc.daemon.lxd.Instance;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.lxd.InstanceStatus;
import dev.dilxc.daemon.lxd.Lxd;
import dev.dilxc.daemon.lxd.LxdException;

/**
 * Runs, finds and stops Claude Code inside a sandbox. Where the sandbox runs systemd, the
 * agent starts in its own transient scope {@code dilxc-job-<id>.scope}: a cgroup that
 * holds every process it starts, whatever they do ({@code setsid}, {@code nohup}, double
 * fork, {@code env -i}), which only root can leave. Every process also carries
 * {@code DILXC_JOB_ID=<id>} in its environment: where systemd does not run that tag is
 * all there is (a process that clears its environment escapes it), and it finds agents a
 * daemon started before scopes existed. A cancel, a timeout or a restarted daemon ends
 * the job's processes from inside the sandbox, because ending the local {@code lxc exec}
 * client does not.
 */
@Service
public class AgentSandbox {

	private static final Logger logger = LoggerFactory.getLogger(AgentSandbox.class);

	/**
	 * Loads the agent's env file and starts Claude Code. Arguments: $1 job id, $2 env
	 * file, $3 claude binary, $4 prompt, then the CLI options the job adds
	 * ({@code --max-turns N}...). The script is a constant; data only ever arrives as
	 * positional parameters, so nothing in a prompt is evaluated. Each env line is
	 * exported literally (no expansion), with one pair of surrounding quotes removed.
	 */
	static final String AGENT_SCRIPT = """
			set -eu
			job="$1"; envfile="$2"; claude="$3"; prompt="$4"; shift 4
			if [ -f "$envfile" ]; then
			  n=0
			  while IFS= read -r line || [ -n "$line" ]; do
			    n=$((n + 1))
			    case "$line" in ''|'#'*) continue ;; esac
			    key="${line%%=*}"; value="${line#*=}"
			    case "$key" in
			      ''|*[!A-Za-z0-9_]*|[0-9]*) echo "dilxc: $envfile line $n is not KEY=VALUE; fix or remove it" >&2; exit 78 ;;
			    esac
			    case "$value" in
			      \\"*\\") value="${value#\\"}"; value="${value%\\"}" ;;
			      \\'*\\') value="${value#\\'}"; value="${value%\\'}" ;;
			    esac
			    export "$key=$value"
			  done < "$envfile"
			fi
			export DILXC_JOB_ID="$job"
			exec "$claude" -p --dangerously-skip-permissions --output-format stream-json --verbose "$@" -- "$prompt" </dev/null
			""";

	/**
	 * Ends every process of a job: those in its scope (when systemd runs) and those
	 * tagged with its id, SIGTERM, a grace period, SIGKILL; then checks that none is left
	 * and the scope is gone. Arguments: $1 job id, $2 grace in tenths of a second. Prints
	 * the pids found on the first line and on the second whether systemd runs in the
	 * sandbox ({@code scope} or {@code environ}).
	 */
	static final String KILL_SCRIPT = """
			job="$1"; grace="$2"; unit="dilxc-job-$job.scope"
			if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 && command -v systemd-run >/dev/null 2>&1; then
			  mode=scope
			else
			  mode=environ
			fi
			found() {
			  {
			    [ "$mode" = scope ] && grep -lsE "/dilxc-job-$job[.]scope(/|\\$)" /proc/[0-9]*/cgroup | cut -d/ -f3
			    grep -lsxzF "DILXC_JOB_ID=$job" /proc/[0-9]*/environ | cut -d/ -f3
			  } | sort -nu
			}
			signal() {
			  [ "$mode" = scope ] && systemctl kill --kill-who=all --signal="$1" "$unit" >/dev/null 2>&1
			  kill -"$1" $2 2>/dev/null
			  return 0
			}
			pids=$(found)
			echo $pids
			echo "$mode"
			if [ -n "$pids" ]; then
			  signal TERM "$pids"
			  i=0
			  while [ "$i" -lt "$grace" ] && [ -n "$(found)" ]; do
			    sleep 0.1; i=$((i + 1))
			  done
			  left=$(found)
			  if [ -n "$left" ]; then
			    signal KILL "$left"
			    sleep 0.2
			    left=$(found)
			    if [ -n "$left" ]; then echo "dilxc: processes $(echo $left) survived SIGKILL" >&2; exit 1; fi
			  fi
			fi
			if [ "$mode" = scope ] && systemctl is-active --quiet "$unit"; then
			  # Empty but not yet collected: stop it, so that nothing of the job is left and its name is free.
			  systemctl stop "$unit" >/dev/null 2>&1
			  if systemctl is-active --quiet "$unit"; then echo "dilxc: $unit is still active" >&2; exit 1; fi
			fi
			exit 0
			""";

	/**
	 * Runs the rest of its argv in the job's scope where systemd runs and the scope is
	 * free, else as it is (the job's tag in the environment still marks it); then, in the
	 * same exec, looks whether any process of the job is left (in the scope, or tagged:
	 * the wrapper itself is not) and says so on stderr's last line, {@code TOKEN left} or
	 * {@code TOKEN none}, so that the sweep only costs a second exec when there is
	 * something to end (or when that line is missing: the wrapper did not get that far).
	 * Exits with the command's code. Arguments: $1 job id, $2 token, $3 description, then
	 * the argv.
	 */
	static final String IN_JOB_SCOPE = """
			job="$1"; token="$2"; description="$3"; shift 3; unit="dilxc-job-$job"
			if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null 2>&1 && ! systemctl is-active --quiet "$unit.scope"; then
			  systemd-run --scope --quiet --collect --unit="$unit" --description="$description" --property=KillMode=control-group -- "$@"
			else
			  "$@"
			fi
			rc=$?
			left=$({ grep -lsE "/$unit[.]scope(/|\\$)" /proc/[0-9]*/cgroup; grep -lsxzF "DILXC_JOB_ID=$job" /proc/[0-9]*/environ; } | head -n 1)
			if [ -n "$left" ]; then echo "$token left" >&2; else echo "$token none" >&2; fi
			exit "$rc"
			""";

	/**
	 * The whole environment of a command {@link #runForJob} runs: nothing of
	 * {@code /etc/dilxc/env.sh} or agent.env (the agent's to write), and a PATH without
	 * the user's own {@code ~/.local/bin}.
	 */
	public static final String CLEAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

	private static final Pattern SECRET_NAME = Pattern
		.compile(".*(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH).*");

	private static final Duration QUICK = Duration.ofSeconds(30);

	private final Lxd lxd;

	private final SandboxesProperties properties;

	AgentSandbox(Lxd lxd, SandboxesProperties properties) {
		this.lxd = lxd;
		this.properties = properties;
	}

	/** {@code LXD} or {@code Incus}: the back end the sandboxes run on, for messages. */
	public String backendName() {
		return this.lxd.backendName();
	}

	/**
	 * Whether LXD answers for the sandbox now (it exists and its member reports it), for
	 * a job waiting for the sandbox's cluster member to come back.
	 */
	public boolean answers(InstanceName name) {
		try {
			return this.lxd.findInstance(name)
				.map((instance) -> instance.status() != InstanceStatus.ERROR)
				.orElse(false);
		}
		catch (LxdException ex) {
			return false;
		}
	}

	/**
	 * Checks that the sandbox exists and runs; otherwise says what is wrong and how to
	 * fix it.
	 */
	public Instance requireRunning(InstanceName name) {
		Instance instance = this.lxd.findInstance(name)
			.orElseThrow(() -> new SandboxNotReadyException(
					"sandbox '" + name + "' does not exist in " + this.lxd.backendName() + ": create it "
							+ "with 'dilxc-client init -p /path/to/project -n " + name + "' (see docs/sandboxes.md; '"
							+ this.lxd.clientCommand() + " list' shows what exists) or submit with --sandbox NAME"));
		if (!instance.isRunning()) {
			throw new SandboxNotReadyException(
					"sandbox '" + name + "' is " + instance.status().name().toLowerCase(Locale.ROOT)
							+ ", not running: start it with '" + this.lxd.clientCommand() + " start " + name + "'");
		}
		return instance;
	}

	/**
	 * The secret values in the sandbox's agent env file, so that output can be masked.
	 * They are held in memory for one job only and never logged.
	 */
	public Set<String> secretValues(InstanceName name) {
		ExecResult result = this.lxd.exec(name, ExecRequest.asRoot(QUICK, "cat", this.properties.agentEnvFile()));
		Set<String> secrets = new HashSet<>();
		if (result.exitCode() != 0) {
			return secrets;
		}
		for (String line : result.stdout().split("\n")) {
			int eq = line.indexOf('=');
			if (eq <= 0 || line.startsWith("#")) {
				continue;
			}
			String key = line.substring(0, eq).trim().toUpperCase(Locale.ROOT);
			String value = unquote(line.substring(eq + 1).strip());
			if (SECRET_NAME.matcher(key).matches() && value.length() >= 6) {
				secrets.add(value);
			}
		}
		return secrets;
	}

	/**
	 * Starts Claude Code for a job as the sandbox user in the working copy, streaming its
	 * output. Where systemd runs in the sandbox it runs in the job's own scope
	 * ({@code systemd-run --scope} execs it in place, so output and exit code are the
	 * agent's own); processes a job with this id left behind (an earlier database, a
	 * failed recovery) are ended first, so the scope's name is free.
	 */
	public AgentSession startAgent(InstanceName name, long jobId, String prompt, Consumer<String> stdoutLines,
			Consumer<String> stderrLines, int maxLineBytes) {
		return startAgent(name, jobId, prompt, List.of(), stdoutLines, stderrLines, maxLineBytes);
	}

	/**
	 * As {@link #startAgent(InstanceName, long, String, Consumer, Consumer, int)}, with
	 * CLI options placed before the {@code --} that ends them (e.g.
	 * {@code --max-turns 5}, {@code --resume SESSION}); each must start with {@code --}
	 * or follow one, never the prompt.
	 */
	public AgentSession startAgent(InstanceName name, long jobId, String prompt, List<String> cliOptions,
			Consumer<String> stdoutLines, Consumer<String> stderrLines, int maxLineBytes) {
		Sweep before = sweep(name, jobId);
		if (!before.ok()) {
			logger.warn("Could not end leftovers of an earlier job {} in sandbox {} before starting: {}", jobId, name,
					before.error());
		}
		else if (!before.pids().isEmpty()) {
			logger.warn("Ended {} process(es) an earlier job {} left in sandbox {} before starting: {}",
					before.pids().size(), jobId, name, before.pids());
		}
		if (!before.scoped()) {
			logger.warn(
					"Sandbox {} does not run systemd: job {}'s processes are found only by DILXC_JOB_ID in their "
							+ "environment, so one that clears its environment (env -i) can outlive the job",
					name, jobId);
		}
		// Root makes the scope (the sweep above freed its name; the description keeps the
		// prompt out of the
		// sandbox's journal), and the same exec says afterwards whether the agent left
		// anything running. The
		// wrapper is not tagged (the agent script exports DILXC_JOB_ID), so it does not
		// count as left.
		String token = leftoverToken();
		List<String> argv = new ArrayList<>(
				List.of("sh", "-c", IN_JOB_SCOPE, "dilxc-scope", Long.toString(jobId), token, "dilxc job " + jobId));
		// setpriv, not lxc exec --user/--group: those drop the docker group, and agents
		// use Docker.
		argv.addAll(SandboxShell.dropToUser(this.properties));
		argv.addAll(List.of("sh", "-c", AGENT_SCRIPT, "dilxc-agent", Long.toString(jobId),
				this.properties.agentEnvFile(), this.properties.claudeExecutable(), prompt));
		argv.addAll(cliOptions);
		ExecRequest request = new ExecRequest(argv, null, null, this.properties.projectDirectory(),
				Map.of("HOME", this.properties.home(), "USER", "ubuntu", "LOGNAME", "ubuntu"), QUICK);
		AtomicReference<String> verdict = new AtomicReference<>();
		Consumer<String> stderr = (line) -> {
			if (line.startsWith(token + " ")) {
				verdict.set(line.substring(token.length() + 1));
			}
			else {
				stderrLines.accept(line);
			}
		};
		ExecSession session = this.lxd.startExec(name, request, stdoutLines, stderr, maxLineBytes);
		return new AgentSession(session, verdict);
	}

	/**
	 * A running agent: its {@code lxc exec} session, and once it has ended whether
	 * processes of the job may be left in the sandbox (the wrapper saw some, or did not
	 * get to look), so the caller sweeps only then.
	 */
	public static final class AgentSession implements ExecSession {

		private final ExecSession session;

		/**
		 * The wrapper's last stderr line after its token: left or none; null until it
		 * says.
		 */
		private final AtomicReference<String> verdict;

		AgentSession(ExecSession session, AtomicReference<String> verdict) {
			this.session = session;
			this.verdict = verdict;
		}

		@Override
		public OptionalInt waitFor(Duration timeout) throws InterruptedException {
			return this.session.waitFor(timeout);
		}

		@Override
		public void detach() {
			this.session.detach();
		}

		/**
		 * After the session ended: false only when the wrapper looked and found nothing
		 * of the job running.
		 */
		public boolean mayHaveLeftProcesses() {
			return !"none".equals(this.verdict.get());
		}

	}

	private static String leftoverToken() {
		return "dilxc-leftovers-" + UUID.randomUUID();
	}

	/**
	 * Ends every process of the job's agent inside the sandbox (its scope, and anything
	 * tagged with its id), also when the {@code lxc exec} client that started it is long
	 * gone; returns the pids found.
	 */
	public List<Integer> killAgent(InstanceName name, long jobId) {
		Sweep sweep = sweep(name, jobId);
		if (!sweep.ok()) {
			throw new IllegalStateException(
					"could not end the agent of job " + jobId + " in sandbox '" + name + "': " + sweep.error());
		}
		if (!sweep.scoped()) {
			logger.info("Sandbox {} does not run systemd: ended job {}'s processes found by DILXC_JOB_ID only: {}",
					name, jobId, sweep.pids());
		}
		return sweep.pids();
	}

	/**
	 * The LXD daemon's process id, asked with a short timeout: a job compares it before
	 * and after its agent to tell "LXD restarted under the agent" from "the agent
	 * failed". {@code LxdException} when LXD does not answer.
	 */
	public long lxdServerPid() {
		return this.lxd.server(Duration.ofSeconds(10)).serverPid();
	}

	/**
	 * Runs a command of the daemon's own for a job, before or after its agent (the change
	 * capture in the agent's repository), so that nothing it starts outlives it: as the
	 * sandbox user in the working copy, in the job's scope where systemd runs and with
	 * the job's tag, in a clean environment ({@code env -i}: neither
	 * {@code /etc/dilxc/env.sh} nor agent.env, which is the agent's to write, is loaded;
	 * PATH is {@link #CLEAN_PATH}). When it leaves a process behind (or does not finish
	 * in time), every process of the job is ended as {@link #killAgent} does; their pids
	 * come back with the result, and a failed sweep in {@link Contained#sweepError()}.
	 * The command is an argv, never evaluated.
	 */
	public Contained runForJob(InstanceName name, long jobId, Duration timeout, List<String> command) {
		String id = Long.toString(jobId);
		String token = leftoverToken();
		List<String> argv = new ArrayList<>(
				List.of("sh", "-c", IN_JOB_SCOPE, "dilxc-scope", id, token, "dilxc job " + id + " (daemon)"));
		argv.addAll(SandboxShell.dropToUser(this.properties));
		argv.addAll(List.of("env", "-i"));
		Map<String, String> environment = new java.util.LinkedHashMap<>(SandboxShell.userEnvironment(this.properties));
		environment.put("PATH", CLEAN_PATH);
		environment.put("LANG", "C.UTF-8");
		environment.put("DILXC_JOB_ID", id);
		environment.forEach((key, value) -> argv.add(key + "=" + value));
		argv.addAll(command);
		ExecResult result;
		try {
			result = this.lxd.exec(name, new ExecRequest(argv, null, null, this.properties.projectDirectory(),
					SandboxShell.userEnvironment(this.properties), timeout));
		}
		catch (RuntimeException ex) {
			// A timed-out command goes on inside the sandbox: end it before saying so.
			try {
				Sweep sweep = sweep(name, jobId);
				if (!sweep.ok()) {
					ex.addSuppressed(
							new IllegalStateException("and its processes could not be ended: " + sweep.error()));
				}
			}
			catch (RuntimeException sweepFailure) {
				ex.addSuppressed(sweepFailure);
			}
			throw ex;
		}
		String stderr = result.stderr();
		int at = stderr.lastIndexOf(token + " ");
		int end = (at < 0) ? -1 : stderr.indexOf('\n', at);
		String verdict = (at < 0) ? null : stderr.substring(at + token.length() + 1, (end < 0) ? stderr.length() : end);
		ExecResult own = (at < 0) ? result : new ExecResult(result.exitCode(), result.stdout(),
				stderr.substring(0, at) + ((end < 0) ? "" : stderr.substring(end + 1)));
		if ("none".equals(verdict)) {
			return new Contained(own, List.of(), null);
		}
		// Something is left, or the wrapper did not get to look: sweep.
		try {
			Sweep sweep = sweep(name, jobId);
			return new Contained(own, sweep.pids(), sweep.ok() ? null : sweep.error());
		}
		catch (RuntimeException ex) {
			return new Contained(own, List.of(), ex.getMessage());
		}
	}

	/**
	 * What {@link #runForJob} ran: the command's result, the processes it left running
	 * that were ended after it, and why they could not all be ended (null when they were,
	 * or when there were none).
	 */
	public record Contained(ExecResult result, List<Integer> leftovers, @Nullable String sweepError) {
	}

	private Sweep sweep(InstanceName name, long jobId) {
		String tenths = Long.toString(this.properties.killGrace().toMillis() / 100);
		Duration timeout = QUICK.plus(this.properties.killGrace());
		ExecResult result = this.lxd.exec(name,
				ExecRequest.asRoot(timeout, "sh", "-c", KILL_SCRIPT, "dilxc-kill", Long.toString(jobId), tenths));
		List<String> lines = result.stdout().lines().toList();
		String first = lines.isEmpty() ? "" : lines.get(0).strip();
		List<Integer> pids = first.isEmpty() ? List.of()
				: Arrays.stream(first.split("\\s+")).map(Integer::valueOf).toList();
		boolean scoped = lines.size() > 1 && lines.get(1).strip().equals("scope");
		return new Sweep(pids, scoped, result.exitCode() == 0, result.stderr().strip());
	}

	/** What one run of {@link #KILL_SCRIPT} found and whether it ended everything. */
	private record Sweep(List<Integer> pids, boolean scoped, boolean ok, @Nullable String error) {
	}

	private static String unquote(String value) {
		if (value.length() >= 2
				&& (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
			return value.substring(1, value.length() - 1);
		}
		return value;
	}

}
