package dev.dilxc.client.sandboxes;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.shell.ArgvParser;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.UsageException;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * {@code customize}: creates {@code ~/.config/dilxc/custom-provision.sh} (XDG) from a
 * starter template if it is not there, then opens it in {@code $VISUAL}, {@code $EDITOR},
 * nano or vi. Client-side only; {@code init} sends the script to the daemon, which runs
 * it after the standard provisioning.
 */
public final class CustomizeCommand extends ClientCommand {

	static final String TEMPLATE = """
			#!/usr/bin/env bash
			# dilxc custom provisioning: runs as root inside the sandbox, after the standard provisioning,
			# every time 'dilxc-client init' runs (also when re-run on an existing sandbox).
			#
			# The sandbox is Debian 12 or Ubuntu 24.04. Already installed: Docker (with compose and buildx),
			# Node.js 22 and npm, Claude Code, git, gh, build-essential, jq, ripgrep, fd, tmux, rsync.
			# The user is 'ubuntu' (uid 1000, home /home/ubuntu); the project is in /home/ubuntu/project.
			#
			# This script MUST be idempotent (safe to run again) and non-interactive (no prompts:
			# use apt-get -y, DEBIAN_FRONTEND=noninteractive). A non-zero exit fails the init.
			set -euo pipefail

			# Example:
			# echo "--- Installing mytool ---"
			# if ! command -v mytool >/dev/null 2>&1; then
			#     apt-get install -y mytool
			# fi
			# su - ubuntu -c 'npm install -g some-cli'

			# Add your custom provisioning commands below:
			""";

	private final HostEnvironment host;

	public CustomizeCommand(HostEnvironment host, ExitStatusExceptionMapper errors) {
		super("customize", SandboxCommand.SETUP, "Edit the custom provisioning script that init runs in sandboxes.", "",
				List.of(), errors);
		setNotes("The script is $XDG_CONFIG_HOME/dilxc/custom-provision.sh (default ~/.config/dilxc/...).\n"
				+ "The editor is $VISUAL, else $EDITOR, else nano, else vi; 'code --wait' style values work.");
		this.host = host;
	}

	static Path scriptPath(HostEnvironment host) {
		return host.configHome().resolve("dilxc").resolve("custom-provision.sh");
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) throws InterruptedException {
		input.noArguments();
		Path script = scriptPath(this.host);
		if (!Files.exists(script)) {
			try {
				Files.createDirectories(script.getParent());
				Files.writeString(script, TEMPLATE, StandardCharsets.UTF_8);
				Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
			}
			catch (IOException ex) {
				throw new UsageException("cannot create " + script + ": " + ex.getMessage(), ex);
			}
			out.println("Created starter template: " + script);
		}
		out.println("It runs in a sandbox after standard provisioning when you run 'dilxc-client init'"
				+ " (run it again on an existing sandbox to apply changes).");
		out.flush();
		Editor editor = editor();
		if (editor == null) {
			throw new UsageException("no editor found (set VISUAL or EDITOR, or install nano or vi); edit " + script
					+ " with any editor");
		}
		int code = edit(editor, script);
		if (code == 127) {
			return new ExitStatus(ExitCodes.BAD_INPUT, "could not start the editor '" + editor.command() + "' (from "
					+ editor.source() + "); fix " + editor.source() + ", or edit " + script + " yourself");
		}
		if (code != 0) {
			return new ExitStatus(ExitCodes.FAILED,
					"the editor '" + editor.command() + "' exited with " + code + "; the script is at " + script);
		}
		return ok();
	}

	/** The editor to use, or null when there is none. */
	@Nullable Editor editor() {
		for (String variable : List.of("VISUAL", "EDITOR")) {
			String value = this.host.get(variable);
			if (value != null) {
				String program = program(value);
				if (!isExecutable(program)) {
					throw new UsageException("the editor '" + program + "' (from $" + variable
							+ ") is not installed or not executable; fix $" + variable + ", or edit "
							+ scriptPath(this.host) + " yourself");
				}
				return new Editor(value.strip(), "$" + variable);
			}
		}
		for (String fallback : List.of("nano", "vi")) {
			if (isExecutable(fallback)) {
				return new Editor(fallback, "the default");
			}
		}
		return null;
	}

	/**
	 * The program of an editor value: its first word, read as sh would
	 * ({@code '/my dir/ed' --wait}).
	 */
	private static String program(String value) {
		try {
			List<String> words = ArgvParser.tokenize(value);
			return words.isEmpty() ? value.strip() : words.getFirst();
		}
		catch (UsageException ex) {
			return value.strip().split("\\s+")[0];
		}
	}

	/**
	 * Runs the editor on the file through {@code sh}, as git does, so an editor value
	 * with arguments ({@code code --wait}) works; the path is passed as {@code $1}, never
	 * spliced into the line.
	 */
	private int edit(Editor editor, Path script) throws InterruptedException {
		ProcessBuilder builder = new ProcessBuilder("sh", "-c", editor.command() + " \"$1\"", "dilxc-editor",
				script.toString())
			.inheritIO();
		String path = this.host.get("PATH");
		if (path != null) {
			builder.environment().put("PATH", path);
		}
		try {
			return builder.start().waitFor();
		}
		catch (IOException ex) {
			throw new UsageException("cannot run sh to start the editor: " + ex.getMessage(), ex);
		}
	}

	private boolean isExecutable(String program) {
		if (program.contains("/")) {
			return Files.isExecutable(this.host.absolute(program));
		}
		String path = this.host.get("PATH");
		if (path == null) {
			return false;
		}
		for (String dir : path.split(File.pathSeparator)) {
			if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * @param command the editor as the user wrote it, perhaps with arguments
	 * @param source where it came from, for messages
	 */
	record Editor(String command, String source) {
	}

}
