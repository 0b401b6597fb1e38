package dev.dilxc.daemon.snapshots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
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
import dev.dilxc.daemon.testing.CoreSandboxes;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.Lxc;

/**
 * The user's snapshots over the API on real LXD: names, restore round trips, delete, and
 * the refusals.
 */
@SpringBootTest(classes = { DaemonApplication.class, SandboxSnapshotsIntegrationTests.FrozenClock.class },
		webEnvironment = SpringBootTest.WebEnvironment.MOCK,
		properties = "spring.main.allow-bean-definition-overriding=true")
class SandboxSnapshotsIntegrationTests {

	/**
	 * Local 2026-03-04 05:06:07 in the daemon's zone, and it never moves: every auto name
	 * falls in one second.
	 */
	static final Instant NOW = LocalDateTime.of(2026, 3, 4, 5, 6, 7).atZone(ZoneId.systemDefault()).toInstant();

	@TestConfiguration(proxyBeanMethods = false)
	static class FrozenClock {

		@Bean
		Clock clock() {
			return Clock.fixed(NOW, ZoneOffset.UTC);
		}

	}

	private static final String FILE = "/root/state.txt";

	@TempDir
	static Path data;

	@Autowired
	private WebApplicationContext context;

	@Autowired
	private JobQueue jobs;

	private MockMvc mvc;

