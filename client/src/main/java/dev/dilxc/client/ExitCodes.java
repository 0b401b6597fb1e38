package dev.dilxc.client;

import dev.dilxc.api.JobState;

/**
 * The process exit codes of {@code dilxc-client}, so scripts and cron jobs can tell
 * outcomes apart.
 *
 * <table>
 * <caption>Exit codes</caption>
 * <tr>
 * <th>code</th>
 * <th>meaning</th>
 * </tr>
 * <tr>
 * <td>0</td>
 * <td>the command did what was asked (for {@code --wait} / {@code --follow}: the job
 * SUCCEEDED; {@code report} exits 0 whatever its jobs did)</td>
 * </tr>
 * <tr>
 * <td>1</td>
 * <td>what was asked ran but did not succeed: a check of {@code health-check},
 * {@code git-auth} or {@code doctor} failed; {@code sync}, {@code pull} or {@code push}
 * failed in the sandbox; an {@code init} or {@code update} operation FAILED;
 * {@code destroy} was not confirmed (nothing was deleted)</td>
 * </tr>
 * <tr>
 * <td>2</td>
 * <td>bad input: unknown command or option, missing argument, bad option value, bad
 * sandbox name, a path that does not exist, or the daemon answered
 * {@code invalid-request}</td>
 * </tr>
 * <tr>
 * <td>3</td>
 * <td>not found: no job has that id ({@code job-not-found}), no schedule
 * ({@code schedule-not-found}), no sandbox has that name ({@code sandbox-not-found}), no
 * snapshot ({@code snapshot-not-found}) or nothing else by that name ({@code not-found}:
 * a proxy, an operation, a job's captured changes for {@code diff})</td>
 * </tr>
 * <tr>
 * <td>4</td>
 * <td>conflict: the job has already finished ({@code job-already-finished}), the sandbox
 * is not running ({@code sandbox-not-running}) or is busy with a job or operation
 * ({@code sandbox-busy}), the snapshot exists ({@code snapshot-exists}), or the request
 * clashes with what is there ({@code conflict}: a host port already proxied)</td>
 * </tr>
 * <tr>
 * <td>10</td>
 * <td>the followed job ended FAILED</td>
 * </tr>
 * <tr>
 * <td>11</td>
 * <td>the followed job ended TIMED_OUT</td>
 * </tr>
 * <tr>
 * <td>12</td>
 * <td>the followed job ended CANCELLED</td>
 * </tr>
 * <tr>
 * <td>13</td>
 * <td>the followed job ended INTERRUPTED (the daemon stopped while it ran)</td>
 * </tr>
 * <tr>
 * <td>69</td>
 * <td>the daemon could not be reached (EX_UNAVAILABLE)</td>
 * </tr>
 * <tr>
 * <td>70</td>
 * <td>the daemon reported an internal error (or LXD trouble), or anything else unexpected
 * happened (EX_SOFTWARE)</td>
 * </tr>
 * </table>
 *
 * <p>
 * The interactive commands ({@code shell}, {@code root}, {@code login}, {@code claude},
 * {@code claude-resume}, {@code exec}, {@code docker}, {@code logs} without an id) exit
 * with the code of the command they ran in the sandbox, whatever it is; only errors
 * before it starts use these codes.
 *
 * <p>
 * Spring Shell's own {@code ExitStatus} constants are negative and never reach the
 * process; every command returns one of these codes.
 */
public final class ExitCodes {

	public static final int OK = 0;

	/**
	 * A check, a sandbox command or an operation ran and failed, or a confirmation was
	 * refused.
	 */
	public static final int FAILED = 1;

	public static final int BAD_INPUT = 2;

	public static final int NOT_FOUND = 3;

	public static final int CONFLICT = 4;

	public static final int JOB_FAILED = 10;

	public static final int JOB_TIMED_OUT = 11;

	public static final int JOB_CANCELLED = 12;

	public static final int JOB_INTERRUPTED = 13;

	public static final int DAEMON_UNREACHABLE = 69;

	public static final int INTERNAL_ERROR = 70;

	private ExitCodes() {
	}

	/**
	 * The exit code for a job that ended in {@code state}; a job that has not ended is an
	 * error.
	 */
	public static int forOutcome(JobState state) {
		return switch (state) {
			case SUCCEEDED -> OK;
			case FAILED -> JOB_FAILED;
			case TIMED_OUT -> JOB_TIMED_OUT;
			case CANCELLED -> JOB_CANCELLED;
			case INTERRUPTED -> JOB_INTERRUPTED;
			case QUEUED, SNAPSHOTTING, RUNNING -> INTERNAL_ERROR;
		};
	}

}
