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
	 * Runs the daemon's own command before the agent, if any, then loads the agent's env
	 * file and runs Claude Code, then the daemon's command after it, if any. Arguments:
	 * $1 job id, $2 env file, $3 claude binary, $4 prompt, $5 a token; then three lists,
	 * each ended by the token: the command before (none when empty), the CLI options the
	 * job adds ({@code --max-turns N}...), the command after. The daemon's commands run
	 * in a clean environment as {@link #runForJob} gives one, their stdin empty. The one
	 * before reports on one stdout line ahead of the agent's first,
	 * {@code TOKEN before EXIT LINE} (its first stdout line, or its last stderr line when
	 * it failed); the agent's end comes as {@code TOKEN agent EXIT}; the one after runs
	 * only when the one before gave a line, which it gets as its last argument, and its
	 * stdout comes base64 after {@code TOKEN data}, then {@code TOKEN after EXIT LINE}
	 * (its last stderr line). Exits with the agent's code. The script is a constant; data
	 * only ever arrives as positional parameters, so nothing in a prompt is evaluated.
	 * Each env line is exported literally (no expansion), with one pair of surrounding
	 * quotes removed.
	 */
	static final String AGENT_SCRIPT = """
			set -eu
			job="$1"; envfile="$2"; claude="$3"; prompt="$4"; token="$5"; shift 5
			# How many arguments come before the next token.
			upto() { k=0; for arg do if [ "$arg" = "$token" ]; then break; fi; k=$((k + 1)); done; echo "$k"; }
			# Runs the first $1 of the other arguments: a command of the daemon's, in a clean environment.
			clean() {
			  k=$1; shift; i=0
			  for arg do if [ "$i" -lt "$k" ]; then set -- "$@" "$arg"; fi; i=$((i + 1)); done
			  shift "$i"
			  env -i HOME="$HOME" USER="$USER" LOGNAME="$LOGNAME" PATH="%s" LANG=C.UTF-8 DILXC_JOB_ID="$job" "$@" </dev/null
			}
			err=$(mktemp) || err=/dev/null
			base=""
			k=$(upto "$@")
			if [ "$k" -gt 0 ]; then
			  if out=$(clean "$k" "$@" 2>"$err"); then
			    rc=0; line=$(printf '%%s\\n' "$out" | head -n 1); base=$line
			  else
			    rc=$?; line=$(tail -n 1 "$err" 2>/dev/null || true)
			  fi
			  printf '%%s before %%s %%s\\n' "$token" "$rc" "$line"
			fi
			shift "$((k + 1))"
			options=$(upto "$@")
			if [ -f "$envfile" ]; then
			  n=0
			  while IFS= read -r line || [ -n "$line" ]; do
			    n=$((n + 1))
			    case "$line" in ''|'#'*) continue ;; esac
			    key="${line%%%%=*}"; value="${line#*=}"
			    case "$key" in
			      ''|*[!A-Za-z0-9_]*|[0-9]*) echo "dilxc: $envfile line $n is not KEY=VALUE; fix or remove it" >&2; exit 78 ;;
			    esac
			    case "$value" in
			      \\"*\\") value="${value#\\"}"; value="${value%%\\"}" ;;
			      \\'*\\') value="${value#\\'}"; value="${value%%\\'}" ;;
			    esac
			    export "$key=$value"
			  done < "$envfile"
			fi
			export DILXC_JOB_ID="$job"
			agent() {
			  (i=0; for arg do if [ "$i" -lt "$options" ]; then set -- "$@" "$arg"; fi; i=$((i + 1)); done; shift "$i"
			    exec "$claude" -p --dangerously-skip-permissions --output-format stream-json --verbose "$@" -- "$prompt" </dev/null)
			}
			rc=""
			if [ "$(($# - options - 1))" -gt 0 ] && [ "$err" != /dev/null ]; then
			  # The CLI makes its stdout non-blocking, which a later large write to the same pipe would fail on:
			  # it gets a pipe of its own, copied by cat.
			  { if agent "$@"; then code=0; else code=$?; fi; echo "$code" > "$err.rc"; } | cat || true
			  rc=$(cat "$err.rc" 2>/dev/null) || rc=""
			  rm -f "$err.rc"
			elif agent "$@"; then
			  rc=0
			else
			  rc=$?
			fi
			[ -n "$rc" ] || rc=1
			shift "$((options + 1))"
			if [ "$#" -gt 0 ]; then
			  printf '%%s agent %%s\\n' "$token" "$rc"
			  if [ -n "$base" ]; then
			    out=$(mktemp) || out=""
			    if [ -n "$out" ]; then
			      if clean "$(($# + 1))" "$@" "$base" >"$out" 2>"$err"; then arc=0; else arc=$?; fi
			      printf '%%s data\\n' "$token"
			      base64 -w 8192 "$out" || true
			      rm -f "$out"
			      printf '%%s after %%s %%s\\n' "$token" "$arc" "$(tail -n 1 "$err" 2>/dev/null || true)"
			    fi
			  fi
			fi
			if [ "$err" != /dev/null ]; then rm -f "$err"; fi
			exit "$rc"
			"""
		.formatted(AgentSandbox.CLEAN_PATH);

	/**
	 * Root's part before the agent, in the agent's own exec, so that neither costs an
	 * {@code lxc exec} of its own: ends what an earlier job with this id left (an earlier
	 * database, a failed recovery: {@link #KILL_SCRIPT}), which also frees the scope's
	 * name, and says so on stdout, {@code TOKEN sweep EXIT PIDS... MODE} (and
	 * {@code TOKEN sweep-error LINE} when it failed); then hands the agent env file's
	 * content, base64, to the daemon on both streams, {@code TOKEN env BASE64}, before
	 * any line of the agent's on either, so that each stream is masked from its first
	 * line; then execs {@link #IN_JOB_SCOPE} with the rest. Arguments: $1 job id, $2
	 * token, $3 env file, $4 kill grace in tenths of a second, $5 {@link #KILL_SCRIPT},
	 * $6 {@link #IN_JOB_SCOPE}, $7 the scope's description, then the argv to run in it.
	 */
	static final String AGENT_PRELUDE = """
			job="$1"; token="$2"; envfile="$3"; grace="$4"; sweep="$5"; scope="$6"; description="$7"; shift 7
			err=$(mktemp 2>/dev/null) || err=/dev/null
			found=$(sh -c "$sweep" dilxc-kill "$job" "$grace" 2>"$err"); rc=$?
			echo "$token sweep $rc" $found
			if [ "$rc" -ne 0 ]; then echo "$token sweep-error $(tail -n 1 "$err" 2>/dev/null)"; fi
			if [ "$err" != /dev/null ]; then rm -f "$err"; fi
			content=""
			if [ -f "$envfile" ]; then content=$(base64 -w 0 < "$envfile" 2>/dev/null) || content=""; fi
			echo "$token env $content"
			echo "$token env $content" >&2
			exec sh -c "$scope" dilxc-scope "$job" "$token" "$description" "$@"
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
		return (result.exitCode() != 0) ? new HashSet<>() : secretsIn(result.stdout());
	}

	/**
	 * The values of an env file's KEY=VALUE lines whose key names a secret (a key, token,
	 * password...), six characters or longer.
	 */
	static Set<String> secretsIn(String envFile) {
		Set<String> secrets = new HashSet<>();
		for (String line : envFile.split("\n")) {
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
		return startAgent(name, jobId, prompt, List.of(), List.of(), List.of(), new AgentOutput() {

			@Override
			public void stdout(String line) {
				stdoutLines.accept(line);
			}

			@Override
			public void stderr(String line) {
				stderrLines.accept(line);
			}

		}, maxLineBytes);
	}

	/**
	 * What an agent's exec reports, line by line as it comes, on the pump threads of its
	 * two streams.
	 */
	public interface AgentOutput {

		/** A line the agent printed on stdout. */
		void stdout(String line);

		/** A line the agent printed on stderr. */
		void stderr(String line);

		/**
		 * The secret values of the sandbox's agent env file, read by root as the exec
		 * started: given before any line of the agent's on the same stream (once per
		 * stream), so that every line can be masked.
		 */
		default void secrets(Set<String> values) {
		}

		/**
		 * The result of the daemon's command run before the agent: its exit code, and its
		 * first stdout line (its last stderr line when it failed).
		 */
		default void before(int exitCode, String line) {
		}

		/**
		 * The agent has exited with this code; the daemon's command after it runs now,
		 * when there is one.
		 */
		default void agentExited(int exitCode) {
		}

		/**
		 * The result of the daemon's command run after the agent: its exit code, its
		 * stdout, and its last stderr line. Not called when its output did not arrive
		 * whole.
		 */
		default void after(int exitCode, byte[] stdout, String lastErrorLine) {
		}

	}

	/**
	 * Starts Claude Code for a job as the sandbox user in the working copy, streaming its
	 * output, in one {@code lxc exec} with what it needs first: root ends processes a job
	 * with this id left behind (an earlier database, a failed recovery), so the scope's
	 * name is free, and reads the agent env file for masking ({@link #AGENT_PRELUDE});
	 * where systemd runs in the sandbox, everything after that runs in the job's own
	 * scope ({@code systemd-run --scope} execs it in place, so output and exit code are
	 * the agent's own): {@code before} (an argv of the daemon's, none when empty) in a
	 * clean environment as {@link #runForJob} runs one, then the agent with
	 * {@code cliOptions} placed before the {@code --} that ends them (e.g.
	 * {@code --max-turns 5}, {@code --resume SESSION}; each must start with {@code --} or
	 * follow one, never the prompt), then {@code after} (given the base {@code before}
	 * printed). Afterwards the same exec says whether anything of the job is left
	 * running.
	 */
	public AgentSession startAgent(InstanceName name, long jobId, String prompt, List<String> cliOptions,
			List<String> before, List<String> after, AgentOutput output, int maxLineBytes) {
		// Root makes the scope (the prelude's sweep freed its name; the description keeps
		// the prompt out of the sandbox's journal), and the same exec says afterwards
		// whether the agent left anything running. The wrapper is not tagged (the agent
		// script exports DILXC_JOB_ID), so it does not count as left.
		String token = leftoverToken();
		String id = Long.toString(jobId);
		List<String> argv = new ArrayList<>(List.of("sh", "-c", AGENT_PRELUDE, "dilxc-prepare", id, token,
				this.properties.agentEnvFile(), Long.toString(this.properties.killGrace().toMillis() / 100),
				KILL_SCRIPT, IN_JOB_SCOPE, "dilxc job " + id));
		// setpriv, not lxc exec --user/--group: those drop the docker group, and agents
		// use Docker.
		argv.addAll(SandboxShell.dropToUser(this.properties));
		argv.addAll(List.of("sh", "-c", AGENT_SCRIPT, "dilxc-agent", id, this.properties.agentEnvFile(),
				this.properties.claudeExecutable(), prompt, token));
		argv.addAll(before);
		argv.add(token);
		argv.addAll(cliOptions);
		argv.add(token);
		argv.addAll(after);
		ExecRequest request = new ExecRequest(argv, null, null, this.properties.projectDirectory(),
				Map.of("HOME", this.properties.home(), "USER", "ubuntu", "LOGNAME", "ubuntu"), QUICK);
		AtomicReference<String> verdict = new AtomicReference<>();
		String ours = token + " ";
		Consumer<String> stdout = new WrapperLines(name, jobId, token, output);
		Consumer<String> stderr = (whole) -> unglue(whole, ours, (line) -> {
			if (!line.startsWith(ours)) {
				output.stderr(line);
			}
			else if (line.startsWith(ours + "env ")) {
				output.secrets(secretsIn(decode(line.substring(ours.length() + 4))));
			}
			else {
				verdict.set(line.substring(ours.length()));
			}
		});
		ExecSession session = this.lxd.startExec(name, request, stdout, stderr, maxLineBytes);
		return new AgentSession(session, verdict);
	}

	/**
	 * The agent's stdout, with what the wrapper says about itself (each line of it after
	 * the job's token) taken out: the sweep, the secrets, the daemon's commands before
	 * and after the agent and the agent's exit. Runs on the stream's pump thread.
	 */
	static final class WrapperLines implements Consumer<String> {

		private final InstanceName name;

		private final long jobId;

		private final String ours;

		private final AgentOutput output;

		/**
		 * The after command's stdout while it arrives, base64 line by line; else null.
		 */
		private java.io.@Nullable ByteArrayOutputStream data;

		private boolean dataBroken;

		WrapperLines(InstanceName name, long jobId, String token, AgentOutput output) {
			this.name = name;
			this.jobId = jobId;
			this.ours = token + " ";
			this.output = output;
		}

		@Override
		public void accept(String whole) {
			unglue(whole, this.ours, this::acceptLine);
		}

		private void acceptLine(String line) {
			if (!line.startsWith(this.ours)) {
				if (this.data == null) {
					this.output.stdout(line);
				}
				else {
					try {
						this.data.writeBytes(java.util.Base64.getDecoder().decode(line));
					}
					catch (IllegalArgumentException ex) {
						// Something else wrote to the exec's stdout meanwhile.
						this.dataBroken = true;
					}
				}
				return;
			}
			String said = line.substring(this.ours.length());
			String word = said.contains(" ") ? said.substring(0, said.indexOf(' ')) : said;
			String rest = said.substring(word.length()).stripLeading();
			switch (word) {
				case "env" -> this.output.secrets(secretsIn(decode(rest)));
				case "before" -> {
					String[] parts = rest.split(" ", 2);
					this.output.before(Integer.parseInt(parts[0]), (parts.length > 1) ? parts[1] : "");
				}
				case "agent" -> this.output.agentExited(Integer.parseInt(rest.strip()));
				case "data" -> {
					this.data = new java.io.ByteArrayOutputStream();
					this.dataBroken = false;
				}
				case "after" -> {
					String[] parts = rest.split(" ", 2);
					java.io.ByteArrayOutputStream stdout = this.data;
					this.data = null;
					if (stdout != null && !this.dataBroken) {
						this.output.after(Integer.parseInt(parts[0]), stdout.toByteArray(),
								(parts.length > 1) ? parts[1] : "");
					}
				}
				case "sweep" -> sweptBefore(this.name, this.jobId, rest);
				case "sweep-error" ->
					logger.warn("Could not end leftovers of an earlier job {} in sandbox {} before starting: {}",
							this.jobId, this.name, rest);
				default -> {
				}
			}
		}

	}

	/**
	 * A line of the exec's as the lines it holds: when the agent's last line had no
	 * newline, the wrapper's line (from {@code ours}, the token and a space) follows on
	 * it.
	 */
	private static void unglue(String line, String ours, Consumer<String> each) {
		int at = line.indexOf(ours);
		if (at > 0) {
			each.accept(line.substring(0, at));
			each.accept(line.substring(at));
		}
		else {
			each.accept(line);
		}
	}

	/** The prelude's sweep line: {@code EXIT PIDS... MODE}. */
	private static void sweptBefore(InstanceName name, long jobId, String report) {
		List<String> words = List.of(report.strip().split("\\s+"));
		if (words.size() < 2) {
			return;
		}
		boolean scoped = words.get(words.size() - 1).equals("scope");
		List<String> pids = words.subList(1, words.size() - 1);
		if (!pids.isEmpty() && words.get(0).equals("0")) {
			logger.warn("Ended {} process(es) an earlier job {} left in sandbox {} before starting: {}", pids.size(),
					jobId, name, pids);
		}
		if (!scoped) {
			logger.warn(
					"Sandbox {} does not run systemd: job {}'s processes are found only by DILXC_JOB_ID in their "
							+ "environment, so one that clears its environment (env -i) can outlive the job",
					name, jobId);
		}
	}

	private static String decode(String base64) {
		try {
			return new String(java.util.Base64.getDecoder().decode(base64.strip()),
					java.nio.charset.StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return "";
		}
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