	private String name;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("dilxc.snapshots.keep-pre-restore", () -> "2");
	}

	@BeforeEach
	void setUp() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).build();
		this.name = CoreSandboxes.launch("snap");
	}

	@AfterEach
	void tearDown() {
		CoreSandboxes.delete(this.name, this.jobs);
	}

	@Test
	void autoNamesTakenInTheSameSecondNeverCollide() throws Exception {
		create(null).andExpect(status().isCreated()).andExpect(jsonPath("$.name").value("snap-20260304-050607"));
		create(null).andExpect(status().isCreated()).andExpect(jsonPath("$.name").value("snap-20260304-050607-2"));
		create("").andExpect(status().isCreated()).andExpect(jsonPath("$.name").value("snap-20260304-050607-3"));

		assertThat(Lxc.snapshots(this.name)).contains("snap-20260304-050607", "snap-20260304-050607-2",
				"snap-20260304-050607-3");
		this.mvc.perform(get(snapshots()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[*].name").value(Matchers.hasItems("snap-20260304-050607", "snap-20260304-050607-3")))
			.andExpect(jsonPath("$[0].createdAt").isNotEmpty());
	}

	@Test
	void explicitNamesAreValidatedAndATakenNameIs409SnapshotExists() throws Exception {
		create("before-refactor").andExpect(status().isCreated())
			.andExpect(jsonPath("$.name").value("before-refactor"))
			.andExpect(jsonPath("$.jobId").doesNotExist());
		create("before-refactor").andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value(ProblemTypes.SNAPSHOT_EXISTS.toString()));
		create("a/b").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value(ProblemTypes.INVALID_REQUEST.toString()))
			.andExpect(jsonPath("$.detail").value(Matchers.containsString("no '/'")));
		this.mvc.perform(get("/api/sandboxes/core-missing-0000/snapshots"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value(ProblemTypes.SANDBOX_NOT_FOUND.toString()));
	}

	@Test
	void restoreOfARunningSandboxBringsTheFileBackKeepsASafetySnapshotAndLeavesItRunning() throws Exception {
		write("v1");
		create("known-good").andExpect(status().isCreated());
		write("v2 changed after the snapshot");

		this.mvc.perform(post(snapshots() + "/known-good/restore"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.snapshot").value("known-good"))
			.andExpect(jsonPath("$.safetySnapshot").value("pre-restore-20260304-050607"))
			.andExpect(jsonPath("$.status").value("RUNNING"));

		CoreSandboxes.awaitExec(this.name);
		assertThat(Lxc.exec(this.name, "cat", FILE)).isEqualTo("v1");
		assertThat(Lxc.snapshots(this.name)).contains("pre-restore-20260304-050607");
		// The safety snapshot holds the state the restore replaced: restoring it undoes
		// the restore.
		this.mvc.perform(post(snapshots() + "/pre-restore-20260304-050607/restore"))
			.andExpect(jsonPath("$.safetySnapshot").value("pre-restore-20260304-050607-2"));
		CoreSandboxes.awaitExec(this.name);
		assertThat(Lxc.exec(this.name, "cat", FILE)).isEqualTo("v2 changed after the snapshot");
	}

	@Test
	void restoresKeepOnlyTheNewestPreRestoreSnapshotsAndNothingElseGoes() throws Exception {
		create("known-good").andExpect(status().isCreated());
		for (String safety : new String[] { "pre-restore-20260304-050607", "pre-restore-20260304-050607-2",
				"pre-restore-20260304-050607-3" }) {
			this.mvc.perform(post(snapshots() + "/known-good/restore"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.safetySnapshot").value(safety));
		}

		// keep-pre-restore is 2 here: the oldest went with the third restore.
		assertThat(Lxc.snapshots(this.name))
			.contains("known-good", "pre-restore-20260304-050607-2", "pre-restore-20260304-050607-3")
			.doesNotContain("pre-restore-20260304-050607");
	}

	@Test
	void restoreOfAStoppedSandboxLeavesItStopped() throws Exception {
		write("v1");
		create("known-good").andExpect(status().isCreated());
		write("v2");
		Lxc.run("stop", "--force", this.name).orFail("stop");

		this.mvc.perform(post(snapshots() + "/known-good/restore"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("STOPPED"));

		assertThat(Lxc.run("query", "/1.0/instances/" + this.name).stdout()).contains("\"status\": \"Stopped\"");
		Lxc.run("start", this.name).orFail("start");
		CoreSandboxes.awaitExec(this.name);
		assertThat(Lxc.exec(this.name, "cat", FILE)).isEqualTo("v1");
	}

	@Test
	void deleteRemovesTheSnapshotAndMissingSnapshotsAre404SnapshotNotFound() throws Exception {
		create("throwaway").andExpect(status().isCreated());

		this.mvc.perform(delete(snapshots() + "/throwaway")).andExpect(status().isNoContent());

		assertThat(Lxc.snapshots(this.name)).doesNotContain("throwaway");
		this.mvc.perform(delete(snapshots() + "/throwaway"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value(ProblemTypes.SNAPSHOT_NOT_FOUND.toString()));
		this.mvc.perform(post(snapshots() + "/never-taken/restore"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value(ProblemTypes.SNAPSHOT_NOT_FOUND.toString()));
	}

	@Test
	void theSnapshotOfAnUnfinishedJobCannotBeDeletedUntilTheJobEnds() throws Exception {
		JobView job = this.jobs.submit(new SubmitJobRequest("work", this.name, null, null));
		String snapshot = "dilxc-job-" + job.id();
		Lxc.snapshot(this.name, snapshot).orFail("lxc snapshot");
		this.mvc.perform(get(snapshots()))
			.andExpect(jsonPath("$[?(@.name == '" + snapshot + "')].jobId").value((int) job.id()));

		this.mvc.perform(delete(snapshots() + "/" + snapshot))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value(ProblemTypes.SANDBOX_BUSY.toString()))
			.andExpect(jsonPath("$.detail").value(Matchers.containsString("job " + job.id())));
		assertThat(Lxc.snapshots(this.name)).contains(snapshot);

		this.jobs.cancel(job.id());
		this.mvc.perform(delete(snapshots() + "/" + snapshot)).andExpect(status().isNoContent());
		assertThat(Lxc.snapshots(this.name)).doesNotContain(snapshot);
	}

	private ResultActions create(String snapshot) throws Exception {
		String body = (snapshot == null) ? "{}" : "{\"name\": \"" + snapshot + "\"}";
		return this.mvc.perform(post(snapshots()).contentType(MediaType.APPLICATION_JSON).content(body));
	}

	private String snapshots() {
		return "/api/sandboxes/" + this.name + "/snapshots";
	}

	private void write(String content) {
		Lxc.runWithInput(content.getBytes(StandardCharsets.UTF_8), "exec", this.name, "--", "sh", "-c", "cat > " + FILE)
			.orFail("write " + FILE);
	}

}
