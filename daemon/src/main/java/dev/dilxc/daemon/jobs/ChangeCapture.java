package dev.dilxc.daemon.jobs;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.dilxc.api.JobChanges;
import dev.dilxc.api.JobState;
import dev.dilxc.daemon.lxd.ExecResult;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.sandboxes.AgentSandbox;
import dev.dilxc.daemon.sandboxes.WorkingCopy;

/**
 * What a job changed in the working copy. At start the base is recorded: the commit the
 * working copy is at (or, when it has uncommitted work, a commit of exactly that state,
 * made with a temporary index), else a marker file where it is no git repository; the
 * agent's exec records it first ({@link #baseCommand}). When the agent has stopped, and
 * before any restore, the status, the diff against the base (untracked files included,
 * through a temporary index: the user's own index is never written) and the changed paths
 * are captured. Everything runs as the sandbox user; scripts are constants and data
 * arrives as positional parameters. The repository is the agent's: every git call is
 * inert ({@link #INERT_GIT}), and each script runs contained, in the job's scope with a
 * clean environment, with whatever it left running ended after it
 * ({@link AgentSandbox#runForJob}).
 */
@Component
class ChangeCapture {

	/**
	 * Makes every later {@code git} of the script inert in a repository the agent
	 * controls: its config can name programs ({@code core.fsmonitor},
	 * {@code filter.*.clean}/{@code smudge}/{@code process} with a
	 * {@code .gitattributes}, {@code diff.external},
	 * {@code diff.*.command}/{@code textconv}, hooks, a pager, a promisor remote whose
	 * lazy fetch runs an {@code ext::} transport...) that would otherwise start here,
	 * after the job. No system or global config is read; config given through the
	 * environment (the strongest scope) switches off the fsmonitor, hooks, pager, editor,
	 * submodule recursion, signing, auto-gc and every transport (also per protocol), and
	 * empties the commands of every filter driver the repository's config (with its
	 * includes) defines, making none required. Diffs run with
	 * {@code --no-ext-diff --no-textconv}; lazy fetching is off. Keys are read and set as
	 * data, never evaluated. The caller runs the script in a clean environment
	 * ({@code env -i}), so nothing of the agent's (agent.env, {@code GIT_*},
	 * {@code ~/.local/bin} in PATH) reaches git.
	 */
	static final String INERT_GIT = """
			export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_PAGER=cat PAGER=cat GIT_EDITOR=: \\
			  GIT_TERMINAL_PROMPT=0 GIT_OPTIONAL_LOCKS=0 GIT_NO_LAZY_FETCH=1 GIT_ALLOW_PROTOCOL=none \\
			  GIT_NO_REPLACE_OBJECTS=1
			__n=0
			__inert() { export "GIT_CONFIG_KEY_$__n=$1" "GIT_CONFIG_VALUE_$__n=$2"; __n=$((__n + 1)); }
			__inert core.fsmonitor false
			__inert core.hooksPath /dev/null
			__inert core.pager cat
			__inert core.editor :
			__inert sequence.editor :
			__inert diff.submodule short
			__inert status.submoduleSummary false
			__inert submodule.recurse false
			__inert commit.gpgSign false
			__inert gc.auto 0
			__inert maintenance.auto false
			__inert protocol.allow never
			__keys=$(git config --name-only --list 2>/dev/null) || __keys=""
			set -f; __ifs=$IFS; IFS='
			'
			for __key in $__keys; do
			  case "$__key" in
			    filter.*.clean|filter.*.smudge|filter.*.process) __inert "$__key" "" ;;
			    filter.*.required) __inert "$__key" false ;;
			    protocol.*.allow) __inert "$__key" never ;;
			  esac
			done
			IFS=$__ifs; set +f
			export GIT_CONFIG_COUNT=$__n
			unset __keys __key __ifs __n
			""";

