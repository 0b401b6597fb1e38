package dev.dilxc.daemon.sandboxes;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.springframework.stereotype.Service;

import dev.dilxc.api.CommandResult;
import dev.dilxc.daemon.lxd.ExecResult;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.lxd.Lxd;

/**
 * The sandbox's working copy as jobs use it: the project sync, commands as the sandbox
 * user in the working copy, and files written for that user. No busy checks: the caller
 * is the job that owns the sandbox while it runs.
 */
@Service
public class WorkingCopy {

	private final Lxd lxd;

	private final SandboxesProperties properties;

	WorkingCopy(Lxd lxd, SandboxesProperties properties) {
		this.lxd = lxd;
		this.properties = properties;
	}

	/**
	 * Mirrors the read-only project mount into the working copy exactly as {@code sync}
	 * does. Exit code 0 is success; anything else says why in the summary. A missing or
	 * unreadable mount throws {@link SandboxException} with the fix.
	 */
	public CommandResult syncFromProject(InstanceName sandbox) {
		return ProjectSync.run(this.lxd, this.properties, sandbox, false);
	}

	/**
	 * Runs {@code command} (an argv, never a shell string) as the sandbox user in the
	 * working copy, through the env wrapper, with {@code timeout}. Arguments are never
	 * evaluated.
	 */
	public ExecResult runAsUser(InstanceName sandbox, Duration timeout, List<String> command) {
		return this.lxd.exec(sandbox,
				SandboxShell.asUser(this.properties, this.properties.projectDirectory(), timeout, command));
	}

	/**
	 * Writes a file owned by the sandbox user (mode 0600), making its directory as that
	 * user first.
	 */
	public void writeUserFile(InstanceName sandbox, String path, byte[] content, Duration timeout) {
		String directory = Objects.requireNonNull(java.nio.file.Path.of(path).getParent(), "a file's directory")
			.toString();
		ExecResult mkdir = runAsUser(sandbox, timeout, List.of("mkdir", "-p", directory));
		if (mkdir.exitCode() != 0) {
			throw new IllegalStateException(
					"could not make " + directory + " in '" + sandbox + "': " + SandboxShell.lastLine(mkdir.stderr()));
		}
		this.lxd.writeFile(sandbox, path, content, this.properties.uid(), this.properties.gid(), 0600);
	}

	/** The working copy's path inside the sandbox ({@code /home/ubuntu/project}). */
	public String projectDirectory() {
		return this.properties.projectDirectory();
	}

	/** The sandbox user's home. */
	public String home() {
		return this.properties.home();
	}

}
