package dev.dilxc.client.sandboxes;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import dev.dilxc.api.CommandResult;
import dev.dilxc.api.RestoreResult;
import dev.dilxc.api.SnapshotView;
import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.testing.ClientTestbed;
import dev.dilxc.client.testing.FakeDaemon;
import dev.dilxc.client.testing.InProcessClient.Result;
import dev.dilxc.client.testing.Sandboxes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class FileAndSnapshotCommandsTests {

	private static final JsonMapper JSON = ClientCommands.jsonMapper();

	@RegisterExtension
	final ClientTestbed testbed = new ClientTestbed();

	private JsonNode body() {
		return JSON.readTree(this.testbed.daemon().onlyRequest().body());
	}

	@Test
	void syncSendsItsFlagsAndPrintsTheOutputThenTheSummary() {
		this.testbed.routes()
			.json("POST /api/sandboxes/web/sync", 200,
					new CommandResult(0, "sending incremental file list\nsrc/a.txt\n", "Project synced (dry run)"));
		Result result = this.testbed.client().run("@web", "sync", "--force", "--dry-run");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("sending incremental file list\nsrc/a.txt\nProject synced (dry run)\n");
		assertThat(body().get("force").booleanValue()).isTrue();
		assertThat(body().get("dryRun").booleanValue()).isTrue();
	}

	@Test
	void syncWhenRsyncFailsExits1WithTheSummary() {
		this.testbed.routes()
			.json("POST /api/sandboxes/docker-lxc/sync", 200,
					new CommandResult(23, "rsync: permission denied\n", "Sync failed: rsync exited with 23"));
		Result result = this.testbed.client().run("sync");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
		assertThat(result.out()).isEqualTo("rsync: permission denied\n");
		assertThat(result.err()).isEqualTo("dilxc-client: Sync failed: rsync exited with 23\n");
		assertThat(body().get("force").booleanValue()).isFalse();
	}

	@Test
	void syncWhenBusyIsAConflict() {
		this.testbed.routes()
			.on("POST /api/sandboxes/docker-lxc/sync", FakeDaemon.Response.problem(409, "sandbox-busy",
					"job 4 is running in 'docker-lxc'; sync would pull files from under it (--force to sync anyway)"));
		Result result = this.testbed.client().run("sync");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFLICT);
		assertThat(result.err()).contains("--force to sync anyway");
	}

	@Test
	void pullSendsTheSandboxPathAndAnAbsoluteDestinationDefaultingToTheCurrentDirectory() {
		this.testbed.routes()
			.json("POST /api/sandboxes/docker-lxc/pull", 200,
					new CommandResult(0, "", "Pulled dist -> " + this.testbed.dir()));
		Result result = this.testbed.client().run("pull", "dist");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("Pulled dist -> " + this.testbed.dir() + "\n");
		assertThat(body().get("sandboxPath").stringValue()).isEqualTo("dist");
		assertThat(body().get("hostPath").stringValue()).isEqualTo(this.testbed.dir().toString());
	}

	@Test
	void pullRefusedForAPlantedLinkIsAConflictThatNamesTheLink() {
		String detail = "pull of '/home/ubuntu/project/dist' refused, nothing was written to '" + this.testbed.dir()
				+ "/dist': '/home/ubuntu/project/dist/x' is a symbolic link to '/root/.bashrc', outside "
				+ "'/home/ubuntu/project/dist'. Links are copied only when they point inside what is pulled";
		this.testbed.routes()
			.on("POST /api/sandboxes/docker-lxc/pull", FakeDaemon.Response.problem(409, "conflict", detail));
		Result result = this.testbed.client().run("pull", "dist");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFLICT);
		assertThat(result.err()).contains("'/home/ubuntu/project/dist/x' is a symbolic link to '/root/.bashrc'",
				"nothing was written");
		assertThat(result.out()).isEmpty();
	}

	@Test
	void pullMakesAGivenDestinationAbsolute() {
		this.testbed.routes().json("POST /api/sandboxes/docker-lxc/pull", 200, new CommandResult(0, "", "ok"));
		this.testbed.client().run("pull", "/home/ubuntu/project/dist/", "out/dist");
		assertThat(body().get("hostPath").stringValue()).isEqualTo(this.testbed.dir().resolve("out/dist").toString());
	}

	@Test
	void pushSendsTheAbsoluteSourceAndTheProjectAsDefaultDestination() throws IOException {
		Files.writeString(this.testbed.dir().resolve("data.json"), "{}");
		this.testbed.routes().json("POST /api/sandboxes/docker-lxc/push", 200, new CommandResult(0, "", "Pushed"));
		Result result = this.testbed.client().run("push", "data.json");
		assertThat(result.exitCode()).isZero();
		assertThat(body().get("hostPath").stringValue()).isEqualTo(this.testbed.dir().resolve("data.json").toString());
		assertThat(body().get("sandboxPath").stringValue()).isEqualTo("/home/ubuntu/project/");
	}

	@Test
	void pushOfAMissingFileIsBadInputAndSendsNothing() {
		Result result = this.testbed.client().run("push", "nope.txt", "/tmp/");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).isEqualTo("dilxc-client: cannot push " + this.testbed.dir().resolve("nope.txt")
				+ ": no such file or directory\n");
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void pullAndPushWithoutAPathAreBadInput() {
		assertThat(this.testbed.client().run("pull").err())
			.startsWith("dilxc-client: missing path: dilxc-client pull PATH");
		assertThat(this.testbed.client().run("push").exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(this.testbed.client().run("pull", "a", "b", "c").err()).contains("takes PATH and an optional DEST");
	}

	@Test
	void snapshotWithoutANameAsksForAnAutomaticOne() {
		this.testbed.routes()
			.json("POST /api/sandboxes/docker-lxc/snapshots", 201, Sandboxes.snapshot("snap-20261127-100000", null));
		Result result = this.testbed.client().run("snapshot");
		assertThat(result.out()).isEqualTo("Snapshot 'snap-20261127-100000' created\n");
		assertThat(body().get("name").isNull()).isTrue();
	}

	@Test
	void snapshotWithANameSendsIt() {
		this.testbed.routes()
			.json("POST /api/sandboxes/docker-lxc/snapshots", 201, Sandboxes.snapshot("before-upgrade", null));
		this.testbed.client().run("snapshot", "before-upgrade");
		assertThat(body().get("name").stringValue()).isEqualTo("before-upgrade");
	}

	@Test
	void snapshotThatExistsIsAConflict() {
		this.testbed.routes()
			.on("POST /api/sandboxes/docker-lxc/snapshots", FakeDaemon.Response.problem(409, "snapshot-exists",
					"sandbox 'docker-lxc' already has a snapshot 'x'"));
		Result result = this.testbed.client().run("snapshot", "x");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFLICT);
		assertThat(result.err()).isEqualTo("dilxc-client: sandbox 'docker-lxc' already has a snapshot 'x'\n");
	}

	@Test
	void restoreWarnsThenSaysWhereTheSafetySnapshotIs() {
		this.testbed.routes()
			.json("POST /api/sandboxes/web/snapshots/clean-baseline/restore", 200,
					new RestoreResult("clean-baseline", "pre-restore-20261127-100000", "RUNNING"));
		Result result = this.testbed.client().run("@web", "restore", "clean-baseline");
		assertThat(result.exitCode()).isZero();
		assertThat(result.err()).startsWith("Warning: restoring discards everything in sandbox 'web' since snapshot "
				+ "'clean-baseline' was taken.\n");
		assertThat(result.out()).isEqualTo("""
				Restored 'web' to snapshot 'clean-baseline' (RUNNING)
				The state before the restore is in snapshot 'pre-restore-20261127-100000'; undo with: \
				dilxc-client restore pre-restore-20261127-100000
				""");
	}

	@Test
	void restoreWithoutANameListsTheSnapshotsAndExits2() {
		this.testbed.routes()
			.json("GET /api/sandboxes/docker-lxc/snapshots", 200,
					List.of(Sandboxes.snapshot("clean-baseline", null), Sandboxes.snapshot("dilxc-job-3", 3L)));
		Result result = this.testbed.client().run("restore");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).isEqualTo("dilxc-client: missing snapshot name: dilxc-client restore NAME; "
				+ "its snapshots: clean-baseline, dilxc-job-3\n");
	}

	@Test
	void restoreOfAMissingSnapshotIsNotFound() {
		this.testbed.routes()
			.on("POST /api/sandboxes/docker-lxc/snapshots/gone/restore", FakeDaemon.Response.problem(404,
					"snapshot-not-found", "sandbox 'docker-lxc' has no snapshot 'gone'"));
		Result result = this.testbed.client().run("restore", "gone");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
		assertThat(result.err()).endsWith("dilxc-client: sandbox 'docker-lxc' has no snapshot 'gone'\n");
	}

	@Test
	void snapshotsPrintsATableOrJsonOrSaysNone() {
		this.testbed.routes()
			.json("GET /api/sandboxes/web/snapshots", 200,
					List.of(Sandboxes.snapshot("clean-baseline", null), Sandboxes.snapshot("dilxc-job-12", 12L)));
		assertThat(this.testbed.client().run("@web", "snapshots").out()).isEqualTo("""
				NAME            TAKEN                JOB
				clean-baseline  2026-11-20 09:30:00    -
				dilxc-job-12    2026-11-20 09:30:00   12
				""");
		assertThat(JSON.readValue(this.testbed.client().run("@web", "snapshots", "--json").out(), SnapshotView[].class))
			.hasSize(2);
		this.testbed.routes().json("GET /api/sandboxes/empty/snapshots", 200, List.of());
		assertThat(this.testbed.client().run("@empty", "snapshots").out())
			.isEqualTo("no snapshots of sandbox 'empty'\n");
	}

	@Test
	void snapshotDeleteSendsDeleteForTheName() {
		this.testbed.routes().noContent("DELETE /api/sandboxes/docker-lxc/snapshots/old-one");
		Result result = this.testbed.client().run("snapshot-delete", "old-one");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("Snapshot 'old-one' deleted\n");
		assertThat(this.testbed.daemon().onlyRequest().method()).isEqualTo("DELETE");
		assertThat(this.testbed.client().run("snapshot-delete").exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
	}

}
