package dev.dilxc.client.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a client command test runs against, fresh for each test: a temporary directory, a
 * {@link FakeDaemon} on a socket in its {@code run} directory answering from
 * {@link #routes()}, and an {@link InProcessClient} on that socket working in the
 * directory (home: the {@code run} directory). Register it on an instance field with
 * {@code @RegisterExtension}; it is ready before the test's own {@code @BeforeEach}
 * methods, which may add routes, answer differently, or set the client's directories, and
 * it stops the daemon and deletes the directory after the test.
 */
public final class ClientTestbed implements BeforeEachCallback, AfterEachCallback {

	private Path dir;

	private FakeDaemon daemon;

	private InProcessClient client;

	private Routes routes;

	@Override
	public void beforeEach(ExtensionContext context) throws IOException {
		this.dir = Files.createTempDirectory("dilxc-client-test");
		this.routes = new Routes();
		this.daemon = new FakeDaemon(Files.createDirectories(this.dir.resolve("run")));
		this.daemon.answer(this.routes);
		this.client = new InProcessClient(this.daemon.socket()).workingDirectory(this.dir);
	}

	@Override
	public void afterEach(ExtensionContext context) throws IOException {
		try {
			this.daemon.close();
		}
		finally {
			deleteRecursively(this.dir);
		}
	}

	/** The test's own directory, the client's working directory. */
	public Path dir() {
		return this.dir;
	}

	public FakeDaemon daemon() {
		return this.daemon;
	}

	public InProcessClient client() {
		return this.client;
	}

	/** What the daemon answers, unless the test gave it another handler. */
	public Routes routes() {
		return this.routes;
	}

	private static void deleteRecursively(Path root) throws IOException {
		try (Stream<Path> paths = Files.walk(root)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

}
