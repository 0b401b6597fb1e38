package dev.dilxc.daemon.testing;

import java.nio.file.Path;
import java.util.function.Supplier;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The properties every in-process daemon test needs: a private data directory (and a
 * database of its own: {@link TestStore}) and a hand-stepped (or fast-polling) worker.
 */
public final class DaemonTestProperties {

	private DaemonTestProperties() {
	}

	/**
	 * Database and socket under {@code directory}; neither the worker nor the retention
	 * sweep starts its loop.
	 */
	public static void register(DynamicPropertyRegistry registry, Supplier<Path> directory) {
		registry.add("dilxc.data-dir", () -> directory.get().resolve("data").toString());
		registry.add("dilxc.socket", () -> directory.get().resolve("run/daemon.sock").toString());
		registry.add("dilxc.jobs.worker-enabled", () -> "false");
		TestStore.register(registry);
		registry.add("dilxc.retention.sweep-enabled", () -> "false");
	}

	/**
	 * Database and socket under {@code directory}, jobs to {@code sandbox}; the real
	 * worker loop runs, polling often.
	 */
	public static void registerWithWorker(DynamicPropertyRegistry registry, Supplier<Path> directory,
			Supplier<String> sandbox) {
		registry.add("dilxc.data-dir", () -> directory.get().resolve("data").toString());
		registry.add("dilxc.socket", () -> directory.get().resolve("run/daemon.sock").toString());
		registry.add("dilxc.jobs.default-sandbox", sandbox::get);
		registry.add("dilxc.jobs.poll-interval", () -> "200ms");
		TestStore.register(registry);
	}

}
