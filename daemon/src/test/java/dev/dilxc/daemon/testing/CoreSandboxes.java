package dev.dilxc.daemon.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import dev.dilxc.api.JobView;
import dev.dilxc.daemon.jobs.JobQueue;

/**
 * Fixtures of the sandbox tests: instance names with the {@code core-} prefix, the image
 * init makes sandboxes from (the golden image once it exists, else the test image), and
 * host project directories owned by uid/gid 1000 as the sandbox user is.
 */
public final class CoreSandboxes {

	private CoreSandboxes() {
	}

	/**
	 * The image tests create sandboxes from: the golden image ({@code DILXC_IMAGE}
	 * overrides it).
	 */
	public static String image() {
		return TestSandbox.IMAGE;
	}

	public static String name(String what) {
		return "core-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * Launches a plain instance from the test image and waits until it accepts commands.
	 */
	public static String launch(String what) {
		return launch(what, TestSandbox.IMAGE);
	}

	public static String launch(String what, String image) {
		TestSandbox.requireLxd();
		String name = name(what);
		Lxc.run("launch", image, name).orFail("lxc launch " + image + " " + name);
		awaitExec(name);
		return name;
	}

	public static void awaitExec(String name) {
		Await.until("instance " + name + " to accept exec", Duration.ofSeconds(60), Duration.ZERO,
				() -> Lxc.run("exec", name, "--", "true"), (result) -> result.exitCode() == 0);
	}

	/** Deletes the instance if it exists; for finally blocks and @AfterEach. */
	public static void delete(String name) {
		if (name != null) {
			Lxc.run("delete", "--force", name);
		}
	}

	/**
	 * Cancels the jobs a test left queued or running on the sandbox, then deletes it:
	 * for @AfterEach of tests that submit jobs, so none outlives its sandbox.
	 */
	public static void delete(String name, JobQueue jobs) {
		if (name != null) {
			for (JobView job : jobs.unfinished(name)) {
				jobs.cancel(job.id());
			}
		}
		delete(name);
	}

	public static boolean exists(String name) {
		return Lxc.run("query", "/1.0/instances/" + name).exitCode() == 0;
	}

	/** A host directory with a few files, owned recursively by 1000:1000. */
	public static Path projectDirectory(Path parent, String name) throws IOException {
		Path dir = Files.createDirectories(parent.resolve(name));
		Files.writeString(dir.resolve("README.md"), "# demo project\n", StandardCharsets.UTF_8);
		Files.createDirectories(dir.resolve("src"));
		Files.writeString(dir.resolve("src/app.js"), "console.log('hi')\n", StandardCharsets.UTF_8);
		Files.createDirectories(dir.resolve("node_modules/left-pad"));
		Files.writeString(dir.resolve("node_modules/left-pad/index.js"), "module.exports = 1\n",
				StandardCharsets.UTF_8);
		chown(parent);
		return dir;
	}

	/**
	 * Gives a host path (recursively) to uid/gid 1000 and lets others traverse its
	 * parents.
	 */
	public static void chown(Path path) {
		try {
			Process chown = new ProcessBuilder("chown", "-R", "1000:1000", path.toString()).inheritIO().start();
			if (chown.waitFor() != 0) {
				throw new AssertionError("chown -R 1000:1000 " + path + " failed");
			}
			new ProcessBuilder("chmod", "755", path.toString()).inheritIO().start().waitFor();
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

}
