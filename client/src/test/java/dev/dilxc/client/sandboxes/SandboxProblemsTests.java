package dev.dilxc.client.sandboxes;

import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.testing.ClientTestbed;
import dev.dilxc.client.testing.FakeDaemon.Response;
import dev.dilxc.client.testing.InProcessClient.Result;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every problem type a sandbox request can come back with: its exit code and the daemon's
 * detail, one line.
 */
class SandboxProblemsTests {

	@RegisterExtension
	final ClientTestbed testbed = new ClientTestbed();

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					sandbox-not-found   | 404 | 3  | sandbox 'web' does not exist: create it with 'dilxc-client init -p /path/to/project -n web'
					snapshot-not-found  | 404 | 3  | sandbox 'web' has no snapshot 'x'
					not-found           | 404 | 3  | no operation 12
					sandbox-not-running | 409 | 4  | sandbox 'web' is stopped (not running): start it with 'dilxc-client @web start'
					sandbox-busy        | 409 | 4  | job 4 is running in 'web'
					snapshot-exists     | 409 | 4  | sandbox 'web' already has a snapshot 'x'
					conflict            | 409 | 4  | host port 3000 is already proxied
					invalid-request     | 400 | 2  | the daemon rejected the request: bad port
					lxd-unavailable     | 503 | 70 | the daemon cannot use LXD: lxc not found
					internal-error      | 500 | 70 | the daemon failed: boom (its log has the details)
					""")
	void problemTypeMapsToItsExitCodeAndMessage(String type, int status, int exitCode, String message) {
		String detail = switch (type) {
			case "invalid-request" -> "bad port";
			case "lxd-unavailable" -> "lxc not found";
			case "internal-error" -> "boom";
			default -> message;
		};
		this.testbed.daemon().answer(request -> Response.problem(status, type, detail));
		Result result = this.testbed.client().run("@web", "status");
		assertThat(result.exitCode()).isEqualTo(exitCode);
		assertThat(result.out()).isEmpty();
		assertThat(result.err()).isEqualTo("dilxc-client: " + message + "\n");
	}

	@ParameterizedTest
	@CsvSource({ "start", "stop", "restart", "status", "snapshots", "health-check", "sync" })
	void missingSandboxIsNotFoundForEveryCommand(String command) {
		this.testbed.daemon()
			.answer(request -> Response.problem(404, "sandbox-not-found", "sandbox 'ghost' does not exist"));
		Result result = this.testbed.client().run("@ghost", command);
		assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
		assertThat(result.err()).isEqualTo("dilxc-client: sandbox 'ghost' does not exist\n");
	}

}
