package dev.dilxc.client.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import dev.dilxc.api.JobDetails;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.OutputLine;
import dev.dilxc.api.OutputPage;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.testing.FakeDaemon;
import dev.dilxc.client.testing.FakeDaemon.Response;
import dev.dilxc.client.testing.Jobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DaemonClientTests {

	private static final JsonMapper JSON = ClientCommands.jsonMapper();

	@TempDir
	Path dir;

	private FakeDaemon daemon;

	private DaemonClient client;

	@BeforeEach
	void start() throws IOException {
		this.daemon = new FakeDaemon(this.dir);
		this.client = new DaemonClient(new UnixSocketHttpClient(this.daemon.socket()), JSON);
	}

	@AfterEach
	void stop() throws IOException {
		this.daemon.close();
	}

	@Test
	void submitPostsTheRequestAsJsonAndReadsTheJob() {
		this.daemon.answer(request -> Response.json(201, JSON.writeValueAsString(Jobs.queued(12, "p"))));
		JobView job = this.client.submit(new SubmitJobRequest("p", "dev", RestorePolicy.ON_FAILURE, 60L));
		assertThat(job).isEqualTo(Jobs.queued(12, "p"));
		assertThat(JSON.readValue(this.daemon.onlyRequest().body(), SubmitJobRequest.class))
			.isEqualTo(new SubmitJobRequest("p", "dev", RestorePolicy.ON_FAILURE, 60L));
	}

	@Test
	void readsIgnoreFieldsANewerDaemonAdds() {
		this.daemon.answer(request -> Response.json(200,
				"{\"jobId\":3,\"lines\":[{\"seq\":1,\"at\":\"2026-11-27T09:00:00Z\",\"stream\":\"stdout\",\"text\":\"t\","
						+ "\"extra\":true}],\"next\":1,\"state\":\"RUNNING\",\"complete\":false,\"newField\":[1]}"));
		OutputPage page = this.client.output(3, 0);
		assertThat(page).isEqualTo(
				new OutputPage(3, List.of(new OutputLine(1, Jobs.SUBMITTED, "stdout", "t")), 1, JobState.RUNNING));
		assertThat(this.daemon.onlyRequest().target()).isEqualTo("/api/jobs/3/output?after=0");
	}

	@Test
	void jobReadsTheDetails() {
		JobDetails details = new JobDetails(Jobs.succeeded(2, "p"), List.of());
		this.daemon.answer(request -> Response.json(200, JSON.writeValueAsString(details)));
		assertThat(this.client.job(2)).isEqualTo(details);
	}

	@Test
	void problemTypesMapToTypedExceptions() {
		this.daemon.answer(request -> Response.problem(400, "invalid-request", "limit must be at most 1000"));
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> this.client.jobs(null, null, 5000))
			.withMessage("limit must be at most 1000");

		this.daemon.answer(request -> Response.problem(404, "job-not-found", "no job 7"));
		assertThatExceptionOfType(JobNotFoundException.class).isThrownBy(() -> this.client.job(7))
			.withMessage("no job 7")
			.satisfies(ex -> assertThat(ex.jobId()).isEqualTo(7));

		this.daemon.answer(request -> Response.problem(409, "job-already-finished", "job 7 already ended"));
		assertThatExceptionOfType(JobAlreadyFinishedException.class).isThrownBy(() -> this.client.cancel(7))
			.withMessage("job 7 already ended");

		this.daemon.answer(request -> Response.problem(503, "lxd-unavailable", "lxd socket missing"));
		assertThatExceptionOfType(DaemonFailureException.class).isThrownBy(() -> this.client.cancel(7))
			.withMessage("the daemon cannot use LXD: lxd socket missing");

		this.daemon.answer(request -> Response.problem(500, "internal-error", "NullPointerException"));
		assertThatExceptionOfType(DaemonFailureException.class).isThrownBy(() -> this.client.job(7))
			.withMessage("the daemon failed: NullPointerException (its log has the details)");
	}

	@Test
	void errorsWithoutAKnownProblemTypeMapByStatus() {
		this.daemon.answer(request -> Response.json(400,
				"{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"Failed to read request\"}"));
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> this.client.job(1))
			.withMessage("Failed to read request");

		this.daemon.answer(request -> new Response(502, "text/html", "<html>bad gateway</html>", false, false));
		assertThatExceptionOfType(DaemonFailureException.class).isThrownBy(() -> this.client.job(1))
			.withMessage("unexpected answer from the daemon to GET /api/jobs/1: HTTP 502");

		this.daemon.answer(request -> Response.json(404, "{\"title\":\"Not Found\",\"status\":404}"));
		assertThatExceptionOfType(DaemonFailureException.class).isThrownBy(() -> this.client.system())
			.withMessage("unexpected answer from the daemon to GET /api/system: HTTP 404 (Not Found)");
	}

	@Test
	void unreadableAnswersAreDaemonFailures() {
		this.daemon.answer(request -> Response.json(200, "{\"job\":{\"id\":\"not a number\"}}"));
		assertThatExceptionOfType(DaemonFailureException.class).isThrownBy(() -> this.client.job(1))
			.withMessageStartingWith("the daemon's answer to GET /api/jobs/1 is not what this client expects");
	}

}
