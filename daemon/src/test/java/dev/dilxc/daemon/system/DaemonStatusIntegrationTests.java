package dev.dilxc.daemon.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import dev.dilxc.api.DaemonStatus;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.testing.DaemonTestProperties;

import tools.jackson.databind.json.JsonMapper;

/**
 * With the real LXD of the test host, the status report says it is reachable and gives
 * its version.
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK)
class DaemonStatusIntegrationTests {

	@TempDir
	static Path data;

	@Autowired
	private WebApplicationContext context;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("spring.quartz.auto-startup", () -> "false");
	}

	@Test
	void statusSaysLxdIsReachableWithItsVersion() throws Exception {
		String body = MockMvcBuilders.webAppContextSetup(this.context)
			.build()
			.perform(get("/api/system/status"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		DaemonStatus status = JsonMapper.builder().build().readValue(body, DaemonStatus.class);
		assertThat(status.lxdReachable())
			.as("LXD must run on the test host (bash provisioning/test-host.sh): " + status.lxdError())
			.isTrue();
		assertThat(status.lxdVersion()).matches("\\d+\\.\\d+.*");
		assertThat(status.lxdError()).isNull();
		assertThat(status.queuedJobs()).isZero();
		assertThat(status.runningJobs()).isEmpty();
		assertThat(status.nextSchedule()).isNull();
	}

}
