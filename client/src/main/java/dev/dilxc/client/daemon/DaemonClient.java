package dev.dilxc.client.daemon;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.dilxc.api.CheckReport;
import dev.dilxc.api.CommandResult;
import dev.dilxc.api.CreateSnapshotRequest;
import dev.dilxc.api.DaemonStatus;
import dev.dilxc.api.FileTransferRequest;
import dev.dilxc.api.HostAuth;
import dev.dilxc.api.InitSandboxRequest;
import dev.dilxc.api.JobChanges;
import dev.dilxc.api.JobDetails;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.OperationEvents;
import dev.dilxc.api.OperationView;
import dev.dilxc.api.OutputPage;
import dev.dilxc.api.ProblemTypes;
import dev.dilxc.api.ProxyRequest;
import dev.dilxc.api.ProxyView;
import dev.dilxc.api.QuarantineView;
import dev.dilxc.api.ReportView;
import dev.dilxc.api.RepairRequest;
import dev.dilxc.api.RepairResult;
import dev.dilxc.api.RestoreResult;
import dev.dilxc.api.ResumeJobRequest;
import dev.dilxc.api.SandboxView;
import dev.dilxc.api.ScheduleDetails;
import dev.dilxc.api.ScheduleRequest;
import dev.dilxc.api.ScheduleView;
import dev.dilxc.api.SnapshotView;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.api.SyncRequest;
import dev.dilxc.api.SystemInfo;
import dev.dilxc.api.TerminalCommand;
import dev.dilxc.api.TerminalRequest;
import dev.dilxc.api.WebAccess;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The daemon's HTTP+JSON API (see {@link dev.dilxc.api}) as Java calls. Errors come back
 * as {@link DaemonException}s: the problem detail's {@code type} picks the subclass.
 */
public class DaemonClient {

	/**
	 * How long the daemon may take for requests that do real work in LXD (stop, restore,
	 * sync, delete, checks): far longer than the default, which is for quick reads.
	 */
	public static final Duration SLOW = Duration.ofMinutes(30);

	private final UnixSocketHttpClient http;

	private final JsonMapper json;

	public DaemonClient(UnixSocketHttpClient http, JsonMapper json) {
		this.http = http;
		this.json = json;
	}

	/** The socket this client talks to. */
	public Path socket() {
		return this.http.socket();
	}

	/** {@code POST /api/jobs}: queues a job. */
	public JobView submit(SubmitJobRequest request) {
		return call("POST", "/api/jobs", this.json.writeValueAsBytes(request), JobView.class, null);
	}

	/** {@code GET /api/jobs}: jobs, newest first, optionally filtered. */
	public List<JobView> jobs(@Nullable JobState state, @Nullable String sandbox, @Nullable Integer limit) {
		List<String> query = new ArrayList<>();
		if (state != null) {
			query.add("state=" + encode(state.name()));
		}
		if (sandbox != null) {
			query.add("sandbox=" + encode(sandbox));
		}
		if (limit != null) {
			query.add("limit=" + limit);
		}
		String target = "/api/jobs" + (query.isEmpty() ? "" : "?" + String.join("&", query));
		return List.of(call("GET", target, null, JobView[].class, null));
	}

	/** {@code GET /api/jobs/{id}}: one job with its history. */
	public JobDetails job(long id) {
		return call("GET", "/api/jobs/" + id, null, JobDetails.class, id);
	}

	/**
	 * {@code GET /api/jobs/{id}/output?after=}: the stored output lines after
	 * {@code after}.
	 */
	public OutputPage output(long id, long after) {
		return call("GET", "/api/jobs/" + id + "/output?after=" + after, null, OutputPage.class, id);
	}

	/**
	 * As {@link #output(long, long)}, but the daemon holds the request up to {@code wait}
	 * until a line after {@code after} is stored or the job ends (a long poll), so a
	 * follower sees each line as it is stored.
	 */
	public OutputPage output(long id, long after, Duration wait) {
		return call("GET", "/api/jobs/" + id + "/output?after=" + after + "&waitMs=" + wait.toMillis(), null,
				OutputPage.class, id, wait.plusSeconds(10));
	}

	/** {@code POST /api/jobs/{id}/cancel}: asks the daemon to cancel a job. */
	public JobView cancel(long id) {
		return call("POST", "/api/jobs/" + id + "/cancel", new byte[0], JobView.class, id);
	}

	/**
	 * {@code GET /api/jobs/{id}/changes}: what the job changed; {@link NotFoundException}
	 * when none were captured.
	 */
	public JobChanges changes(long id) {
		return call("GET", "/api/jobs/" + id + "/changes", null, JobChanges.class, id);
	}

