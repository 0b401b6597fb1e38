package dev.dilxc.daemon.sandboxes;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.springframework.stereotype.Service;

import dev.dilxc.daemon.lxd.ExecRequest;
import dev.dilxc.daemon.lxd.ExecResult;
import dev.dilxc.daemon.lxd.ExecSession;
import dev.dilxc.daemon.lxd.Instance;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.lxd.Lxd;

/**
 * Runs, finds and stops Claude Code inside a sandbox. Every process of a job's agent carries
 * {@code DILXC_JOB_ID=<id>} in its environment, which its children inherit even when they detach
 * ({@code setsid}, {@code nohup}, double fork): that tag is how a cancel, a timeout or a restarted
 * daemon finds the whole tree, because ending the local {@code lxc exec} client does not end it.
 */
@Service
public class AgentSandbox {

	/**
	 * Loads the agent's env file and starts Claude Code. Arguments: $1 job id, $2 env file, $3 claude
	 * binary, $4 prompt. The script is a constant; data only ever arrives as positional parameters, so
	 * nothing in a prompt is evaluated. Each env line is exported literally (no expansion), with one pair
	 * of surrounding quotes removed.
	 */
	static final String AGENT_SCRIPT = """
			set -eu
			job="$1"; envfile="$2"; claude="$3"; prompt="$4"
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
			exec "$claude" -p --dangerously-skip-permissions --output-format stream-json --verbose -- "$prompt" </dev/null
			""";

	/**
	 * Ends every process tagged with the job id: SIGTERM, a grace period, SIGKILL. Arguments: $1 job id,
	 * $2 grace in tenths of a second. Prints the pids found.
	 */
	static final String KILL_SCRIPT = """
			job="$1"; grace="$2"
			tagged() {
			  for d in /proc/[0-9]*; do
			    if tr '\\000' '\\n' < "$d/environ" 2>/dev/null | grep -qx "DILXC_JOB_ID=$job"; then echo "${d#/proc/}"; fi
			  done
			}
			pids=$(tagged)
			echo $pids
			[ -z "$pids" ] && exit 0
			kill -TERM $pids 2>/dev/null || true
			i=0
			while [ "$i" -lt "$grace" ]; do
			  [ -z "$(tagged)" ] && exit 0
			  sleep 0.1; i=$((i + 1))
			done
			left=$(tagged)
			[ -n "$left" ] && kill -KILL $left 2>/dev/null
			sleep 0.2
			left=$(tagged)
			if [ -n "$left" ]; then echo "dilxc: processes $left survived SIGKILL" >&2; exit 1; fi
			exit 0
			""";

	private static final Pattern SECRET_NAME = Pattern.compile(".*(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH).*");

	private static final Duration QUICK = Duration.ofSeconds(30);

	private final Lxd lxd;

	private final SandboxesProperties properties;

	AgentSandbox(Lxd lxd, SandboxesProperties properties) {
		this.lxd = lxd;
		this.properties = properties;
	}

	/** Checks that the sandbox exists and runs; otherwise says what is wrong and how to fix it. */
	public Instance requireRunning(InstanceName name) {
		Instance instance = this.lxd.findInstance(name)
			.orElseThrow(() -> new SandboxNotReadyException("sandbox '" + name + "' does not exist in LXD: create it "
					+ "(see README, 'lxc list' shows what exists) or submit with --sandbox NAME"));
		if (!instance.isRunning()) {
			throw new SandboxNotReadyException("sandbox '" + name + "' is " + instance.status().name().toLowerCase(Locale.ROOT)
					+ ", not running: start it with 'lxc start " + name + "'");
		}
		return instance;
	}

	/**
	 * The secret values in the sandbox's agent env file, so that output can be masked. They are held in
	 * memory for one job only and never logged.
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

	/** Starts Claude Code for a job as the sandbox user in the working copy, streaming its output. */
	public ExecSession startAgent(InstanceName name, long jobId, String prompt, Consumer<String> stdoutLines,
			Consumer<String> stderrLines, int maxLineBytes) {
		// setpriv, not lxc exec --user/--group: those drop the docker group, and agents use Docker.
		List<String> argv = new java.util.ArrayList<>(SandboxShell.dropToUser(this.properties));
		argv.addAll(List.of("sh", "-c", AGENT_SCRIPT, "dilxc-agent", Long.toString(jobId), this.properties.agentEnvFile(),
				this.properties.claudeExecutable(), prompt));
		ExecRequest request = new ExecRequest(argv, null, null, this.properties.projectDirectory(),
				Map.of("HOME", this.properties.home(), "USER", "ubuntu", "LOGNAME", "ubuntu", "DILXC_JOB_ID",
						Long.toString(jobId)),
				QUICK);
		return this.lxd.startExec(name, request, stdoutLines, stderrLines, maxLineBytes);
	}

	/** Ends every process of the job's agent inside the sandbox; returns the pids that were found. */
	public List<Integer> killAgent(InstanceName name, long jobId) {
		String tenths = Long.toString(this.properties.killGrace().toMillis() / 100);
		Duration timeout = QUICK.plus(this.properties.killGrace());
		ExecResult result = this.lxd.exec(name,
				ExecRequest.asRoot(timeout, "sh", "-c", KILL_SCRIPT, "dilxc-kill", Long.toString(jobId), tenths));
		if (result.exitCode() != 0) {
			throw new IllegalStateException("could not end the agent of job " + jobId + " in sandbox '" + name + "': "
					+ result.stderr().strip());
		}
		return pids(result);
	}

	private static List<Integer> pids(ExecResult result) {
		String first = result.stdout().lines().findFirst().orElse("").strip();
		return first.isEmpty() ? List.of() : Arrays.stream(first.split("\\s+")).map(Integer::valueOf).toList();
	}

	private static String unquote(String value) {
		if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
				|| value.startsWith("'") && value.endsWith("'"))) {
			return value.substring(1, value.length() - 1);
		}
		return value;
	}
}
