package dev.dilxc.daemon.jobs;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import dev.dilxc.api.JobChanges;
import dev.dilxc.api.JobState;
import dev.dilxc.daemon.lxd.ExecResult;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.sandboxes.WorkingCopy;

/**
 * What a job changed in the working copy. At start the base is recorded: the commit the working copy is
 * at (or, when it has uncommitted work, a commit of exactly that state, made with a temporary index),
 * else a marker file where it is no git repository. When the agent has stopped, and before any restore,
 * the status, the diff against the base (untracked files included, through a temporary index: the
 * user's own index is never written) and the changed paths are captured. Everything runs as the sandbox
 * user; scripts are constants and data arrives as positional parameters.
 */
@Component
class ChangeCapture {

	/** $1 job id, $2 marker path. Prints the base: a commit, or {@code marker:PATH}. */
	static final String BASE_SCRIPT = """
			set -u
			job="$1"; marker="$2"
			if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
			  head=$(git rev-parse -q --verify HEAD 2>/dev/null) || head=""
			  if [ -n "$head" ] && [ -z "$(git --no-optional-locks status --porcelain --untracked-files=all)" ]; then
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
	 * $1 base, $2 diff cap in bytes, $3 a boundary no diff contains. Prints sections, each after a line
	 * "BOUNDARY NAME"; the diff comes last, cut one byte past the cap so a cut can be told.
	 */
	static final String CAPTURE_SCRIPT = """
			set -u
			base="$1"; max="$2"; b="$3"
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
			git --no-optional-locks -c core.quotepath=false status --porcelain --untracked-files=all
			d=$(mktemp -d) || exit 3
			trap 'rm -rf "$d"' EXIT
			export GIT_INDEX_FILE="$d/index"
			git read-tree "$base" || exit 3
			git add -A >/dev/null || exit 3
			echo "$b stat"
			git -c core.quotepath=false diff --cached --no-color --no-ext-diff --stat=200 "$base"
			echo "$b files"
			git -c core.quotepath=false diff --cached --no-color --name-only "$base"
			echo "$b diff"
			git -c core.quotepath=false diff --cached --no-color --no-ext-diff "$base" | head -c "$((max + 1))"
			""";

	/** $1 session id, $2 cap in bytes. Prints the transcript's path, then {@code ok} and its content, or why not. */
	static final String TRANSCRIPT_SCRIPT = """
			f=$(find "$HOME/.claude/projects" -mindepth 2 -maxdepth 2 -type f -name "$1.jsonl" 2>/dev/null | head -n 1)
			[ -n "$f" ] || { echo; echo missing; exit 0; }
			size=$(stat -c %s "$f")
			echo "$f"
			if [ "$size" -gt "$2" ]; then echo "too-large $size"; exit 0; fi
			echo ok
			cat "$f"
			""";

	private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

	private final WorkingCopy workingCopy;

	private final JobsProperties properties;

	private final Clock clock;

	private final JobRepository jobs;

	ChangeCapture(WorkingCopy workingCopy, JobsProperties properties, Clock clock, JobRepository jobs) {
		this.jobs = jobs;
		this.workingCopy = workingCopy;
		this.properties = properties;
		this.clock = clock;
	}

	/** Records where the working copy is before the agent starts; returns the base (a commit, or {@code marker:PATH}). */
	String recordBase(InstanceName sandbox, long jobId) {
		String marker = this.workingCopy.home() + "/.cache/dilxc/job-" + jobId + ".start";
		ExecResult result = run(sandbox, List.of("sh", "-c", BASE_SCRIPT, "dilxc-base", Long.toString(jobId), marker));
		String base = result.stdout().strip();
		if (result.exitCode() != 0 || base.isEmpty()) {
			throw new IllegalStateException("exit " + result.exitCode() + ": " + lastLine(result.stderr()));
		}
		return base;
	}

	/**
	 * Captures the changes since {@code base} and the session's transcript and stores them with the job;
	 * a failure is written to the job's history and never fails the job.
	 */
	void captureAndStore(InstanceName sandbox, long id, String base, String sessionId, UnaryOperator<String> mask) {
		try {
			JobChanges captured = capture(sandbox, id, base, mask);
			List<String> notes = new ArrayList<>();
			Optional<CapturedChanges.Transcript> transcript = transcript(sandbox, sessionId, notes, mask);
			this.jobs.recordChanges(new CapturedChanges(captured,
					transcript.map(CapturedChanges.Transcript::path).orElse(null),
					transcript.map(CapturedChanges.Transcript::content).orElse(null)));
			this.jobs.addHistory(id, JobState.RUNNING, "CHANGES", captured.files().size() + " file(s) changed"
					+ (captured.diffTruncated() ? "; the diff was cut at dilxc.jobs.max-diff-bytes" : "")
					+ (notes.isEmpty() ? "" : "; " + String.join("; ", notes)), this.clock.instant());
		}
		catch (RuntimeException ex) {
			this.jobs.addHistory(id, JobState.RUNNING, "CHANGES_FAILED", "could not capture the job's changes: "
					+ ex.getMessage(), this.clock.instant());
		}
	}

	/** Captures the changes since {@code base}; secrets masked with {@code mask}. */
	JobChanges capture(InstanceName sandbox, long jobId, String base, UnaryOperator<String> mask) {
		long max = this.properties.maxDiffBytes().toBytes();
		String boundary = "@@dilxc-" + UUID.randomUUID() + "@@";
		ExecResult result = run(sandbox, List.of("sh", "-c", CAPTURE_SCRIPT, "dilxc-changes", base, Long.toString(max),
				boundary));
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
		return new JobChanges(jobId, git, git ? base : null, status, stat, diff, truncated, List.copyOf(files),
				this.clock.instant());
	}

	/** The session's transcript, if it exists and is within the cap (masked), else empty with why in {@code note}. */
	Optional<CapturedChanges.Transcript> transcript(InstanceName sandbox, String sessionId, List<String> note,
			UnaryOperator<String> mask) {
		if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
			return Optional.empty();
		}
		long max = this.properties.maxTranscriptBytes().toBytes();
		ExecResult result = run(sandbox, List.of("sh", "-c", TRANSCRIPT_SCRIPT, "dilxc-transcript", sessionId,
				Long.toString(max)));
		String out = result.stdout();
		int first = out.indexOf('\n');
		int second = (first >= 0) ? out.indexOf('\n', first + 1) : -1;
		if (result.exitCode() != 0 || second < 0) {
			note.add("could not read the session transcript: " + lastLine(result.stderr()));
			return Optional.empty();
		}
		String path = out.substring(0, first);
		String state = out.substring(first + 1, second);
		if (state.startsWith("too-large")) {
			note.add("the session transcript " + path + " is " + state.substring(10) + " bytes, more than "
					+ "dilxc.jobs.max-transcript-bytes; it was not kept, so a resume after a restore cannot continue it");
			return Optional.empty();
		}
		if (!state.equals("ok")) {
			return Optional.empty();
		}
		return Optional.of(new CapturedChanges.Transcript(path,
				mask.apply(out.substring(second + 1)).getBytes(StandardCharsets.UTF_8)));
	}

	/** Puts a kept transcript back where Claude Code looks for it, if it is not there; true if it was written. */
	boolean restoreTranscript(InstanceName sandbox, CapturedChanges.Transcript transcript) {
		ExecResult exists = run(sandbox, List.of("test", "-e", transcript.path()));
		if (exists.exitCode() == 0) {
			return false;
		}
		this.workingCopy.writeUserFile(sandbox, transcript.path(), transcript.content(), this.properties.captureTimeout());
		return true;
	}

	private ExecResult run(InstanceName sandbox, List<String> command) {
		Duration timeout = this.properties.captureTimeout();
		return this.workingCopy.runAsUser(sandbox, timeout, command);
	}

	private static String lastLine(String text) {
		return (text == null) ? "" : text.strip().lines().reduce((a, b) -> b).orElse("").strip();
	}
}
