package dev.dilxc.daemon.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.head;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Timestamp;
import java.time.Instant;

import jakarta.servlet.http.Cookie;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import dev.dilxc.api.JobView;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.jobs.JobQueue;
import dev.dilxc.daemon.leases.SandboxQuarantines;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import tools.jackson.databind.json.JsonMapper;

/**
 * The review pages and their TCP guard, through the real filter chain with the real H2
 * (no LXD: jobs stay queued, their output and changes are written as the recorder would
 * store them).
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK)
class WebTests {

	private static final int PORT = 48211;

	private static final String SCRIPT = "<script>alert('x')</script>";

	@TempDir
	static Path data;

	@Autowired
	private WebApplicationContext context;

	@Autowired
	private JobQueue queue;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private SandboxQuarantines quarantines;

	private MockMvc mvc;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("dilxc.jobs.default-sandbox", () -> "web-pages");
		registry.add("spring.quartz.auto-startup", () -> "false");
		// MOCK starts no connector, so the port is only what the filter compares requests
		// against.
		registry.add("dilxc.web.port", () -> String.valueOf(PORT));
		registry.add("dilxc.web.token-file", () -> data.resolve("secret/web-token").toString());
	}

	@BeforeEach
	void mockMvc() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context)
			.addFilters(this.context
				.getBean("webAccessFilter", org.springframework.boot.web.servlet.FilterRegistrationBean.class)
				.getFilter())
			.build();
	}

	@Test
	void aPromptWithMarkupIsShownAsTextInTheJobList() throws Exception {
		JobView job = this.queue.submit(new SubmitJobRequest("fix it " + SCRIPT, null, RestorePolicy.NEVER, 300L));

		this.mvc.perform(get("/ui/"))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("text/html"))
			.andExpect(content().string(allOf(containsString("<title>Jobs · dilxc review</title>"),
					containsString("href=\"/ui/jobs/" + job.id() + "\""),
					containsString("fix it &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
					not(containsString(SCRIPT)))));
	}

	@Test
	void aJobPageRendersTheLogAndTheDiffWithMarkupEscaped() throws Exception {
		JobView job = this.queue.submit(new SubmitJobRequest("page " + SCRIPT, null, RestorePolicy.NEVER, 300L));
		long id = job.id();
		output(id, 1, "stdout",
				"{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"s-1\",\"model\":\"m\",\"cwd\":\"/p\"}");
		output(id, 2, "stdout",
				"{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"I will write "
						+ "<script>evil()</script> now\"},{\"type\":\"tool_use\",\"name\":\"Bash\",\"input\":{\"command\":\"echo '<b>' > x.html\"}}]}}");
		output(id, 3, "stdout",
				"{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"content\":\"wrote <img src=x>\"}]}}");
		output(id, 4, "stdout", "{\"type\":\"stream_event\",\"event\":{}}");
		output(id, 5, "stderr", "warn <i>");
		output(id, 6, "stdout",
				"{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"All <done>.\"}");
		this.jdbc.update(
				"INSERT INTO job_changes (job_id, git_repository, base_commit, status, diff_stat, diff, files, captured_at)"
						+ " VALUES (?, TRUE, 'abc', ?, ?, ?, ?, ?)",
				id, "?? x.html", " x.html | 1 +", """
						diff --git a/x.html b/x.html
						@@ -0,0 +1 @@
						+<script>added()</script>
						-<b>removed</b>
						""", "x.html", Timestamp.from(Instant.now()));

		this.mvc.perform(get("/ui/jobs/" + id))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("<title>Job " + id + " · dilxc review</title>"),
					containsString("I will write &lt;script&gt;evil()&lt;/script&gt; now"),
					containsString("echo &#39;&lt;b&gt;&#39; &gt; x.html"),
					containsString("wrote &lt;img src&#x3D;x&gt;"), containsString("warn &lt;i&gt;"),
					containsString("All &lt;done&gt;."), containsString("session s-1"),
					containsString("<span class=\"add\">+&lt;script&gt;added()&lt;/script&gt;</span>"),
					containsString("<span class=\"del\">-&lt;b&gt;removed&lt;/b&gt;</span>"),
					containsString("<span class=\"hunk\">@@ -0,0 +1 @@</span>"), containsString("page &lt;script&gt;"),
					not(containsString("<script>")), not(containsString("<img src=x>")),
					not(containsString("stream_event")))));
	}

	@Test
	void aQuarantinedSandboxIsABannerOnTheJobsPageAndItsJobsPagesWithStepErrorJobAndRepair() throws Exception {
		JobView job = this.queue
			.submit(new SubmitJobRequest("broke it", "web-quarantined", RestorePolicy.ALWAYS, 300L));
		JobView other = this.queue.submit(new SubmitJobRequest("elsewhere", "web-fine", RestorePolicy.NEVER, 300L));
		this.mvc.perform(get("/ui/jobs"))
			.andExpect(status().isOk())
			.andExpect(content().string(not(containsString("Needs attention"))));
		this.quarantines.quarantine("web-quarantined", job.id(), SandboxQuarantines.Step.RESTORE,
				"restoring dilxc-job-" + job.id() + " failed: " + SCRIPT, true, Instant.parse("2026-11-27T10:05:00Z"));
		try {
			this.mvc.perform(get("/ui/jobs"))
				.andExpect(status().isOk())
				.andExpect(content()
					.string(allOf(containsString("class=\"attention\""), containsString("Needs attention"),
							containsString("<strong>web-quarantined</strong>: RESTORE failed for <a href=\"/ui/jobs/"
									+ job.id() + "\" class=\"job-link\">job " + job.id() + "</a>"),
							containsString("failed: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
							not(containsString(SCRIPT)),
							containsString("<code>dilxc-client repair @web-quarantined</code>"),
							containsString("<code>dilxc-client repair @web-quarantined --force</code>"))));
			this.mvc.perform(get("/ui/jobs/" + job.id()))
				.andExpect(status().isOk())
				.andExpect(content().string(containsString("<strong>web-quarantined</strong>: RESTORE failed")));
			this.mvc.perform(get("/ui/jobs/" + other.id()))
				.andExpect(status().isOk())
				.andExpect(content().string(not(containsString("Needs attention"))));
		}
		finally {
			this.quarantines.release("web-quarantined");
		}
	}

	@Test
	void inAClusterTheJobListAndAJobPageNameTheMemberHoldingItsSandboxAndWhyAQueuedJobWaits() throws Exception {
		JobView job = this.queue.submit(new SubmitJobRequest("on a member", "web-cluster", RestorePolicy.NEVER, 300L));
		String away = "member3 cannot be reached (OFFLINE: No heartbeat for 31s)";
		String listOutsideACluster = page("/ui/jobs");
		String pageOutsideACluster = page("/ui/jobs/" + job.id());
		// What the worker writes on a job whose sandbox's member is away (and the claim
		// writes as its member).
		this.jdbc.update("UPDATE jobs SET member = ?, reason = ? WHERE id = ?", "member3", away, job.id());
		try {
			String list = page("/ui/jobs");
			String page = page("/ui/jobs/" + job.id());

			assertThat(list).contains("<td>web-cluster <span class=\"member\">on member3</span></td>");
			assertThat(page).contains(
					"<p>Sandbox <b>web-cluster</b> <span class=\"member\">on cluster member <b>member3</b></span> · trigger manual</p>",
					"<dt>Why it waits</dt><dd>" + away + "</dd>");
		}
		finally {
			this.jdbc.update("UPDATE jobs SET member = NULL, reason = NULL WHERE id = ?", job.id());
		}
		assertThat(listOutsideACluster).contains("<td>web-cluster</td>").doesNotContain("class=\"member\"");
		assertThat(pageOutsideACluster).contains("<p>Sandbox <b>web-cluster</b> · trigger manual</p>")
			.doesNotContain("class=\"member\"", "Why it waits");
	}

	@Test
	void aMissingJobIsANotFoundPageSayingSo() throws Exception {
		this.mvc.perform(get("/ui/jobs/987654"))
			.andExpect(status().isNotFound())
			.andExpect(content().contentTypeCompatibleWith("text/html"))
			.andExpect(content().string(
					allOf(containsString("<title>Job not found · dilxc review</title>"), containsString("987654"))));
	}

	@Test
	void theSchedulesPageListsCronZoneAndPausedState() throws Exception {
		String created = this.mvc.perform(post("/api/schedules").contentType("application/json").content("""
				{"cron":"0 3 * * *","timeZone":"Europe/Berlin","prompt":"nightly <script>alert('x')</script>"}
				""")).andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
		long id = JsonMapper.shared().readTree(created).get("id").asLong();
		this.mvc.perform(post("/api/schedules/" + id + "/pause")).andExpect(status().isOk());
		try {
			this.mvc.perform(get("/ui/schedules"))
				.andExpect(status().isOk())
				.andExpect(content().string(allOf(containsString("<title>Schedules · dilxc review</title>"),
						containsString("<code>0 3 * * *</code>"), containsString("Europe/Berlin"),
						containsString("class=\"state muted\">paused"), containsString("nightly &lt;script&gt;"),
						not(containsString(SCRIPT)))));
		}
		finally {
			this.mvc.perform(
					org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete("/api/schedules/" + id));
		}
	}

	@Test
	void thePagesAreReadOnlyAndCarryHeadersThatKeepThemInert() throws Exception {
		this.mvc.perform(post("/ui/jobs")).andExpect(status().isMethodNotAllowed());
		this.mvc.perform(head("/ui/jobs")).andExpect(status().isOk());
		this.mvc.perform(get("/ui/jobs"))
			.andExpect(header().string("Referrer-Policy", "no-referrer"))
			.andExpect(header().string("Content-Security-Policy", containsString("default-src 'none'")))
			.andExpect(header().string("Cache-Control", "no-store"));
	}

	@Test
	void overTcpAMissingOrWrongTokenIs401WithHowToGetTheAddress() throws Exception {
		this.mvc.perform(tcp(get("/ui/jobs")))
			.andExpect(status().isUnauthorized())
			.andExpect(content().string(containsString("dilxc-client web")));
		this.mvc.perform(tcp(get("/ui/jobs").param("token", "0".repeat(64)))).andExpect(status().isUnauthorized());
		this.mvc.perform(tcp(get("/ui/jobs")).cookie(new Cookie(WebAccessFilter.COOKIE, "nope")))
			.andExpect(status().isUnauthorized());
	}

	@Test
	void overTcpTheRightTokenBecomesACookieAndTheRedirectDropsIt() throws Exception {
		String token = token();
		this.mvc.perform(tcp(get("/ui/jobs?x=1&token=" + token + "&y=2")))
			.andExpect(status().isSeeOther())
			.andExpect(header().string("Location", "/ui/jobs?x=1&y=2"))
			.andExpect(header().string("Set-Cookie", allOf(containsString(WebAccessFilter.COOKIE + "=" + token),
					containsString("HttpOnly"), containsString("SameSite=Strict"), containsString("Path=/ui"))));
		this.mvc.perform(tcp(get("/ui/?token=" + token))).andExpect(header().string("Location", "/ui/"));
		this.mvc.perform(tcp(get("/ui/jobs")).cookie(new Cookie(WebAccessFilter.COOKIE, token)))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("<h1>Jobs</h1>")));
	}

	@Test
	void overTcpAForeignHostTheApiAndWritesAreRefusedEvenWithTheToken() throws Exception {
		Cookie cookie = new Cookie(WebAccessFilter.COOKIE, token());
		this.mvc.perform(tcp(get("/ui/jobs"), "evil.example:" + PORT).cookie(cookie)).andExpect(status().isForbidden());
		this.mvc.perform(tcp(get("/ui/jobs"), "127.0.0.1").cookie(cookie)).andExpect(status().isForbidden());
		this.mvc.perform(tcp(get("/ui/jobs"), "localhost:" + PORT).cookie(cookie)).andExpect(status().isOk());
		this.mvc.perform(tcp(get("/api/jobs")).cookie(cookie)).andExpect(status().isForbidden());
		this.mvc.perform(tcp(get("/api/system/web")).cookie(cookie)).andExpect(status().isForbidden());
		this.mvc.perform(tcp(post("/ui/jobs")).cookie(cookie))
			.andExpect(status().isMethodNotAllowed())
			.andExpect(header().string("Allow", "GET, HEAD"));
		this.mvc.perform(tcp(post("/api/jobs")).cookie(cookie)).andExpect(status().isForbidden());
	}

	@Test
	void socketRequestsNeedNoTokenAndReachTheApi() throws Exception {
		this.mvc.perform(get("/ui/jobs")).andExpect(status().isOk());
		this.mvc.perform(get("/api/system/web"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.tcp").value(true))
			.andExpect(jsonPath("$.url").value("http://127.0.0.1:" + PORT + "/ui/?token=" + token()))
			.andExpect(jsonPath("$.socket").value(data.resolve("run/daemon.sock").toString()));
	}

	@Test
	void theTokenFileIsCreatedPrivateWith256RandomBits() throws Exception {
		Path file = data.resolve("secret/web-token");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(token()).matches("[0-9a-f]{64}");
		assertThat(WebToken.load(file).value()).isEqualTo(token()); // read again, not
																	// replaced
	}

	@Test
	void aPortOutsideTheRangeIsRefusedNamingTheKey() {
		assertThatIllegalArgumentException().isThrownBy(() -> new WebProperties(65536, ""))
			.withMessage("dilxc.web.port must be 0 (off) or a TCP port from 1 to 65535, not 65536");
		assertThatIllegalArgumentException().isThrownBy(() -> new WebProperties(-1, ""));
		assertThat(new WebProperties(0, "").tcpEnabled()).isFalse();
	}

	@Test
	void theRedirectKeepsOtherParametersAndDropsEveryToken() {
		assertThat(WebAccessFilter.withoutToken("/ui/", null)).isEqualTo("/ui/");
		assertThat(WebAccessFilter.withoutToken("/ui/", "token=a&token=b")).isEqualTo("/ui/");
		assertThat(WebAccessFilter.withoutToken("/ui/jobs/3", "a=1&token=z&tokens=2"))
			.isEqualTo("/ui/jobs/3?a=1&tokens=2");
	}

	private static String token() throws Exception {
		return Files.readString(data.resolve("secret/web-token")).strip();
	}

	private static MockHttpServletRequestBuilder tcp(MockHttpServletRequestBuilder request) {
		return tcp(request, "127.0.0.1:" + PORT);
	}

	/** As the loopback connector hands a request on: its local port is the web port. */
	private static MockHttpServletRequestBuilder tcp(MockHttpServletRequestBuilder request, String host) {
		return request.header("Host", host).with((r) -> {
			r.setLocalPort(PORT);
			return r;
		});
	}

	/** A review page as the browser gets it. */
	private String page(String path) throws Exception {
		return this.mvc.perform(get(path)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
	}

	private void output(long jobId, long seq, String stream, String text) {
		this.jdbc.update("INSERT INTO job_output (job_id, seq, at, stream, text) VALUES (?, ?, ?, ?, ?)", jobId, seq,
				Timestamp.from(Instant.now()), stream, text);
	}

}