	/** $1 job id, $2 marker path. Prints the base: a commit, or {@code marker:PATH}. */
	static final String BASE_SCRIPT = INERT_GIT
			+ """
					set -u
					job="$1"; marker="$2"
					if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
					  head=$(git rev-parse -q --verify HEAD 2>/dev/null) || head=""
					  if [ -n "$head" ] && [ -z "$(git --no-optional-locks status --porcelain --untracked-files=all --ignore-submodules=dirty)" ]; then
					    echo "$head"; exit 0
					  fi
					  d=$(mktemp -d) || exit 3
					  trap 'rm -rf "$d"' EXIT
					  export GIT_INDEX_FILE="$d/index"
					  if [ -n "$head" ]; then git read-tree "$head" || exit 3; else git read-tree --empty || exit 3; fi
					  git add -A >/dev/null || exit 3
					  tree=$(git write-tree) || exit 3
					  export GIT_AUTHOR_NAME=dilxc GIT_AUTHOR_EMAIL=dilxc@localhost GIT_COMMITTER_NAME=dilxc GIT_COMMITTER_EMAIL=dilxc@localhost
					  if [ -n "$head" ]; then
					    c=$(git commit-tree "$tree" -p "$head" -m "dilxc: the working copy before job $job") || exit 3
					  else
					    c=$(git commit-tree "$tree" -m "dilxc: the working copy before job $job") || exit 3
					  fi
					  echo "$c"; exit 0
					fi
					# No git: the marker holds the file list at the start (for deletions); its time is the start (for edits).
					mkdir -p "$(dirname "$marker")" || exit 3
					find . \\( -name .git -o -name node_modules \\) -prune -o \\( -type f -o -type l \\) -print \\
					  | sed 's|^[.]/||' | LC_ALL=C sort > "$marker" || exit 3
					echo "marker:$marker"
					""";

	/**
	 * $1 diff cap in bytes, $2 a boundary no diff contains, $3 the session id (empty:
	 * none), $4 the transcript cap in bytes, $5 the base. Prints sections, each after a
	 * line "BOUNDARY NAME": first the session's transcript (its path, then {@code ok},
	 * its content and one newline more, or why not), in the same exec as the changes to
	 * save one; the diff comes last, cut one byte past the cap so a cut can be told.
	 */
	static final String CAPTURE_SCRIPT = INERT_GIT
			+ """
					set -u
					max="$1"; b="$2"; session="$3"; tmax="$4"; base="$5"
					if [ -n "$session" ]; then
					  echo "$b transcript"
					  f=$(find "$HOME/.claude/projects" -mindepth 2 -maxdepth 2 -type f -name "$session.jsonl" 2>/dev/null | head -n 1)
					  if [ -z "$f" ]; then
					    echo; echo missing
					  else
					    size=$(stat -c %s "$f")
					    echo "$f"
					    if [ "$size" -gt "$tmax" ]; then echo "too-large $size"; else echo ok; cat "$f"; echo; fi
					  fi
					fi
					case "$base" in
					  marker:*)
					    m="${base#marker:}"
					    [ -e "$m" ] || { echo "the start marker $m is gone" >&2; exit 4; }
					    echo "$b files"
					    now=$(mktemp) || exit 3
					    find . \\( -name .git -o -name node_modules \\) -prune -o \\( -type f -o -type l \\) -print \\
					      | sed 's|^[.]/||' | LC_ALL=C sort > "$now"
					    # Changed since the start (newer than the marker), and deleted since (in the start list only).
					    { find . \\( -name .git -o -name node_modules \\) -prune -o -newer "$m" \\( -type f -o -type l \\) -print \\
					        | sed 's|^[.]/||'; LC_ALL=C comm -23 "$m" "$now"; } | LC_ALL=C sort -u
					    rm -f "$now"
					    exit 0 ;;
					esac
					git cat-file -e "$base^{commit}" 2>/dev/null || { echo "the base commit $base is gone from the repository" >&2; exit 4; }
					echo "$b status"
					git --no-optional-locks -c core.quotepath=false status --porcelain --untracked-files=all --ignore-submodules=dirty
					d=$(mktemp -d) || exit 3
					trap 'rm -rf "$d"' EXIT
					export GIT_INDEX_FILE="$d/index"
					git read-tree "$base" || exit 3
					git add -A >/dev/null || exit 3
					echo "$b stat"
					git -c core.quotepath=false diff --cached --no-color --no-ext-diff --no-textconv --stat=200 "$base"
					echo "$b files"
					git -c core.quotepath=false diff --cached --no-color --no-ext-diff --no-textconv --name-only "$base"
					echo "$b diff"
					git -c core.quotepath=false diff --cached --no-color --no-ext-diff --no-textconv "$base" | head -c "$((max + 1))"
					""";

	private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

	private final WorkingCopy workingCopy;

	private final AgentSandbox sandboxes;

	private final JobsProperties properties;

	private final Clock clock;

	private final JobRepository jobs;

