package dev.dilxc.daemon.schedules;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Path;
import java.time.Instant;

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
import dev.dilxc.daemon.leases.SandboxQuarantines;
import dev.dilxc.daemon.testing.DaemonTestProperties;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP face of schedules and the report, with its problem details; real H2 and Quartz
 * store, no LXD.
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK)
class ScheduleControllerTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	static Path data;

	@Autowired
	private WebApplicationContext context;

	@Autowired
	private SandboxQuarantines quarantines;

	private MockMvc mvc;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("dilxc.jobs.default-sandbox", () -> "sched-http");
		registry.add("spring.quartz.auto-startup", () -> "false");
	}

	@BeforeEach
	void mockMvc() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).build();
	}

	@Test
	void theLifeOfAScheduleOverHttp() throws Exception {
		String created = this.mvc.perform(post("/api/schedules").contentType(MediaType.APPLICATION_JSON).content("""
				{"cron":"0 2 * * *","timeZone":"Europe/Berlin","overlap":"QUEUE","maxDailyCostUsd":5,
				 "prompt":"nightly tests"}
				"""))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", startsWith("/api/schedules/")))
			.andExpect(jsonPath("$.quartzCron").value("0 0 2 * * ?"))
			.andExpect(jsonPath("$.timeZone").value("Europe/Berlin"))
			.andExpect(jsonPath("$.sandbox").value("sched-http"))
			.andExpect(jsonPath("$.overlap").value("QUEUE"))
			.andExpect(jsonPath("$.catchUpSeconds").value(21600))
			.andExpect(jsonPath("$.paused").value(false))
			.andReturn()
			.getResponse()
			.getContentAsString();
		long id = JSON.readTree(created).get("id").asLong();

		this.mvc.perform(get("/api/schedules"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[?(@.id == " + id + ")].prompt").value("nightly tests"));
		this.mvc.perform(get("/api/schedules/" + id))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.schedule.id").value(id))
			.andExpect(jsonPath("$.upcoming", hasSize(5)))
			.andExpect(jsonPath("$.events[0].kind").value("CREATED"));
		this.mvc.perform(post("/api/schedules/" + id + "/pause"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.paused").value(true))
			.andExpect(jsonPath("$.nextFireAt").doesNotExist());
		this.mvc.perform(post("/api/schedules/" + id + "/resume"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.paused").value(false));
		String job = this.mvc.perform(post("/api/schedules/" + id + "/run-now"))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", startsWith("/api/jobs/")))
			.andExpect(jsonPath("$.trigger").value("schedule"))
			.andExpect(jsonPath("$.scheduleId").value(id))
			.andReturn()
			.getResponse()
			.getContentAsString();
		JsonNode report = JSON.readTree(this.mvc.perform(get("/api/report"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString());
		org.assertj.core.api.Assertions.assertThat(report.get("jobs").findValuesAsString("id"))
			.contains(JSON.readTree(job).get("id").asString());
		this.mvc.perform(delete("/api/schedules/" + id)).andExpect(status().isNoContent());
		this.mvc.perform(get("/api/schedules/" + id))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value(ProblemTypes.SCHEDULE_NOT_FOUND.toString()))
			.andExpect(jsonPath("$.scheduleId").value(id));
	}

	@Test
	void theReportListsQuarantinedSandboxesWhateverItsWindow() throws Exception {
		this.quarantines.quarantine("sched-quarantined", null, SandboxQuarantines.Step.LXD_UNREACHABLE,
				"LXD did not come back", false, Instant.now().plusSeconds(30));
		try {
			JsonNode report = JSON.readTree(this.mvc
				.perform(get("/api/report").param("since", "2020-01-01T00:00:00Z")
					.param("until", "2020-01-02T00:00:00Z"))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString());
			org.assertj.core.api.Assertions.assertThat(report.get("jobs")).isEmpty();
			org.assertj.core.api.Assertions.assertThat(report.at("/quarantined/0/sandbox").asString())
				.isEqualTo("sched-quarantined");
			org.assertj.core.api.Assertions.assertThat(report.at("/quarantined/0/step").asString())
				.isEqualTo("LXD_UNREACHABLE");
			org.assertj.core.api.Assertions.assertThat(report.at("/quarantined/0/jobId").isNull()).isTrue();
		}
		finally {
			this.quarantines.release("sched-quarantined");
		}
	}

	@Test
	void badInputAnswers400NamingThePartAndUnknownIds404() throws Exception {
		this.mvc
			.perform(post("/api/schedules").contentType(MediaType.APPLICATION_JSON)
				.content("{\"cron\":\"0 61 * * * ?\",\"prompt\":\"x\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value(ProblemTypes.INVALID_REQUEST.toString()))
			.andExpect(jsonPath("$.detail").value(startsWith("the minute field '61' of '0 61 * * * ?' is not valid")));
		this.mvc
			.perform(post("/api/schedules").contentType(MediaType.APPLICATION_JSON)
				.content("{\"cron\":\"@daily\",\"timeZone\":\"Europe/Berln\",\"prompt\":\"x\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(startsWith("unknown time zone 'Europe/Berln'")));
		this.mvc
			.perform(post("/api/schedules").contentType(MediaType.APPLICATION_JSON)
				.content("{\"cron\":\"@daily\",\"prompt\":\"\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(startsWith("the prompt is empty")));
		for (String path : new String[] { "/pause", "/resume", "/run-now" }) {
			this.mvc.perform(post("/api/schedules/424242" + path))
				.andExpect(status().isNotFound())
				.andExpect(jsonPath("$.type").value(ProblemTypes.SCHEDULE_NOT_FOUND.toString()));
		}
		this.mvc.perform(delete("/api/schedules/424242")).andExpect(status().isNotFound());
		this.mvc.perform(get("/api/report").param("since", "yesterday"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(containsString("is not a valid since: use an ISO-8601 instant")));
	}

	@Test
	void runNowWhileThePreviousRunIsQueuedAnswers409WithWhatToDo() throws Exception {
		String created = this.mvc
			.perform(post("/api/schedules").contentType(MediaType.APPLICATION_JSON)
				.content("{\"cron\":\"@weekly\",\"prompt\":\"once at a time\"}"))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		long id = JSON.readTree(created).get("id").asLong();
		this.mvc.perform(post("/api/schedules/" + id + "/run-now")).andExpect(status().isCreated());

		this.mvc.perform(post("/api/schedules/" + id + "/run-now"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value(ProblemTypes.CONFLICT.toString()))
			.andExpect(jsonPath("$.detail").value(containsString("its overlap policy is skip")));
	}

}
