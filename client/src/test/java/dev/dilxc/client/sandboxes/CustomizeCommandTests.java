package dev.dilxc.client.sandboxes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.testing.InProcessClient;
import dev.dilxc.client.testing.InProcessClient.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class CustomizeCommandTests {

	@TempDir
	Path dir;

	private InProcessClient client;

	private Path script;

	private Path editorLog;

	private Path editor;

	@BeforeEach
	void fakeEditor() throws IOException {
		Path home = Files.createDirectories(this.dir.resolve("home"));
		this.client = new InProcessClient(this.dir.resolve("no-daemon.sock")).home(home).workingDirectory(this.dir);
		this.script = home.resolve(".config/dilxc/custom-provision.sh");
		this.editorLog = this.dir.resolve("editor.log");
		// a fake editor that records each argument on its own line
		this.editor = this.dir.resolve("bin dir/fake-editor");
		Files.createDirectories(this.editor.getParent());
		Files.writeString(this.editor,
				"#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '" + this.editorLog + "'; done\n");
		Files.setPosixFilePermissions(this.editor, PosixFilePermissions.fromString("rwxr-xr-x"));
	}

	@Test
	void customizeCreatesTheTemplateExecutableAndOpensItInTheEditorWithItsArguments() throws IOException {
		Result result = this.client.env("EDITOR", "'" + this.editor + "' --wait").run("customize");
		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(result.out()).startsWith("Created starter template: " + this.script + "\n")
			.contains("'dilxc-client init'");
		assertThat(Files.readString(this.editorLog)).isEqualTo("--wait\n" + this.script + "\n");
		String template = Files.readString(this.script);
		assertThat(template).startsWith("#!/usr/bin/env bash\n")
			.contains("set -euo pipefail", "runs as root", "Debian 12 or Ubuntu 24.04", "idempotent", "non-interactive",
					"Already installed", "--- Installing mytool ---");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.script))).isEqualTo("rwxr-xr-x");
	}

	@Test
	void customizeHonoursXdgConfigHomeAndVisualOverEditor() throws IOException {
		Path config = this.dir.resolve("xdg");
		Result result = this.client.env("XDG_CONFIG_HOME", config.toString())
			.env("VISUAL", "'" + this.editor + "'")
			.env("EDITOR", "/nonexistent/editor")
			.run("customize");
		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(config.resolve("dilxc/custom-provision.sh")).exists();
		assertThat(Files.readString(this.editorLog)).isEqualTo(config.resolve("dilxc/custom-provision.sh") + "\n");
	}

	@Test
	void customizeLeavesAnExistingScriptAsItIs() throws IOException {
		Files.createDirectories(this.script.getParent());
		Files.writeString(this.script, "#!/bin/bash\necho mine\n");
		Result result = this.client.env("EDITOR", "'" + this.editor + "'").run("customize");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).doesNotContain("Created");
		assertThat(this.script).hasContent("#!/bin/bash\necho mine");
	}

	@Test
	void customizeWithAMissingEditorSaysWhichAndWhereTheFileIs() {
		Result result = this.client.env("EDITOR", "/nonexistent/editor --wait").run("customize");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).isEqualTo("dilxc-client: the editor '/nonexistent/editor' (from $EDITOR) is not "
				+ "installed or not executable; fix $EDITOR, or edit " + this.script + " yourself\n");
		assertThat(this.script).exists();
	}

	@Test
	void customizeWhenTheEditorFailsExits1NamingTheFile() throws IOException {
		Path failing = this.dir.resolve("failing-editor");
		Files.writeString(failing, "#!/bin/sh\nexit 5\n");
		Files.setPosixFilePermissions(failing, PosixFilePermissions.fromString("rwxr-xr-x"));
		Result result = this.client.env("EDITOR", failing.toString()).run("customize");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
		assertThat(result.err()).contains("exited with 5; the script is at " + this.script);
	}

}