	/** {@code POST /api/jobs/{id}/retry}: the same prompt and options, as a new job. */
	public JobView retry(long id) {
		return call("POST", "/api/jobs/" + id + "/retry", new byte[0], JobView.class, id);
	}

	/**
	 * {@code POST /api/jobs/{id}/resume}: a new job continuing the job's Claude Code
	 * session.
	 */
	public JobView resume(long id, ResumeJobRequest request) {
		return call("POST", "/api/jobs/" + id + "/resume", this.json.writeValueAsBytes(request), JobView.class, id);
	}

	/**
	 * {@code GET /api/report?since=&until=}: the jobs and schedule events of the window;
	 * null until is now.
	 */
	public ReportView report(Instant since, @Nullable Instant until) {
		String query = "since=" + encode(since.toString())
				+ ((until != null) ? "&until=" + encode(until.toString()) : "");
		return call("GET", "/api/report?" + query, null, ReportView.class, null);
	}

	/** {@code POST /api/schedules}. */
	public ScheduleView addSchedule(ScheduleRequest request) {
		return call("POST", "/api/schedules", this.json.writeValueAsBytes(request), ScheduleView.class, null);
	}

	/** {@code GET /api/schedules}. */
	public List<ScheduleView> schedules() {
		return List.of(call("GET", "/api/schedules", null, ScheduleView[].class, null));
	}

	/** {@code GET /api/schedules/{id}}: the schedule, its next firings and its events. */
	public ScheduleDetails schedule(long id) {
		return call("GET", "/api/schedules/" + id, null, ScheduleDetails.class, null);
	}

	/** {@code POST /api/schedules/{id}/pause|resume}. */
	public ScheduleView scheduleAction(long id, String action) {
		return call("POST", "/api/schedules/" + id + "/" + action, new byte[0], ScheduleView.class, null);
	}

	/** {@code POST /api/schedules/{id}/run-now}: a job of the schedule, now. */
	public JobView runScheduleNow(long id) {
		return call("POST", "/api/schedules/" + id + "/run-now", new byte[0], JobView.class, null);
	}

	/** {@code DELETE /api/schedules/{id}}. */
	public void removeSchedule(long id) {
		callWithoutAnswer("DELETE", "/api/schedules/" + id);
	}

	/** {@code GET /api/system}: what the daemon says about itself. */
	public SystemInfo system() {
		return call("GET", "/api/system", null, SystemInfo.class, null);
	}

	/**
	 * {@code GET /api/system/web}: where the read-only review pages are, token included.
	 */
	public WebAccess web() {
		return call("GET", "/api/system/web", null, WebAccess.class, null);
	}

	/**
	 * {@code GET /api/system/status}: the daemon's health (LXD, queue, running jobs, next
	 * firing, data size).
	 */
	public DaemonStatus daemonStatus() {
		return call("GET", "/api/system/status", null, DaemonStatus.class, null);
	}

	/** {@code GET /api/sandboxes}: every LXD instance, dilxc's marked managed. */
	public List<SandboxView> sandboxes() {
		return List.of(call("GET", "/api/sandboxes", null, SandboxView[].class, null));
	}

	/** {@code GET /api/sandboxes/{name}}. */
	public SandboxView sandbox(String name) {
		return call("GET", sandboxPath(name), null, SandboxView.class, null);
	}

	/**
	 * {@code POST /api/sandboxes}: starts creating or converging a sandbox; follow the
	 * operation.
	 */
	public OperationView init(InitSandboxRequest request) {
		return slow("POST", "/api/sandboxes", this.json.writeValueAsBytes(request), OperationView.class);
	}

	/**
	 * {@code GET /api/operations/{id}/events?after=N}: the operation now and its events
	 * after {@code after}.
	 */
	public OperationEvents operationEvents(long id, long after) {
		return call("GET", "/api/operations/" + id + "/events?after=" + after, null, OperationEvents.class, null);
	}

	/** {@code POST /api/sandboxes/{name}/start|stop|restart}: idempotent. */
	public SandboxView lifecycle(String name, String action) {
		return slow("POST", sandboxPath(name) + "/" + action, new byte[0], SandboxView.class);
	}

	/** {@code DELETE /api/sandboxes/{name}}: returns once LXD has deleted it. */
	public void destroy(String name) {
		callWithoutAnswer("DELETE", sandboxPath(name));
	}

	/** {@code POST /api/sandboxes/{name}/sync}. */
	public CommandResult sync(String name, SyncRequest request) {
		return slow("POST", sandboxPath(name) + "/sync", this.json.writeValueAsBytes(request), CommandResult.class);
	}

