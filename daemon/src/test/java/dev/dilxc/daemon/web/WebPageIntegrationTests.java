package dev.dilxc.daemon.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.OverlapPolicy;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.api.ScheduleRequest;
import dev.dilxc.api.ScheduleView;
import dev.dilxc.api.SubmitJobRequest;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.jobs.JobQueue;
import dev.dilxc.daemon.schedules.Schedules;
import dev.dilxc.daemon.schedules.TestSchedules;
import dev.dilxc.daemon.testing.Await;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.Lxc;
import dev.dilxc.daemon.testing.ScriptedSandbox;
import dev.dilxc.daemon.testing.SocketHttp;
import dev.dilxc.daemon.testing.TestSandbox;

/**
 * The morning review in a real browser: a real daemon (real Tomcat on its socket and on a
 * loopback port, real H2, real Quartz, the real worker) has run a real job, the real
 * Claude Code CLI in a {@code dilxc-golden} sandbox with only the model scripted, so its
 * log and diff are real; Debian's headless Chromium opens the tokened address and clicks
 * through the job list, the job and the schedules, taking screenshots. Fails (never
 * skips) without LXD, Chromium or chromedriver.
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class WebPageIntegrationTests {

	private static final String API_KEY = "sk-ant-test-WEBPAGE-5b2e8c1f";

	private static final String CHROMIUM = "/usr/bin/chromium";

	private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	private static final Path SCREENSHOTS = Path.of("target", "web-screenshots");

	@RegisterExtension
	static final ScriptedSandbox agent = new ScriptedSandbox("web-page", API_KEY);

	@TempDir
	static Path data;

	private static int port;

	private static WebDriver browser;

	@Autowired
	private JobQueue queue;

	@Autowired
	private Schedules schedules;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.registerWithWorker(registry, () -> data, () -> agent.sandbox().name());
		registry.add("dilxc.web.port", () -> String.valueOf(port));
	}

	@BeforeAll
	static void browserAndPort() throws IOException {
		for (String program : new String[] { CHROMIUM, CHROMEDRIVER }) {
			assertThat(new File(program).canExecute())
				.as(program + " is missing: run 'apt-get install chromium chromium-driver'")
				.isTrue();
		}
		try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = free.getLocalPort();
		}
		// As init leaves it: the working copy is a git repository with one commit.
		asUser("printf 'one\\ntwo\\n' > notes.txt && git init -q && git add -A"
				+ " && git -c user.name=init -c user.email=init@example.com commit -q -m initial");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		// No sandbox: the tests run as root. No traffic beyond loopback: no updates, sync
		// or metrics.
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--disable-default-apps", "--metrics-recording-only", "--no-proxy-server");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
			.usingAnyFreePort()
			.build();
		browser = new ChromeDriver(service, options);
		browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
	}

	@AfterAll
	static void closeBrowser() {
		if (browser != null) {
			browser.quit();
		}
	}

	@Test
	void aClickThroughTheJobListARealJobsLogAndDiffAndTheSchedules(
			org.springframework.boot.test.system.CapturedOutput output) throws Exception {
		agent.api()
			.scriptBashThenFinish(
					"cd " + TestSandbox.PROJECT + " && echo 'three <b>bold</b>' >> notes.txt"
							+ " && echo fresh > new.txt && cat notes.txt",
					"Added a line to notes.txt and created new.txt.");
		JobView submitted = this.queue.submit(new SubmitJobRequest("add a line to the notes <script>alert(1)</script>",
				null, RestorePolicy.NEVER, 300L));
		JobView job = Await.until("job " + submitted.id() + " to end", Duration.ofMinutes(3), Duration.ofMillis(200),
				() -> this.queue.view(submitted.id()), (view) -> view.state().isTerminal());
		assertThat(job.state()).as(job.reason()).isEqualTo(JobState.SUCCEEDED);
		ScheduleView schedule = TestSchedules.add(this.schedules,
				new ScheduleRequest("0 3 * * *", "Europe/Berlin", null, RestorePolicy.ALWAYS, 1800L, null,
						OverlapPolicy.SKIP, null, null, null, null, "run the tests and fix what fails"));
		try {
			String token = Files.readString(data.resolve("data/web-token")).strip();
			Files.createDirectories(SCREENSHOTS);

			browser.get("http://127.0.0.1:" + port + "/ui/?token=" + token);
			// The token went into a cookie and out of the address.
			assertThat(browser.getCurrentUrl()).isEqualTo("http://127.0.0.1:" + port + "/ui/");
			assertThat(browser.getTitle()).isEqualTo("Jobs · dilxc review");
			assertThat(browser.findElement(By.id("jobs")).getText()).contains("SUCCEEDED", agent.sandbox().name(),
					"add a line to the notes <script>alert(1)</script>");
			screenshot("1-jobs");

			browser.findElement(By.cssSelector("a.job-link[href='/ui/jobs/" + job.id() + "']")).click();
			assertThat(browser.getTitle()).isEqualTo("Job " + job.id() + " · dilxc review");
			assertThat(browser.findElement(By.id("prompt")).getText())
				.isEqualTo("add a line to the notes <script>alert(1)</script>");
			String log = browser.findElement(By.id("log")).getText();
			assertThat(log)
				.contains("init", "Bash", "echo 'three <b>bold</b>' >> notes.txt", "three <b>bold</b>",
						"result: success", "Added a line to notes.txt and created new.txt.")
				.doesNotContain("\"type\":");
			assertThat(browser.findElements(By.cssSelector("#diff .add"))).extracting(WebElementText::of)
				.contains("+three <b>bold</b>", "+fresh");
			assertThat(browser.findElement(By.id("changes")).getText()).contains(" M notes.txt", "?? new.txt",
					"2 files changed");
			// Tall enough to show the log and the diff in one picture
			// (docs/web-review.png).
			browser.manage().window().setSize(new Dimension(1280, 1900));
			byte[] jobShot = screenshot("2-job");
			browser.manage().window().setSize(new Dimension(1280, 1000));

			browser.findElement(By.linkText("Schedules")).click();
			assertThat(browser.getTitle()).isEqualTo("Schedules · dilxc review");
			assertThat(browser.findElement(By.id("schedules")).getText()).contains("0 3 * * *", "Europe/Berlin",
					"run the tests and fix what fails");
			screenshot("3-schedules");

			// The same page on the socket, with no token, as 'curl --unix-socket' gets
			// it.
			String overSocket = overSocket("/ui/jobs/" + job.id());
			assertThat(overSocket).startsWith("HTTP/1.1 200").contains("+three &lt;b&gt;bold&lt;/b&gt;");

			// Neither the page token nor the agent's key reached the daemon's log.
			assertThat(output.getAll()).contains("Job " + job.id() + " ended SUCCEEDED").doesNotContain(token, API_KEY);

			// The picture in README.md and docs/schedules.md: written when missing or
			// asked for (-Ddilxc.docs.screenshot=true), so an
			// ordinary run leaves the checkout clean.
			Path docs = Path.of("..", "docs", "web-review.png");
			if (!Files.exists(docs) || Boolean.getBoolean("dilxc.docs.screenshot")) {
				Files.createDirectories(docs.getParent());
				Files.write(docs, jobShot);
			}
		}
		finally {
			TestSchedules.remove(this.schedules, schedule.id());
		}
	}

	/**
	 * A PNG of the window, saved under target/web-screenshots and checked to be a real,
	 * full-size picture.
	 */
	private static byte[] screenshot(String name) throws IOException {
		byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
		Files.write(SCREENSHOTS.resolve(name + ".png"), png);
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
		assertThat(image).as(name + " is a PNG").isNotNull();
		assertThat(image.getWidth()).isGreaterThanOrEqualTo(1000);
		assertThat(image.getHeight()).isGreaterThanOrEqualTo(700);
		assertThat(png.length).as(name + " shows more than a blank page").isGreaterThan(20_000);
		return png;
	}

	/** One GET over the daemon's Unix socket, answer as text. */
	private static String overSocket(String path) throws IOException {
		return SocketHttp.get(data.resolve("run/daemon.sock"), path);
	}

	private static String asUser(String script) {
		return Lxc
			.run("exec", agent.sandbox().name(), "--user", "1000", "--group", "1000", "--cwd", TestSandbox.PROJECT,
					"--env", "HOME=/home/ubuntu", "--", "sh", "-c", script)
			.orFail(script)
			.stdout();
	}

	private static final class WebElementText {

		static String of(org.openqa.selenium.WebElement element) {
			return element.getText();
		}

	}

}
