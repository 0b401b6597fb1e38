package dev.dilxc.daemon.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real LXD container made from the golden image ({@code dilxc-golden}, built by
 * {@code provisioning/test-host.sh}) with the configuration {@code init} gives a sandbox:
 * nesting and the mknod/setxattr syscall interception that Docker inside needs. Deleted
 * on {@link #close()}.
 */
public final class GoldenSandbox implements AutoCloseable {

	public static final String IMAGE = System.getenv().getOrDefault("DILXC_GOLDEN_IMAGE", "dilxc-golden");

	/**
	 * The static busybox that test-host.sh extracts from Debian's busybox-static package.
	 */
	public static final Path BUSYBOX = Path
		.of(System.getenv().getOrDefault("DILXC_TEST_BUSYBOX", "/var/cache/dilxc/test/busybox"));

	/** The Docker image {@link #importBusyboxImage()} creates inside the sandbox. */
	public static final String BUSYBOX_IMAGE = "dilxc-busybox:test";

	private final String name;

	private GoldenSandbox(String name) {
		this.name = name;
	}

	/** Launches a sandbox and waits until systemd is up and Docker answers. */
	public static GoldenSandbox launch(String prefix) {
		TestSandbox.requireLxd();
		if (Lxc.run("image", "info", IMAGE).exitCode() != 0) {
			throw new AssertionError("the " + TestBackend.current() + " image '" + IMAGE
					+ "' is missing: run provisioning/test-host.sh");
		}
		String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
		Lxc.run("launch", IMAGE, name, "-c", "security.nesting=true", "-c", "security.syscalls.intercept.mknod=true",
				"-c", "security.syscalls.intercept.setxattr=true")
			.orFail("lxc launch " + IMAGE + " " + name);
		GoldenSandbox sandbox = new GoldenSandbox(name);
		try {
			sandbox.awaitDocker();
			return sandbox;
		}
		catch (RuntimeException | AssertionError ex) {
			sandbox.close();
			throw ex;
		}
	}

	public String name() {
		return this.name;
	}

	/** Runs a command as root; the result whatever the exit code. */
	public Lxc.Result root(String... command) {
		List<String> args = new ArrayList<>(List.of("exec", this.name, "--"));
		args.addAll(List.of(command));
		return Lxc.run(args.toArray(String[]::new));
	}

	/**
	 * Runs a shell command line through {@code su - ubuntu -c}: the login shell of the
	 * sandbox user.
	 */
	public Lxc.Result loginShell(String commandLine) {
		return root("su", "-", "ubuntu", "-c", commandLine);
	}

	/**
	 * Runs a command the way the daemon does: uid/gid 1000, HOME/USER/LOGNAME set,
	 * {@code /etc/dilxc/env.sh} loaded by {@code sh -c}, argv passed through.
	 */
	public Lxc.Result asDaemonWould(String... command) {
		List<String> args = new ArrayList<>(List.of("exec", this.name, "--user", "1000", "--group", "1000", "--cwd",
				"/home/ubuntu", "--env", "HOME=/home/ubuntu", "--env", "USER=ubuntu", "--env", "LOGNAME=ubuntu", "--",
				"sh", "-c", "[ -r /etc/dilxc/env.sh ] && . /etc/dilxc/env.sh; exec \"$@\"", "dilxc"));
		args.addAll(List.of(command));
		return Lxc.run(args.toArray(String[]::new));
	}

	/** Pushes a host file into the sandbox (owned by root). */
	public void push(Path hostFile, String path) {
		Lxc.run("file", "push", "-q", hostFile.toString(), this.name + path).orFail("push " + hostFile + " to " + path);
	}

	/** Writes a file as root through stdin. */
	public void writeFile(String path, String content, String mode) {
		Lxc.runWithInput(content.getBytes(java.nio.charset.StandardCharsets.UTF_8), "exec", this.name, "--", "sh", "-c",
				"cat > \"$1\" && chmod \"$2\" \"$1\"", "write", path, mode)
			.orFail("write " + path);
	}

	/**
	 * Imports {@link #BUSYBOX_IMAGE} into the sandbox's Docker: no registry is reachable,
	 * so the image is a rootfs tarball built on the host from a static busybox.
	 */
	public void importBusyboxImage(Path workDir) {
		Path tar = busyboxRootfs(workDir);
		push(tar, "/root/busybox-rootfs.tar");
		root("docker", "import", "/root/busybox-rootfs.tar", BUSYBOX_IMAGE).orFail("docker import " + BUSYBOX_IMAGE);
	}

	/**
	 * A Docker rootfs tarball: the static busybox plus the applet links the tests call.
	 */
	public static Path busyboxRootfs(Path workDir) {
		if (!Files.isExecutable(BUSYBOX)) {
			throw new AssertionError("no static busybox at " + BUSYBOX + ": run provisioning/test-host.sh");
		}
		try {
			Path root = Files.createDirectories(workDir.resolve("busybox-rootfs"));
			Path bin = Files.createDirectories(root.resolve("bin"));
			Files.createDirectories(root.resolve("tmp"));
			Files.copy(BUSYBOX, bin.resolve("busybox"));
			for (String applet : List.of("sh", "echo", "cat", "ls", "sleep", "wc", "true", "printf", "mkdir")) {
				Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
			}
			Path tar = workDir.resolve("busybox-rootfs.tar");
			Process process = new ProcessBuilder("tar", "-C", root.toString(), "--numeric-owner", "--owner=0",
					"--group=0", "-cf", tar.toString(), ".")
				.redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes());
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new AssertionError("tar of the busybox rootfs failed: " + output);
			}
			return tar;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	private void awaitDocker() {
		Await.until("Docker in sandbox " + this.name + " to answer", Duration.ofSeconds(90), Duration.ofMillis(500),
				() -> root("docker", "info", "--format", "{{.ServerVersion}}"), (result) -> result.exitCode() == 0);
	}

	@Override
	public void close() {
		Lxc.run("delete", "--force", this.name);
	}

}