	/** {@code POST /api/sandboxes/{name}/pull|push}. */
	public CommandResult transfer(String name, String direction, FileTransferRequest request) {
		return slow("POST", sandboxPath(name) + "/" + direction, this.json.writeValueAsBytes(request),
				CommandResult.class);
	}

	/** {@code POST /api/sandboxes/{name}/terminal}: how to run an interactive command. */
	public TerminalCommand terminal(String name, TerminalRequest request) {
		return slow("POST", sandboxPath(name) + "/terminal", this.json.writeValueAsBytes(request),
				TerminalCommand.class);
	}

	/** {@code GET /api/sandboxes/{name}/snapshots}: oldest first. */
	public List<SnapshotView> snapshots(String name) {
		return List.of(call("GET", sandboxPath(name) + "/snapshots", null, SnapshotView[].class, null));
	}

	/**
	 * {@code POST /api/sandboxes/{name}/snapshots}: a null name means an automatic one.
	 */
	public SnapshotView createSnapshot(String name, @Nullable String snapshot) {
		return slow("POST", sandboxPath(name) + "/snapshots",
				this.json.writeValueAsBytes(new CreateSnapshotRequest(snapshot)), SnapshotView.class);
	}

	/** {@code POST /api/sandboxes/{name}/snapshots/{snapshot}/restore}. */
	public RestoreResult restore(String name, String snapshot) {
		return slow("POST", sandboxPath(name) + "/snapshots/" + encode(snapshot) + "/restore", new byte[0],
				RestoreResult.class);
	}

	/** {@code DELETE /api/sandboxes/{name}/snapshots/{snapshot}}. */
	public void deleteSnapshot(String name, String snapshot) {
		callWithoutAnswer("DELETE", sandboxPath(name) + "/snapshots/" + encode(snapshot));
	}

	/** {@code GET /api/sandboxes/{name}/proxies}. */
	public List<ProxyView> proxies(String name) {
		return List.of(call("GET", sandboxPath(name) + "/proxies", null, ProxyView[].class, null));
	}

	/** {@code POST /api/sandboxes/{name}/proxies}. */
	public ProxyView addProxy(String name, ProxyRequest request) {
		return slow("POST", sandboxPath(name) + "/proxies", this.json.writeValueAsBytes(request), ProxyView.class);
	}

	/** {@code DELETE /api/sandboxes/{name}/proxies/{hostPort}}. */
	public void removeProxy(String name, int hostPort) {
		callWithoutAnswer("DELETE", sandboxPath(name) + "/proxies/" + hostPort);
	}

	/**
	 * {@code DELETE /api/sandboxes/{name}/proxies}: every dilxc proxy; returns those
	 * removed.
	 */
	public List<ProxyView> removeAllProxies(String name) {
		return List.of(slow("DELETE", sandboxPath(name) + "/proxies", null, ProxyView[].class));
	}

	/** {@code GET /api/sandboxes/{name}/health}. */
	public CheckReport health(String name) {
		return slow("GET", sandboxPath(name) + "/health", null, CheckReport.class);
	}

	/** {@code POST /api/sandboxes/{name}/git-auth}. */
	public CheckReport gitAuth(String name, HostAuth hostAuth) {
		return slow("POST", sandboxPath(name) + "/git-auth", this.json.writeValueAsBytes(hostAuth), CheckReport.class);
	}

	/**
	 * {@code POST /api/sandboxes/{name}/update}: starts refreshing the sandbox; follow
	 * the operation.
	 */
	public OperationView update(String name, HostAuth hostAuth) {
		return slow("POST", sandboxPath(name) + "/update", this.json.writeValueAsBytes(hostAuth), OperationView.class);
	}

	/**
	 * {@code GET /api/quarantine}: the sandboxes that need attention (no job starts in
	 * them), oldest first.
	 */
	public List<QuarantineView> quarantined() {
		return List.of(call("GET", "/api/quarantine", null, QuarantineView[].class, null));
	}

	/**
	 * {@code POST /api/sandboxes/{name}/repair}: retries what failed (it may restore a
	 * snapshot, so slow), or with {@code force} releases the sandbox as it is. A repair
	 * that fails again is a conflict (sandbox-quarantined).
	 */
	public RepairResult repair(String name, boolean force) {
		return slow("POST", sandboxPath(name) + "/repair", this.json.writeValueAsBytes(new RepairRequest(force)),
				RepairResult.class);
	}

