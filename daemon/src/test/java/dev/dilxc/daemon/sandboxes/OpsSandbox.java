package dev.dilxc.daemon.sandboxes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import dev.dilxc.daemon.testing.Await;
import dev.dilxc.daemon.testing.Lxc;
import dev.dilxc.daemon.testing.TestSandbox;

/**
 * A sandbox set up the way {@code init} leaves one, made directly with {@code lxc} so
 * these tests do not depend on init: a host project directory owned by 1000:1000 mounted
 * read-only at {@code /home/ubuntu/project-src} with {@code raw.idmap "both 1000 1000"},
 * the working copy {@code /home/ubuntu/project} owned by ubuntu,
 * {@code /etc/dilxc/env.sh} as provisioning writes it, nesting and the syscall
 * intercepts. Names start with {@code ops-}; {@link #close()} deletes the instance and
 * the project directory.
 */
final class OpsSandbox implements AutoCloseable {

	static final String BASE_IMAGE = TestSandbox.IMAGE;

	static final String GOLDEN_IMAGE = TestSandbox.IMAGE;

	static final String SOURCE = "/home/ubuntu/project-src";

	static final String PROJECT = "/home/ubuntu/project";

	static final String AGENT_ENV = "/home/ubuntu/.config/dilxc/agent.env";

	private final String name;

	private final Path project;

	private OpsSandbox(String name, Path project) {
		this.name = name;
		this.project = project;
	}

	/** A running sandbox from {@code image} with the project mount and working copy. */
	static OpsSandbox launch(String image) {
		OpsSandbox sandbox = create(image, true);
		try {
			sandbox.start();
			if (!sandbox.exists("/etc/dilxc/env.sh")) {
				throw new AssertionError(
						image + " has no /etc/dilxc/env.sh: rebuild it with provisioning/test-host.sh");
			}
			sandbox.asUser("mkdir", "-p", PROJECT, "/home/ubuntu/.config/dilxc");
			return sandbox;
		}
		catch (RuntimeException | AssertionError ex) {
			sandbox.close();
			throw ex;
		}
	}

	/** A sandbox that was never started (LXD status STOPPED). */
	static OpsSandbox stopped() {
		return create(BASE_IMAGE, false);
	}

	private static OpsSandbox create(String image, boolean withProject) {
		TestSandbox.requireLxd();
		if (Lxc.run("image", "info", image).exitCode() != 0) {
			throw new AssertionError("the LXD image '" + image + "' is missing: run provisioning/test-host.sh");
		}
		String name = "ops-" + UUID.randomUUID().toString().substring(0, 8);
		Path project;
		try {
			project = Files.createTempDirectory("ops-project-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		OpsSandbox sandbox = new OpsSandbox(name, project);
		try {
			sandbox.chownProject();
			Lxc.run("init", image, name, "-c", "security.nesting=true", "-c", "security.syscalls.intercept.mknod=true",
					"-c", "security.syscalls.intercept.setxattr=true", "-c", "user.dilxc.project=" + project, "-c",
					"raw.idmap=both 1000 1000")
				.orFail("lxc init " + image + " " + name);
			if (withProject) {
				Lxc.run("config", "device", "add", name, "project", "disk", "source=" + project, "path=" + SOURCE,
						"readonly=true")
					.orFail("add project device");
			}
			return sandbox;
		}
		catch (RuntimeException | AssertionError ex) {
			sandbox.close();
			throw ex;
		}
	}

	String name() {
		return this.name;
	}

	Path project() {
		return this.project;
	}

	void start() {
		Lxc.run("start", this.name).orFail("lxc start " + this.name);
		Await.until("sandbox " + this.name + " to accept exec", Duration.ofSeconds(60), Duration.ZERO,
				() -> exec(List.of("exec", this.name, "--", "true")), (result) -> result.exitCode() == 0);
		// Execs during boot sometimes fail in LXD ("Failed to retrieve PID of executing
		// child process"):
		// let systemd finish starting first (degraded is fine: there is no network).
		Lxc.run("exec", this.name, "--", "timeout", "60", "systemctl", "is-system-running", "--wait");
	}

	/** Writes a host project file owned by 1000:1000, creating its directories. */
	void writeSource(String relative, String content) {
		try {
			Path file = this.project.resolve(relative);
			Files.createDirectories(file.getParent());
			Files.writeString(file, content);
			chownProject();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	void deleteSource(String relative) {
		try {
			Files.delete(this.project.resolve(relative));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Runs a command as ubuntu in the working copy's parent; fails the test on a non-zero
	 * exit.
	 */
	String asUser(String... command) {
		List<String> args = new java.util.ArrayList<>(List.of("exec", this.name, "--user", "1000", "--group", "1000",
				"--cwd", "/home/ubuntu", "--env", "HOME=/home/ubuntu", "--"));
		args.addAll(List.of(command));
		return exec(args).orFail(String.join(" ", command)).stdout();
	}

	String root(String... command) {
		List<String> args = new java.util.ArrayList<>(List.of("exec", this.name, "--"));
		args.addAll(List.of(command));
		return exec(args).orFail("lxc exec " + this.name + " " + String.join(" ", command)).stdout();
	}

	boolean exists(String path) {
		return exec(List.of("exec", this.name, "--", "test", "-e", path)).exitCode() == 0;
	}

	private static Lxc.Result exec(List<String> args) {
		return Lxc.run(args.toArray(String[]::new));
	}

	/** Writes a file inside as ubuntu, content through stdin. */
	void writeFile(String path, String content, String mode) {
		Lxc.runWithInput(content.getBytes(StandardCharsets.UTF_8), "exec", this.name, "--user", "1000", "--group",
				"1000", "--env", "HOME=/home/ubuntu", "--", "sh", "-c",
				"mkdir -p \"$(dirname \"$1\")\" && umask 077 && cat > \"$1\" && chmod \"$2\" \"$1\"", "write", path,
				mode)
			.orFail("write " + path);
	}

	String device(String device, String key) {
		return Lxc.run("config", "device", "get", this.name, device, key).orFail("device get").stdout().strip();
	}

	boolean hasDevice(String device) {
		return Lxc.run("config", "device", "list", this.name)
			.orFail("device list")
			.stdout()
			.lines()
			.anyMatch((line) -> line.strip().equals(device));
	}

	private void chownProject() {
		try (Stream<Path> files = Files.walk(this.project)) {
			for (Path file : files.toList()) {
				Files.setAttribute(file, "unix:uid", 1000, java.nio.file.LinkOption.NOFOLLOW_LINKS);
				Files.setAttribute(file, "unix:gid", 1000, java.nio.file.LinkOption.NOFOLLOW_LINKS);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		Lxc.run("delete", "--force", this.name);
		deleteTree(this.project);
	}

	static void deleteTree(Path root) {
		if (root == null || !Files.exists(root)) {
			return;
		}
		try {
			Files.walkFileTree(root, new SimpleFileVisitor<>() {
				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
					Files.delete(file);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
					Files.delete(dir);
					return FileVisitResult.CONTINUE;
				}
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
