package dev.dilxc.client.jobs;

import java.io.PrintWriter;
import java.time.Duration;

import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.OutputLine;
import dev.dilxc.api.OutputPage;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.daemon.DaemonException;
import dev.dilxc.client.render.StreamJsonRenderer;
import org.springframework.shell.core.command.ExitStatus;

/**
 * Prints a job's stored output page by page, and with {@code follow} keeps polling until
 * the job has ended and no more lines can come; then the exit status is the job's outcome
 * ({@link ExitCodes#forOutcome}). Shared by {@code logs} and {@code submit --wait}.
 */
public final class LogFollower {

	/**
	 * The least time between two requests of a follower that got nothing: a daemon that
	 * predates the long poll answers at once, and is then asked at this pace.
	 */
	public static final Duration POLL_INTERVAL = Duration.ofMillis(500);

	/**
	 * How long the daemon may hold a follower's request while the job prints nothing (it
	 * caps this at 25 s).
	 */
	static final Duration FOLLOW_WAIT = Duration.ofSeconds(20);

	private final DaemonClient daemon;

	private final StreamJsonRenderer renderer;

	private final Duration pollInterval;

	public LogFollower(DaemonClient daemon, StreamJsonRenderer renderer, Duration pollInterval) {
		this.daemon = daemon;
		this.renderer = renderer;
		this.pollInterval = pollInterval;
	}

	/**
	 * What a command that made a job prints: the job's id alone on {@code out} (for
	 * {@code id=$(dilxc-client ...)}), or with {@code wait}, one line on {@code err} and
	 * then its output followed, the exit status being its outcome.
	 * @param made what happened, for the line on {@code err}:
	 * {@code "submitted to sandbox 'dev'"}
	 */
	public ExitStatus idOrFollow(JobView job, String made, boolean wait, PrintWriter out, PrintWriter err)
			throws InterruptedException {
		if (!wait) {
			out.println(job.id());
			return ExitStatus.OK;
		}
		err.println("job " + job.id() + " " + made + "; following its output (Ctrl-C stops following, not the job)");
		err.flush();
		return print(job.id(), true, false, out);
	}

	/**
	 * @param raw print the stored lines exactly as stored instead of rendering them
	 * @return OK, or when following, the job's outcome
	 */
	public ExitStatus print(long jobId, boolean follow, boolean raw, PrintWriter out) throws InterruptedException {
		long after = 0;
		while (true) {
			long asked = System.nanoTime();
			OutputPage page = follow ? this.daemon.output(jobId, after, FOLLOW_WAIT) : this.daemon.output(jobId, after);
			for (OutputLine line : page.lines()) {
				if (raw) {
					out.println(line.text());
				}
				else {
					this.renderer.render(line).forEach(out::println);
				}
			}
			out.flush();
			if (out.checkError()) {
				// whoever read the output has gone (a closed pipe): stop quietly
				return ExitStatus.OK;
			}
			boolean advanced = page.next() > after;
			after = Math.max(after, page.next());
			if (follow) {
				if (page.complete()) {
					return outcome(jobId, page.state());
				}
				Duration took = Duration.ofNanos(System.nanoTime() - asked);
				if ((page.lines().isEmpty() || !advanced) && took.compareTo(this.pollInterval) < 0) {
					Thread.sleep(this.pollInterval.minus(took));
				}
			}
			else if (page.lines().isEmpty() || !advanced) {
				return ExitStatus.OK;
			}
		}
	}

	private ExitStatus outcome(long jobId, JobState state) {
		int code = ExitCodes.forOutcome(state);
		if (code == ExitCodes.OK) {
			return ExitStatus.OK;
		}
		String reason = null;
		try {
			reason = this.daemon.job(jobId).job().reason();
		}
		catch (DaemonException ex) {
			// the outcome is known; the reason is a nicety
		}
		return new ExitStatus(code,
				"job " + jobId + " ended " + state + ((reason != null && !reason.isBlank()) ? ": " + reason : ""));
	}

}