	ChangeCapture(WorkingCopy workingCopy, AgentSandbox sandboxes, JobsProperties properties, Clock clock,
			JobRepository jobs) {
		this.jobs = jobs;
		this.workingCopy = workingCopy;
		this.sandboxes = sandboxes;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * The command that records where the working copy is before the agent starts, for the
	 * agent's exec to run first ({@link AgentSandbox#startAgent}); its first line is the
	 * base (a commit, or {@code marker:PATH}).
	 */
	List<String> baseCommand(long jobId) {
		String marker = this.workingCopy.home() + "/.cache/dilxc/job-" + jobId + ".start";
		return List.of("sh", "-c", BASE_SCRIPT, "dilxc-base", Long.toString(jobId), marker);
	}

	/**
	 * The base from the result of {@link #baseCommand}: its exit code and its first
	 * stdout line (its last stderr line when it failed).
	 */
	String base(int exitCode, String line) {
		String base = line.strip();
		if (exitCode != 0 || base.isEmpty()) {
			throw new IllegalStateException("exit " + exitCode + ": " + base);
		}
		return base;
	}

	/**
	 * The capture script's argv for a session, its base left off (the caller appends it:
	 * the agent's exec knows it only once it has recorded it), with the boundary its
	 * output is parsed by.
	 */
	CaptureCommand captureCommand(@Nullable String sessionId) {
		String boundary = "@@dilxc-" + UUID.randomUUID() + "@@";
		String session = (sessionId != null && SESSION_ID.matcher(sessionId).matches()) ? sessionId : "";
		return new CaptureCommand(List.of("sh", "-c", CAPTURE_SCRIPT, "dilxc-changes",
				Long.toString(this.properties.maxDiffBytes().toBytes()), boundary, session,
				Long.toString(this.properties.maxTranscriptBytes().toBytes())), boundary, session);
	}

	/**
	 * The capture script with its arguments but the base, the boundary of its sections,
	 * and the session whose transcript it reads (empty: none).
	 */
	record CaptureCommand(List<String> argv, String boundary, String session) {
	}

	/**
	 * Captures the changes since {@code base} and the session's transcript and stores
	 * them with the job; a failure is written to the job's history and never fails the
	 * job.
	 */
	void captureAndStore(InstanceName sandbox, long id, String base, @Nullable String sessionId,
			UnaryOperator<String> mask) {
		store(id, (notes) -> capture(sandbox, id, base, sessionId, notes, mask));
	}

	/**
	 * Stores what the capture script printed when the agent's exec ran it after the agent
	 * ({@link #captureCommand}); as {@link #captureAndStore}.
	 */
	void storeCaptured(long id, String base, CaptureCommand command, ExecResult result, UnaryOperator<String> mask) {
		store(id, (notes) -> parse(id, base, command, result, notes, mask));
	}

	private void store(long id, Function<List<String>, Captured> capture) {
		try {
			List<String> notes = new ArrayList<>();
			Captured both = capture.apply(notes);
			JobChanges captured = both.changes();
			Optional<CapturedChanges.Transcript> transcript = both.transcript();
			this.jobs.recordChanges(
					new CapturedChanges(captured, transcript.map(CapturedChanges.Transcript::path).orElse(null),
							transcript.map(CapturedChanges.Transcript::content).orElse(null)));
			this.jobs.addHistory(id, JobState.RUNNING, "CHANGES",
					captured.files().size() + " file(s) changed"
							+ (captured.diffTruncated() ? "; the diff was cut at dilxc.jobs.max-diff-bytes" : "")
							+ (notes.isEmpty() ? "" : "; " + String.join("; ", notes)),
					this.clock.instant());
		}
		catch (RuntimeException ex) {
			this.jobs.addHistory(id, JobState.RUNNING, "CHANGES_FAILED",
					"could not capture the job's changes: " + ex.getMessage(), this.clock.instant());
		}
	}

	/** The changes and the session's transcript, as one exec captured them. */
	record Captured(JobChanges changes, Optional<CapturedChanges.Transcript> transcript) {
	}

	/**
	 * Captures the changes since {@code base} and the session's transcript if it exists
	 * and is within the cap (else empty, with why in {@code notes}); secrets masked with
	 * {@code mask}.
	 */
	Captured capture(InstanceName sandbox, long jobId, String base, @Nullable String sessionId, List<String> notes,
			UnaryOperator<String> mask) {
		CaptureCommand command = captureCommand(sessionId);
		List<String> argv = new ArrayList<>(command.argv());
		argv.add(base);
		return parse(jobId, base, command, run(sandbox, jobId, argv), notes, mask);
	}

	private Captured parse(long jobId, String base, CaptureCommand command, ExecResult result, List<String> notes,
			UnaryOperator<String> mask) {
		long max = this.properties.maxDiffBytes().toBytes();
		String boundary = command.boundary();
		if (result.exitCode() != 0) {
			throw new IllegalStateException("exit " + result.exitCode() + ": " + lastLine(result.stderr()));
		}
		boolean git = !base.startsWith("marker:");
		String status = null;
		String stat = null;
		String diff = null;
		boolean truncated = false;
		List<String> files = new ArrayList<>();
		String out = result.stdout();
		Optional<CapturedChanges.Transcript> transcript = Optional.empty();
		String transcriptHeader = boundary + " transcript\n";
		if (out.startsWith(transcriptHeader)) {
			int next = out.indexOf("\n" + boundary + " ", transcriptHeader.length() - 1);
			String section = out.substring(transcriptHeader.length(), (next < 0) ? out.length() : next + 1);
			out = (next < 0) ? "" : out.substring(next + 1);
			transcript = transcript(section, notes, mask);
		}
		String diffHeader = boundary + " diff\n";
		int diffAt = out.indexOf(diffHeader);
		String head = (diffAt >= 0) ? out.substring(0, diffAt) : out;
		if (diffAt >= 0) {
			byte[] raw = out.substring(diffAt + diffHeader.length()).getBytes(StandardCharsets.UTF_8);
			truncated = raw.length > max;
			diff = mask.apply(new String(raw, 0, (int) Math.min(raw.length, max), StandardCharsets.UTF_8));
		}
		String section = null;
		StringBuilder text = new StringBuilder();
		for (String line : (head + boundary + " end\n").split("\n", -1)) {
			if (line.startsWith(boundary + " ")) {
				if ("status".equals(section)) {
					status = mask.apply(text.toString());
				}
				else if ("stat".equals(section)) {
					stat = mask.apply(text.toString());
				}
				else if ("files".equals(section)) {
					text.toString().lines().filter((l) -> !l.isBlank()).map(mask).forEach(files::add);
				}
				section = line.substring(boundary.length() + 1);
				text.setLength(0);
			}
			else if (section != null) {
				text.append(line).append('\n');
			}
		}
		return new Captured(new JobChanges(jobId, git, git ? base : null, status, stat, diff, truncated,
				List.copyOf(files), this.clock.instant()), transcript);
	}

	/**
	 * The transcript section: its path, then {@code ok} and the content plus one newline,
	 * or why not.
	 */
	private static Optional<CapturedChanges.Transcript> transcript(String section, List<String> notes,
			UnaryOperator<String> mask) {
		int first = section.indexOf('\n');
		int second = (first >= 0) ? section.indexOf('\n', first + 1) : -1;
		if (second < 0) {
			notes.add("could not read the session transcript: its section is incomplete");
			return Optional.empty();
		}
		String path = section.substring(0, first);
		String state = section.substring(first + 1, second);
		if (state.startsWith("too-large")) {
			notes.add("the session transcript " + path + " is " + state.substring(10) + " bytes, more than "
					+ "dilxc.jobs.max-transcript-bytes; it was not kept, so a resume after a restore cannot continue it");
			return Optional.empty();
		}
		if (!state.equals("ok") || !section.endsWith("\n")) {
			return Optional.empty();
		}
		String content = section.substring(second + 1, section.length() - 1);
		return Optional.of(new CapturedChanges.Transcript(path, mask.apply(content).getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * Puts a kept transcript back where Claude Code looks for it, if it is not there;
	 * true if it was written.
	 */
	boolean restoreTranscript(InstanceName sandbox, CapturedChanges.Transcript transcript) {
		ExecResult exists = this.workingCopy.runAsUser(sandbox, this.properties.captureTimeout(),
				List.of("test", "-e", transcript.path()));
		if (exists.exitCode() == 0) {
			return false;
		}
		this.workingCopy.writeUserFile(sandbox, transcript.path(), transcript.content(),
				this.properties.captureTimeout());
		return true;
	}

	/**
	 * Runs a capture script for the job in its scope, in a clean environment
	 * ({@link AgentSandbox#runForJob}), and writes to the history what it left running,
	 * which the inert git should make never happen.
	 */
	private ExecResult run(InstanceName sandbox, long jobId, List<String> command) {
		AgentSandbox.Contained run = this.sandboxes.runForJob(sandbox, jobId, this.properties.captureTimeout(),
				command);
		if (!run.leftovers().isEmpty()) {
			this.jobs.addHistory(jobId, JobState.RUNNING, "PROCESSES_KILLED",
					"ended " + run.leftovers().size()
							+ " process(es) left running by the daemon's change capture in the agent's repository: "
							+ run.leftovers(),
					this.clock.instant());
		}
		if (run.sweepError() != null) {
			this.jobs.addHistory(jobId, JobState.RUNNING, "KILL_FAILED",
					"could not end what the change capture left running: " + run.sweepError(), this.clock.instant());
		}
		return run.result();
	}

	private static String lastLine(String text) {
		return (text == null) ? "" : text.strip().lines().reduce((a, b) -> b).orElse("").strip();
	}

}
