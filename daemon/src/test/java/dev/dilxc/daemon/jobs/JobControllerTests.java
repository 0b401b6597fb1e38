package dev.dilxc.daemon.jobs;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import dev.dilxc.api.JobChanges;
import dev.dilxc.api.JobView;
import dev.dilxc.api.ProblemTypes;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.testing.DaemonTestProperties;

/**
 * The HTTP face of retry, resume, changes and the new submit options; real H2, no LXD.
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK)
class JobControllerTests {

	@TempDir
	static Path data;

	@Autowired
	private WebApplicationContext context;

	@Autowired
	private JobQueue queue;

	@Autowired
	private JobRepository jobs;

	private MockMvc mvc;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
	}

	@BeforeEach
	void mockMvc() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).build();
	}

	@Test
	void submitWithOptionsAnswers201WithThemAndOutOfRangeOnesAnswer400NamingTheField() throws Exception {
		this.mvc
			.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON)
				.content("{\"prompt\":\"x\",\"maxTurns\":5,\"maxBudgetUsd\":2.5,\"sync\":true}"))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.maxTurns").value(5))
			.andExpect(jsonPath("$.maxBudgetUsd").value(2.5))
			.andExpect(jsonPath("$.sync").value(true))
			.andExpect(jsonPath("$.trigger").value("manual"));
		this.mvc
			.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON)
				.content("{\"prompt\":\"x\",\"maxBudgetUsd\":1000}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value(ProblemTypes.INVALID_REQUEST.toString()))
			.andExpect(
					jsonPath("$.detail").value(containsString("max-budget-usd must be more than 0 and at most 100")));
	}

	@Test
	void retryAnswers201WithTheNewJobAndResumeWithoutASessionAnswers400() throws Exception {
		JobView parent = this.queue.submit(new SubmitJobRequest("again", null, null, null));
		this.mvc.perform(post("/api/jobs/" + parent.id() + "/retry"))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", org.hamcrest.Matchers.startsWith("/api/jobs/")))
			.andExpect(jsonPath("$.trigger").value("retry"))
			.andExpect(jsonPath("$.parentJobId").value(parent.id()))
			.andExpect(jsonPath("$.prompt").value("again"));
		this.mvc
			.perform(post("/api/jobs/" + parent.id() + "/resume").contentType(MediaType.APPLICATION_JSON)
				.content("{\"prompt\":\"go on\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value(ProblemTypes.INVALID_REQUEST.toString()))
			.andExpect(jsonPath("$.detail").value(containsString("has no Claude Code session id")));
		this.mvc.perform(post("/api/jobs/4711/retry"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value(ProblemTypes.JOB_NOT_FOUND.toString()));
	}

	@Test
	void changesAnswer404NotFoundUntilCapturedThenTheChangesAndJobNotFoundForNoJob() throws Exception {
		JobView job = this.queue.submit(new SubmitJobRequest("edit", null, null, null));
		this.mvc.perform(get("/api/jobs/" + job.id() + "/changes"))
			.andExpect(status().isNotFound())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(ProblemTypes.NOT_FOUND.toString()))
			.andExpect(jsonPath("$.detail").value(containsString("its changes are captured when its agent stops")));

		this.jobs.recordChanges(new CapturedChanges(new JobChanges(job.id(), true, "abc", " M a.txt", " a.txt | 1 +",
				"diff --git a/a.txt b/a.txt", false, List.of("a.txt"), Instant.parse("2026-11-27T03:00:00Z")), null,
				null));
		this.mvc.perform(get("/api/jobs/" + job.id() + "/changes"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.files[0]").value("a.txt"))
			.andExpect(jsonPath("$.baseCommit").value("abc"))
			.andExpect(jsonPath("$.diffTruncated").value(false));
		this.mvc.perform(get("/api/jobs/4711/changes"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value(ProblemTypes.JOB_NOT_FOUND.toString()));
	}

}
