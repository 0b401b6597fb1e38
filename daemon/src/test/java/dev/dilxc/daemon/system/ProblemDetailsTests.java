package dev.dilxc.daemon.system;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Path;

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

import dev.dilxc.api.ProblemTypes;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.testing.DaemonTestProperties;

/**
 * Every error the API can give comes back as RFC 9457 problem details with its stable
 * type.
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK)
class ProblemDetailsTests {

	@TempDir
	static Path data;

	@Autowired
	private WebApplicationContext context;

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
	void submitWhenPromptBlankAnswers400InvalidRequestNamingTheField() throws Exception {
		this.mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"prompt\":\" \"}"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(ProblemTypes.INVALID_REQUEST.toString()))
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("the prompt is empty")));
	}

	@Test
	void submitWhenBodyIsNotJsonAnswers400InvalidRequest() throws Exception {
		this.mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON).content("{prompt:"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value(ProblemTypes.INVALID_REQUEST.toString()));
	}

	@Test
	void submitWhenRestorePolicyUnknownAnswers400() throws Exception {
		this.mvc
			.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON)
				.content("{\"prompt\":\"x\",\"restorePolicy\":\"SOMETIMES\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value(ProblemTypes.INVALID_REQUEST.toString()));
	}

	@Test
	void jobWhenMissingAnswers404JobNotFoundWithItsId() throws Exception {
		this.mvc.perform(get("/api/jobs/4711"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value(ProblemTypes.JOB_NOT_FOUND.toString()))
			.andExpect(jsonPath("$.jobId").value(4711));
	}

	@Test
	void jobWhenIdIsNotANumberAnswers400() throws Exception {
		this.mvc.perform(get("/api/jobs/abc"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value(ProblemTypes.INVALID_REQUEST.toString()));
	}

	@Test
	void listWhenStateUnknownAnswers400ListingTheStates() throws Exception {
		this.mvc.perform(get("/api/jobs").param("state", "sleeping"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("QUEUED, SNAPSHOTTING")));
	}

	@Test
	void cancelWhenAlreadyFinishedAnswers409() throws Exception {
		String created = this.mvc
			.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"prompt\":\"x\"}"))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String id = created.replaceAll(".*\"id\":(\\d+).*", "$1");
		this.mvc.perform(post("/api/jobs/" + id + "/cancel"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.state").value("CANCELLED"));
		this.mvc.perform(post("/api/jobs/" + id + "/cancel"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value(ProblemTypes.JOB_ALREADY_FINISHED.toString()));
	}

	@Test
	void unknownEndpointAnswers404WithAProblem() throws Exception {
		this.mvc.perform(get("/api/nothing-here"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value(ProblemTypes.INVALID_REQUEST.toString()));
	}

}
