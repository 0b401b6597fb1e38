package dev.dilxc.client.daemon;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.dilxc.api.JobDetails;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.OutputPage;
import dev.dilxc.api.ProblemTypes;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.api.SystemInfo;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The daemon's HTTP+JSON API (see {@link dev.dilxc.api}) as Java calls. Errors come back as
 * {@link DaemonException}s: the problem detail's {@code type} picks the subclass.
 */
public class DaemonClient {

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

	/** {@code GET /api/jobs/{id}/output?after=}: the stored output lines after {@code after}. */
	public OutputPage output(long id, long after) {
		return call("GET", "/api/jobs/" + id + "/output?after=" + after, null, OutputPage.class, id);
	}

	/** {@code POST /api/jobs/{id}/cancel}: asks the daemon to cancel a job. */
	public JobView cancel(long id) {
		return call("POST", "/api/jobs/" + id + "/cancel", new byte[0], JobView.class, id);
	}

	/** {@code GET /api/system}: what the daemon says about itself. */
	public SystemInfo system() {
		return call("GET", "/api/system", null, SystemInfo.class, null);
	}

	private <T> T call(String method, String target, byte @Nullable [] body, Class<T> type, @Nullable Long jobId) {
		HttpResponse response = this.http.exchange(method, target, body);
		if (!response.isSuccess()) {
			throw toException(response, method + " " + target, jobId);
		}
		try {
			T value = this.json.readValue(response.body(), type);
			if (value == null) {
				throw new DaemonFailureException("the daemon answered " + method + " " + target + " with an empty body");
			}
			return value;
		}
		catch (JacksonException ex) {
			throw new DaemonFailureException("the daemon's answer to " + method + " " + target
					+ " is not what this client expects (" + ex.getOriginalMessage() + "); are both the same version?",
					ex);
		}
	}

	/** The exception for an error response: by the problem's {@code type}, else by the status. */
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
			return new JobAlreadyFinishedException(id,
					(problem != null) ? problem.describe("job " + id + " has already finished")
							: "job " + id + " has already finished");
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
