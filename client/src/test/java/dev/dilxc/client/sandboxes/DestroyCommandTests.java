package dev.dilxc.client.sandboxes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.dilxc.api.SandboxView;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.testing.ClientTestbed;
import dev.dilxc.client.testing.FakeDaemon;
import dev.dilxc.client.testing.FakeDaemon.Response;
import dev.dilxc.client.testing.InProcessClient.Result;
import dev.dilxc.client.testing.Sandboxes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

class DestroyCommandTests {

	@RegisterExtension
	final ClientTestbed testbed = new ClientTestbed();

	private Path project;

	@BeforeEach
	void webIsAManagedSandboxOfTheProject() throws IOException {
		this.project = Files.createDirectories(this.testbed.dir().resolve("proj"));
		SandboxView web = Sandboxes.running("web");
		this.testbed.routes()
			.json("GET /api/sandboxes/web", 200,
					new SandboxView(web.name(), web.status(), true, web.image(), this.project.toString(), null,
							web.ipv4(), null, null, null, null, null, web.createdAt(), web.snapshots(), null));
		this.testbed.routes().noContent("DELETE /api/sandboxes/web");
	}

	@Test
	void destroyWhenTheTypedNameMatchesDeletesAndRemovesTheProjectPointer() throws IOException {
		Files.writeString(this.project.resolve(".dilxc"), "web\n");
		Result result = this.testbed.client().stdin("web\n").run("@web", "destroy");
		assertThat(result.exitCode()).isZero();
		assertThat(result.err()).isEqualTo("Warning: this permanently deletes sandbox 'web' and all its snapshots.\n"
				+ "Type the sandbox name to confirm: ");
		assertThat(result.out()).isEqualTo("Sandbox 'web' destroyed\nRemoved " + this.project.resolve(".dilxc") + "\n");
		assertThat(this.testbed.daemon().requests()).extracting(r -> r.method() + " " + r.target())
			.containsExactly("GET /api/sandboxes/web", "DELETE /api/sandboxes/web");
		assertThat(this.project.resolve(".dilxc")).doesNotExist();
	}

	@Test
	void destroyKeepsAPointerThatNamesAnotherSandbox() throws IOException {
		Files.writeString(this.project.resolve(".dilxc"), "other\n");
		Result result = this.testbed.client().stdin("web\n").run("destroy", "web");
		assertThat(result.exitCode()).isZero();
		assertThat(this.project.resolve(".dilxc")).hasContent("other");
	}

	@Test
	void destroyWhenTheTypedNameDiffersAbortsWithExit1AndDeletesNothing() {
		Result result = this.testbed.client().stdin("wbe\n").run("@web", "destroy");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
		assertThat(result.out()).isEmpty();
		assertThat(result.err()).endsWith("dilxc-client: Aborted. Nothing was deleted.\n");
		assertThat(this.testbed.daemon().requests()).extracting(FakeDaemon.Request::method).doesNotContain("DELETE");
	}

	@Test
	void destroyAtEndOfInputAbortsWithExit1() {
		Result result = this.testbed.client().run("@web", "destroy");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
		assertThat(result.err())
			.endsWith("dilxc-client: Aborted. Nothing was deleted (no confirmation: end of input).\n");
		assertThat(this.testbed.daemon().requests()).extracting(FakeDaemon.Request::method).doesNotContain("DELETE");
	}

	@Test
	void destroyExplicitNameWinsOverTheSelection() {
		Result result = this.testbed.client().env("DILXC_CONTAINER", "other").stdin("web\n").run("destroy", "web");
		assertThat(result.exitCode()).isZero();
		assertThat(this.testbed.daemon().requests()).extracting(FakeDaemon.Request::target)
			.containsOnly("/api/sandboxes/web");
	}

	@Test
	void destroyWithConfirmDeletesWithoutAsking() {
		Result result = this.testbed.client().run("@web", "destroy", "--confirm", "web");
		assertThat(result.exitCode()).isZero();
		assertThat(result.err()).isEmpty();
		assertThat(result.out()).startsWith("Sandbox 'web' destroyed\n");
	}

	@Test
	void destroyWithAMismatchedConfirmIsBadInputAndDeletesNothing() {
		Result result = this.testbed.client().run("@web", "destroy", "--confirm", "other");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err())
			.isEqualTo("dilxc-client: --confirm 'other' does not match the sandbox 'web'; nothing was deleted\n");
		assertThat(this.testbed.daemon().requests()).extracting(FakeDaemon.Request::method).doesNotContain("DELETE");
	}

	@Test
	void destroyWhenTheDaemonFailsReportsTheFailureNotSuccess() {
		this.testbed.routes()
			.on("DELETE /api/sandboxes/web", Response.problem(500, "internal-error", "lxc delete failed"));
		Result result = this.testbed.client().run("@web", "destroy", "--confirm", "web");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.INTERNAL_ERROR);
		assertThat(result.out()).isEmpty();
		assertThat(result.err()).contains("lxc delete failed");
	}

	@Test
	void destroyOfAMissingSandboxIsNotFound() {
		Result result = this.testbed.client().run("destroy", "ghost", "--confirm", "ghost");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
		assertThat(this.testbed.daemon().requests()).extracting(FakeDaemon.Request::method).containsExactly("GET");
	}

	@Test
	void destroyOfABadNameIsBadInput() {
		Result result = this.testbed.client().run("destroy", "bad_name");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).contains("bad sandbox name 'bad_name' from the NAME argument");
	}

}
