package dev.dilxc.client.jobs;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.dilxc.api.JobChanges;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.daemon.NotFoundException;
import dev.dilxc.client.render.Ansi;
import dev.dilxc.client.render.JsonOutput;
import dev.dilxc.client.render.TerminalText;
import dev.dilxc.client.sandboxes.HostEnvironment;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.StandardStreams;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * {@code diff [--stat] ID}: what a job changed in the working copy, as captured when its
 * agent stopped and before any restore, so a rolled-back job still shows what it had
 * done.
 *
 * <p>
 * On a terminal the diff is sanitized (it is the agent's text) and coloured unless
 * {@code NO_COLOR} is set; into a pipe it goes byte for byte, so
 * {@code dilxc-client diff 12 | git apply} works.
 */
public final class DiffCommand extends ClientCommand {

	/** Retention dropped the job's diff; the daemon's words say when. */
	private static final String PROBLEM_PRUNED = "pruned";

	private static final Pattern STAT_BAR = Pattern.compile("(.*\\|\\s+\\d+ )(\\+*)(-*)");

	private final DaemonClient daemon;

	private final HostEnvironment host;

	private final StandardStreams streams;

	private final JsonOutput json;

	public DiffCommand(DaemonClient daemon, HostEnvironment host, StandardStreams streams, JsonOutput json,
			ExitStatusExceptionMapper errors) {
		super("diff", REVIEW, "Show what a job changed (captured before any restore).", "[--stat] [--json] ID",
				List.of(OptionSpec.flag("stat", "only the changed files with their counts (git diff --stat)"),
						OptionSpec.flag("json", "print everything captured (status, stat, diff, files) as JSON")),
				errors);
		setNotes("""
				The diff is against the commit the working copy was at when the job started, untracked files
				included. Where the working copy is not a git repository only the changed files are known.
				Colours only on a terminal, and not with NO_COLOR set; piped, the diff is passed on as captured
				(dilxc-client diff 12 | git apply).""");
		this.daemon = daemon;
		this.host = host;
		this.streams = streams;
		this.json = json;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		long id = input.jobId();
		JobChanges changes;
		try {
			changes = this.daemon.changes(id);
		}
		catch (NotFoundException ex) {
			if (PROBLEM_PRUNED.equals(ex.problem())) {
				return new ExitStatus(ExitCodes.NOT_FOUND, ex.getMessage());
			}
			return new ExitStatus(ExitCodes.NOT_FOUND, "job " + id + " has no captured changes: they are captured when "
					+ "its agent stops, so a job that is queued or running, or ended before its agent ran, has none ("
					+ ex.getMessage() + ")");
		}
		if (input.flag("json")) {
			this.json.print(changes, out);
			return ok();
		}
		boolean terminal = this.host.isTerminalSession();
		Ansi ansi = new Ansi(this.host.colour());
		PrintWriter err = this.streams.err();
		List<String> files = (changes.files() != null) ? changes.files() : List.of();
		if (!changes.gitRepository()) {
			if (files.isEmpty()) {
				err.println("job " + id + " changed no files");
				return ok();
			}
			err.println("the working copy is not a git repository, so only the changed files are known:");
			files.forEach(file -> out.println(terminal ? TerminalText.oneLine(file) : file));
			return ok();
		}
		String text = input.flag("stat") ? changes.diffStat() : changes.diff();
		if (text == null || text.isBlank()) {
			err.println("job " + id + " changed nothing in the working copy");
			return ok();
		}
		if (!terminal) {
			out.print(text.endsWith("\n") ? text : text + "\n");
		}
		else if (input.flag("stat")) {
			TerminalText.sanitize(text).lines().forEach(line -> out.println(stat(line, ansi)));
		}
		else {
			diff(TerminalText.sanitize(text), ansi).forEach(out::println);
		}
		if (changes.diffTruncated() && !input.flag("stat")) {
			err.println("the diff was cut at the daemon's size cap; 'dilxc-client diff --stat " + id
					+ "' lists every changed file");
		}
		return ok();
	}

	/**
	 * The diff's lines coloured like git's: headers bold, hunk markers cyan, added green,
	 * removed red.
	 */
	static List<String> diff(String text, Ansi ansi) {
		boolean header = false;
		List<String> lines = new ArrayList<>();
		for (String line : text.lines().toList()) {
			if (line.startsWith("diff ")) {
				header = true;
			}
			else if (line.startsWith("@@")) {
				header = false;
				lines.add(ansi.cyan(line));
				continue;
			}
			if (header) {
				lines.add(ansi.bold(line));
			}
			else if (line.startsWith("+")) {
				lines.add(ansi.green(line));
			}
			else if (line.startsWith("-")) {
				lines.add(ansi.red(line));
			}
			else {
				lines.add(line);
			}
		}
		return lines;
	}

	/** A {@code --stat} line with its {@code +++--} bar coloured. */
	static String stat(String line, Ansi ansi) {
		Matcher matcher = STAT_BAR.matcher(line);
		if (!matcher.matches()) {
			return line;
		}
		return matcher.group(1) + ansi.green(matcher.group(2)) + ansi.red(matcher.group(3));
	}

}
