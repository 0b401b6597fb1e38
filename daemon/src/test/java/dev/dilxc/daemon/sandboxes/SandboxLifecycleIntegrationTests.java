package dev.dilxc.daemon.sandboxes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Path;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import dev.dilxc.api.JobView;
import dev.dilxc.api.ProblemTypes;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.jobs.JobQueue;
import dev.dilxc.daemon.testing.Await;
import dev.dilxc.daemon.testing.CoreSandboxes;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.Lxc;

/**
 * list, describe, start/stop/restart (idempotent) and destroy over the API, on real LXD.
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK)
class SandboxLifecycleIntegrationTests {

	@TempDir
	static Path data;

	@Autowired
	private WebApplicationContext context;

	@Autowired
	private JobQueue jobs;

	@Autowired
	private Operations operations;

	private MockMvc mvc;

	private String name;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
	}

	@BeforeEach
	void setUp() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).build();
		this.name = CoreSandboxes.launch("life");
	}

	@AfterEach
	void tearDown() {
		CoreSandboxes.delete(this.name, this.jobs);
	}

	@Test
	void listAndDescribeShowTheInstanceUnmanagedAndAMissingOneIs404SandboxNotFound() throws Exception {
		this.mvc.perform(get("/api/sandboxes"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[?(@.name == '" + this.name + "')].status").value("RUNNING"))
			.andExpect(jsonPath("$[?(@.name == '" + this.name + "')].managed").value(false));
		this.mvc.perform(get("/api/sandboxes/" + this.name))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.name").value(this.name))
			.andExpect(jsonPath("$.createdAt").isNotEmpty())
			.andExpect(jsonPath("$.processes").isNumber());
		this.mvc.perform(get("/api/sandboxes/core-missing-0000"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value(ProblemTypes.SANDBOX_NOT_FOUND.toString()))
			.andExpect(jsonPath("$.detail").value(Matchers.containsString("init")));
		this.mvc.perform(get("/api/sandboxes/bad_name"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value(ProblemTypes.INVALID_REQUEST.toString()));
	}

	@Test
	void startStopAndRestartAskForAnEndStateSoRepeatingThemIsNotAnError() throws Exception {
		lifecycle("start").andExpect(status().isOk()).andExpect(jsonPath("$.status").value("RUNNING"));
		lifecycle("stop").andExpect(status().isOk()).andExpect(jsonPath("$.status").value("STOPPED"));
		assertThat(lxdStatus()).isEqualTo("STOPPED");
		lifecycle("stop").andExpect(status().isOk()).andExpect(jsonPath("$.status").value("STOPPED"));
		lifecycle("restart").andExpect(status().isOk()).andExpect(jsonPath("$.status").value("RUNNING"));
		assertThat(lxdStatus()).isEqualTo("RUNNING");
		lifecycle("restart").andExpect(status().isOk()).andExpect(jsonPath("$.status").value("RUNNING"));
		lifecycle("start").andExpect(status().isOk()).andExpect(jsonPath("$.status").value("RUNNING"));
		this.mvc.perform(post("/api/sandboxes/core-missing-0000/start"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value(ProblemTypes.SANDBOX_NOT_FOUND.toString()));
	}

	@Test
	void destroyIsRefusedBusyWhileAJobIsQueuedThenDeletesTheSandbox() throws Exception {
		JobView job = this.jobs.submit(new SubmitJobRequest("do things", this.name, null, null));

		this.mvc.perform(delete("/api/sandboxes/" + this.name))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value(ProblemTypes.SANDBOX_BUSY.toString()))
			.andExpect(jsonPath("$.detail").value(Matchers.containsString("job(s) " + job.id())));
		assertThat(CoreSandboxes.exists(this.name)).isTrue();

		this.jobs.cancel(job.id());
		this.mvc.perform(delete("/api/sandboxes/" + this.name)).andExpect(status().isNoContent());
		assertThat(CoreSandboxes.exists(this.name)).isFalse();
		this.mvc.perform(delete("/api/sandboxes/" + this.name))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value(ProblemTypes.SANDBOX_NOT_FOUND.toString()));
	}

	@Test
	void updateOfAStoppedSandboxIsRefused409NotRunning() throws Exception {
		Lxc.run("stop", "--force", this.name).orFail("stop");
		this.mvc
			.perform(post("/api/sandboxes/" + this.name + "/update").contentType(MediaType.APPLICATION_JSON)
				.content("{}"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value(ProblemTypes.SANDBOX_NOT_RUNNING.toString()));
	}

	@Test
	void updateWithoutNetworkFailsWithNpmsLastLinesAndTheFixAndKeepsTheInstalledVersion() throws Exception {
		String golden = CoreSandboxes.launch("upd", CoreSandboxes.image());
		try {
			String body = this.mvc
				.perform(post("/api/sandboxes/" + golden + "/update").contentType(MediaType.APPLICATION_JSON)
					.content("{}"))
				.andExpect(status().isAccepted())
				.andExpect(jsonPath("$.kind").value("update"))
				.andReturn()
				.getResponse()
				.getContentAsString();
			long id = Long.parseLong(body.replaceAll("(?s).*\"id\":(\\d+).*", "$1"));
			Operation done = awaitEnd(id);

			assertThat(done.view().state()).isEqualTo(dev.dilxc.api.OperationState.FAILED);
			assertThat(done.view().error()).contains("updating Claude Code failed", "Last lines", "Fix:");
			if (!CoreSandboxes.image().equals(dev.dilxc.daemon.testing.TestSandbox.IMAGE)) {
				assertThat(done.view().error()).contains("the sandbox has no network");
				assertThat(done.eventsAfter(0)).extracting(dev.dilxc.api.OperationEvent::text)
					.anySatisfy((t) -> assertThat(t).startsWith("before: ").contains("Claude Code"));
			}
		}
		finally {
			CoreSandboxes.delete(golden);
		}
	}

	private Operation awaitEnd(long id) {
		Operation operation = this.operations.find(id).orElseThrow();
		Await.until("operation " + id + " to end and free its sandbox", java.time.Duration.ofMinutes(5),
				java.time.Duration.ofMillis(100), operation::view,
				(view) -> view.state().isTerminal() && !this.operations.isBusy(view.sandbox()));
		return operation;
	}

	private ResultActions lifecycle(String verb) throws Exception {
		return this.mvc.perform(post("/api/sandboxes/" + this.name + "/" + verb));
	}

	private String lxdStatus() {
		return Lxc.run("query", "/1.0/instances/" + this.name)
			.orFail("query")
			.stdout()
			.replaceAll("(?s).*\"status\":\\s*\"(\\w+)\".*", "$1")
			.toUpperCase(java.util.Locale.ROOT);
	}

}
