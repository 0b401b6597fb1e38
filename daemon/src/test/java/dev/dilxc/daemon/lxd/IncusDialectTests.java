package dev.dilxc.daemon.lxd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.daemon.process.ProcessRunner;

/**
 * The adapter's Incus spelling: its snapshot verbs, and its error texts read as LXD's
 * (the texts are Incus 6.0.4's, recorded in docs/incus-notes.md). Played by a stand-in
 * for {@code incus} that records its argv and answers as Incus does.
 */
class IncusDialectTests {

	private static final InstanceName BOX = new InstanceName("box-1");

	@TempDir
	Path dir;

	@Test
	void theDialectIsToldByTheClientsFileName() {
		assertThat(LxdBackend.ofExecutable("lxc")).isEqualTo(LxdBackend.LXD);
		assertThat(LxdBackend.ofExecutable("/usr/bin/lxc")).isEqualTo(LxdBackend.LXD);
		assertThat(LxdBackend.ofExecutable("incus")).isEqualTo(LxdBackend.INCUS);
		assertThat(LxdBackend.ofExecutable("/usr/bin/incus")).isEqualTo(LxdBackend.INCUS);
	}

	@Test
	void snapshotVerbsAreIncusSnapshotSubcommandsAndTheOtherVerbsAreUnchanged() {
		assertThat(new LxdCommand.CreateSnapshot(BOX, "s").arguments(LxdBackend.INCUS)).containsExactly("snapshot",
				"create", "box-1", "s");
		assertThat(new LxdCommand.RestoreSnapshot(BOX, "s").arguments(LxdBackend.INCUS)).containsExactly("snapshot",
				"restore", "box-1", "s");
		assertThat(new LxdCommand.RenameSnapshot(BOX, "s", "t").arguments(LxdBackend.INCUS)).containsExactly("snapshot",
				"rename", "box-1", "s", "t");
		assertThat(new LxdCommand.DeleteSnapshot(BOX, "s").arguments(LxdBackend.INCUS)).containsExactly("snapshot",
				"delete", "box-1", "s");
		assertThat(new LxdCommand.RenameSnapshot(BOX, "s", "t").arguments(LxdBackend.LXD)).containsExactly("rename",
				"box-1/s", "box-1/t");
		LxdCommand.StartInstance start = new LxdCommand.StartInstance(BOX);
		assertThat(start.arguments(LxdBackend.INCUS)).isEqualTo(start.arguments());
	}

	@Test
	void aSnapshotNameTakenOnIncusIsASnapshotThatExists() throws Exception {
		CliLxd incus = incusAnswering(1,
				"Error: Failed creating instance snapshot record \"s\": Failed to create"
						+ " \"instances_snapshots\" entry: UNIQUE constraint failed: instances_snapshots.instance_id,"
						+ " instances_snapshots.name");

		assertThatExceptionOfType(SnapshotExistsException.class).isThrownBy(() -> incus.createSnapshot(BOX, "s"));
		assertThat(Files.readString(this.dir.resolve("calls"))).isEqualTo("snapshot create box-1 s\n");
	}

	@Test
	void aPathMissingOnIncusIsReportedAsMissingInTheInstance() throws Exception {
		CliLxd incus = incusAnswering(1, "Error: file does not exist");

		assertThatExceptionOfType(LxdOperationFailedException.class)
			.isThrownBy(() -> incus.pullFile(BOX, "/nowhere", this.dir.resolve("out")))
			.withMessage("'/nowhere' does not exist in instance 'box-1'");
	}

	@Test
	void anIncusDaemonThatIsDownIsUnavailable() throws Exception {
		CliLxd incus = incusAnswering(1,
				"Error: The incus daemon doesn't appear to be started (socket path: /run/incus.sock)");

		assertThatExceptionOfType(LxdUnavailableException.class).isThrownBy(() -> incus.deleteSnapshot(BOX, "s"));
	}

	private CliLxd incusAnswering(int exitCode, String stderr) throws Exception {
		Files.writeString(this.dir.resolve("stderr"), stderr + "\n");
		Path script = this.dir.resolve("incus");
		Files.writeString(script, """
				#!/bin/sh
				echo "$*" >> '%1$s/calls'
				cat '%1$s/stderr' >&2
				exit %2$d
				""".formatted(this.dir, exitCode));
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
		return new CliLxd(
				new ProcessRunner(), new LxdProperties(LxdProperties.BackendChoice.AUTO, script.toString(),
						Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10)),
				JsonMapper.builder().build());
	}

}