	/**
	 * {@code GET /api/doctor?sandbox=}: the host's checks, and the sandbox's when one is
	 * named.
	 */
	public CheckReport doctor(@Nullable String sandbox) {
		return slow("GET", "/api/doctor" + ((sandbox != null) ? "?sandbox=" + encode(sandbox) : ""), null,
				CheckReport.class);
	}

	private static String sandboxPath(String name) {
		return "/api/sandboxes/" + encode(name);
	}

	private void callWithoutAnswer(String method, String target) {
		HttpResponse response = this.http.exchange(method, target, null, SLOW);
		if (!response.isSuccess()) {
			throw toException(response, method + " " + target, null);
		}
	}

	private <T> T call(String method, String target, byte @Nullable [] body, Class<T> type, @Nullable Long jobId) {
		return call(method, target, body, type, jobId, null);
	}

	private <T> T slow(String method, String target, byte @Nullable [] body, Class<T> type) {
		return call(method, target, body, type, null, SLOW);
	}

	private <T> T call(String method, String target, byte @Nullable [] body, Class<T> type, @Nullable Long jobId,
			@Nullable Duration timeout) {
		HttpResponse response = (timeout != null) ? this.http.exchange(method, target, body, timeout)
				: this.http.exchange(method, target, body);
		if (!response.isSuccess()) {
			throw toException(response, method + " " + target, jobId);
		}
		try {
			T value = this.json.readValue(response.body(), type);
			if (value == null) {
				throw new DaemonFailureException(
						"the daemon answered " + method + " " + target + " with an empty body");
			}
			return value;
		}
		catch (JacksonException ex) {
			throw new DaemonFailureException("the daemon's answer to " + method + " " + target
					+ " is not what this client expects (" + ex.getOriginalMessage() + "); are both the same version?",
					ex);
		}
	}

	/**
	 * The exception for an error response: by the problem's {@code type}, else by the
	 * status.
	 */
	DaemonException toException(HttpResponse response, String request, @Nullable Long jobId) {
		ProblemDetail problem = readProblem(response);
		String type = (problem != null) ? problem.type() : null;
		String fallback = "HTTP " + response.status();
		String detail = (problem != null) ? problem.describe(fallback) : fallback;
		long id = (jobId != null) ? jobId : -1;
		if (ProblemTypes.INVALID_REQUEST.toString().equals(type)) {
			return new InvalidRequestException(detail);
		}
		if (ProblemTypes.JOB_NOT_FOUND.toString().equals(type)) {
			return new JobNotFoundException(id, (problem != null) ? problem.describe("no job " + id) : "no job " + id);
		}
		if (ProblemTypes.JOB_ALREADY_FINISHED.toString().equals(type)) {
			return new JobAlreadyFinishedException(id, (problem != null)
					? problem.describe("job " + id + " has already finished") : "job " + id + " has already finished");
		}
		if (type != null && isOneOf(type, ProblemTypes.SANDBOX_NOT_FOUND, ProblemTypes.SNAPSHOT_NOT_FOUND,
				ProblemTypes.SCHEDULE_NOT_FOUND, ProblemTypes.NOT_FOUND, ProblemTypes.PRUNED)) {
			return new NotFoundException(shortName(type), detail);
		}
		if (type != null && isOneOf(type, ProblemTypes.SANDBOX_NOT_RUNNING, ProblemTypes.SANDBOX_BUSY,
				ProblemTypes.SANDBOX_QUARANTINED, ProblemTypes.SNAPSHOT_EXISTS, ProblemTypes.CONFLICT)) {
			return new ConflictException(shortName(type), detail);
		}
		if (ProblemTypes.LXD_UNAVAILABLE.toString().equals(type)) {
			return new DaemonFailureException("the daemon cannot use LXD: " + detail);
		}
		if (ProblemTypes.INTERNAL_ERROR.toString().equals(type)) {
			return new DaemonFailureException("the daemon failed: " + detail + " (its log has the details)");
		}
		if (response.status() == 400) {
			return new InvalidRequestException(detail);
		}
		return new DaemonFailureException("unexpected answer from the daemon to " + request + ": " + fallback
				+ ((problem != null && !detail.equals(fallback)) ? " (" + detail + ")" : ""));
	}

	private static boolean isOneOf(String type, URI... types) {
		for (URI candidate : types) {
			if (candidate.toString().equals(type)) {
				return true;
			}
		}
		return false;
	}

	private static String shortName(String type) {
		return type.substring(type.lastIndexOf(':') + 1);
	}

	private @Nullable ProblemDetail readProblem(HttpResponse response) {
		if (!response.isJson() || response.body().length == 0) {
			return null;
		}
		try {
			return this.json.readValue(response.body(), ProblemDetail.class);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
