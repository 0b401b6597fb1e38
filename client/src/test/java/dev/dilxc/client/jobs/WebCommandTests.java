package dev.dilxc.client.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.dilxc.api.WebAccess;
import dev.dilxc.client.testing.ClientTestbed;
import dev.dilxc.client.testing.InProcessClient.Result;

/**
 * {@code web} against a fake daemon: the address when the port is on, else how to read
 * the pages or turn it on.
 */
class WebCommandTests {

	@RegisterExtension
	final ClientTestbed testbed = new ClientTestbed();

	@Test
	void withThePortOnItPrintsTheAddressWithItsToken() {
		this.testbed.routes()
			.json("GET /api/system/web", 200,
					new WebAccess(true, "http://127.0.0.1:8765/ui/?token=ab12", "/run/user/0/dilxc/daemon.sock"));
		Result result = this.testbed.client().run("web");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("http://127.0.0.1:8765/ui/?token=ab12\n");
		assertThat(this.testbed.daemon().onlyRequest().target()).isEqualTo("/api/system/web");
	}

	@Test
	void withThePortOffItSaysHowToReadThePagesOnTheSocketOrTurnThePortOn() {
		this.testbed.routes()
			.json("GET /api/system/web", 200, new WebAccess(false, null, "/run/user/0/dilxc/daemon.sock"));
		Result result = this.testbed.client().run("web");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).contains("curl --unix-socket /run/user/0/dilxc/daemon.sock http://localhost/ui/",
				"~/.config/dilxc/application.yml", "port: 8765");
	}

	@Test
	void jsonPrintsTheDaemonsAnswer() {
		this.testbed.routes().json("GET /api/system/web", 200, new WebAccess(false, null, "/s.sock"));
		assertThat(this.testbed.client().run("web", "--json").out()).contains("\"tcp\"", "false", "\"/s.sock\"");
	}

}
