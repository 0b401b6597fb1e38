package dev.dilxc.client.sandboxes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.dilxc.api.SandboxView;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.testing.FakeDaemon;
import dev.dilxc.client.testing.FakeDaemon.Response;
import dev.dilxc.client.testing.InProcessClient;
import dev.dilxc.client.testing.InProcessClient.Result;
import dev.dilxc.client.testing.Routes;
import dev.dilxc.client.testing.Sandboxes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class DestroyCommandTests {

	@TempDir
	Path dir;

	private FakeDaemon daemon;

	private InProcessClient client;

	private final Routes routes = new Routes();

	private Path project;

	@BeforeEach
	void startDaemon() throws IOException {
		this.daemon = new FakeDaemon(Files.createDirectories(this.dir.resolve("run")));
		this.daemon.answer(this.routes);
		this.client = new InProcessClient(this.daemon.socket()).workingDirectory(this.dir);
		this.project = Files.createDirectories(this.dir.resolve("proj"));
		SandboxView web = Sandboxes.running("web");
		this.routes.json("GET /api/sandboxes/web", 200, new SandboxView(web.name(), web.status(), true, web.image(),
				this.project.toString(), null, web.ipv4(), null, null, null, null, null, web.createdAt(), web.snapshots()));
		this.routes.noContent("DELETE /api/sandboxes/web");
	}

	@AfterEach
	void stopDaemon() throws IOException {
		this.daemon.close();
	}

	@Test
	void destroyWhenTheTypedNameMatchesDeletesAndRemovesTheProjectPointer() throws IOException {
		Files.writeString(this.project.resolve(".dilxc"), "web\n");
		Result result = this.client.stdin("web\n").run("@web", "destroy");
		assertThat(result.exitCode()).isZero();
		assertThat(result.err()).isEqualTo("Warning: this permanently deletes sandbox 'web' and all its snapshots.\n"
				+ "Type the sandbox name to confirm: ");
		assertThat(result.out()).isEqualTo("Sandbox 'web' destroyed\nRemoved " + this.project.resolve(".dilxc") + "\n");
		assertThat(this.daemon.requests()).extracting(r -> r.method() + " " + r.target())
			.containsExactly("GET /api/sandboxes/web", "DELETE /api/sandboxes/web");
		assertThat(this.project.resolve(".dilxc")).doesNotExist();
	}

	@Test
	void destroyKeepsAPointerThatNamesAnotherSandbox() throws IOException {
		Files.writeString(this.project.resolve(".dilxc"), "other\n");
		Result result = this.client.stdin("web\n").run("destroy", "web");
		assertThat(result.exitCode()).isZero();
		assertThat(this.project.resolve(".dilxc")).hasContent("other");
	}

	@Test
	void destroyWhenTheTypedNameDiffersAbortsWithExit1AndDeletesNothing() {
		Result result = this.client.stdin("wbe\n").run("@web", "destroy");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
		assertThat(result.out()).isEmpty();
		assertThat(result.err()).endsWith("dilxc-client: Aborted. Nothing was deleted.\n");
		assertThat(this.daemon.requests()).extracting(FakeDaemon.Request::method).doesNotContain("DELETE");
	}

	@Test
	void destroyAtEndOfInputAbortsWithExit1() {
		Result result = this.client.run("@web", "destroy");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
		assertThat(result.err()).endsWith("dilxc-client: Aborted. Nothing was deleted (no confirmation: end of input).\n");
		assertThat(this.daemon.requests()).extracting(FakeDaemon.Request::method).doesNotContain("DELETE");
	}

	@Test
	void destroyExplicitNameWinsOverTheSelection() {
		Result result = this.client.env("DILXC_CONTAINER", "other").stdin("web\n").run("destroy", "web");
		assertThat(result.exitCode()).isZero();
		assertThat(this.daemon.requests()).extracting(FakeDaemon.Request::target).containsOnly("/api/sandboxes/web");
	}

	@Test
	void destroyWithConfirmDeletesWithoutAsking() {
		Result result = this.client.run("@web", "destroy", "--confirm", "web");
		assertThat(result.exitCode()).isZero();
		assertThat(result.err()).isEmpty();
		assertThat(result.out()).startsWith("Sandbox 'web' destroyed\n");
	}

	@Test
	void destroyWithAMismatchedConfirmIsBadInputAndDeletesNothing() {
		Result result = this.client.run("@web", "destroy", "--confirm", "other");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).isEqualTo(
				"dilxc-client: --confirm 'other' does not match the sandbox 'web'; nothing was deleted\n");
		assertThat(this.daemon.requests()).extracting(FakeDaemon.Request::method).doesNotContain("DELETE");
	}

	@Test
	void destroyWhenTheDaemonFailsReportsTheFailureNotSuccess() {
		this.routes.on("DELETE /api/sandboxes/web", Response.problem(500, "internal-error", "lxc delete failed"));
		Result result = this.client.run("@web", "destroy", "--confirm", "web");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.INTERNAL_ERROR);
		assertThat(result.out()).isEmpty();
		assertThat(result.err()).contains("lxc delete failed");
	}

	@Test
	void destroyOfAMissingSandboxIsNotFound() {
		Result result = this.client.run("destroy", "ghost", "--confirm", "ghost");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
		assertThat(this.daemon.requests()).extracting(FakeDaemon.Request::method).containsExactly("GET");
	}

	@Test
	void destroyOfABadNameIsBadInput() {
		Result result = this.client.run("destroy", "bad_name");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).contains("bad sandbox name 'bad_name' from the NAME argument");
	}
}
