package dev.dilxc.daemon.lxd;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.daemon.process.ProcessCall;
import dev.dilxc.daemon.process.ProcessResult;
import dev.dilxc.daemon.process.ProcessRunner;
import dev.dilxc.daemon.process.ProcessStartException;
import dev.dilxc.daemon.process.ProcessTimeoutException;

/**
 * Decides, once, which client {@link CliLxd} runs: the one {@code dilxc.lxd.backend} or
 * {@code dilxc.lxd.executable} names, or with {@code auto} the one installed (on the
 * PATH), or the one answering when both are installed. Both answering is an error that
 * asks the user to choose, so a daemon never drives the wrong sandboxes silently. A
 * choice is kept for the daemon's life, so a back end that restarts later is not swapped
 * for the other; a failed choice is not kept, so a daemon started before its back end
 * chooses once the back end answers.
 */
final class ClientSelection {

	/** The longest a probe may take when both clients are installed. */
	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

	private final LxdProperties properties;

	private final ProcessRunner runner;

	private final JsonMapper json;

	private final List<Path> searchPath;

	private volatile @Nullable LxdClient chosen;

	ClientSelection(LxdProperties properties, ProcessRunner runner, JsonMapper json) {
		this(properties, runner, json, searchPath(System.getenv("PATH")));
	}

	ClientSelection(LxdProperties properties, ProcessRunner runner, JsonMapper json, List<Path> searchPath) {
		this.properties = properties;
		this.runner = runner;
		this.json = json;
		this.searchPath = List.copyOf(searchPath);
		LxdClient fixed = fixed(properties);
		if (fixed != null) {
			this.chosen = fixed;
		}
	}

	/**
	 * The chosen client; {@link LxdUnavailableException} saying why when none can be
	 * chosen now.
	 */
	LxdClient client() {
		LxdClient client = this.chosen;
		if (client != null) {
			return client;
		}
		synchronized (this) {
			if (this.chosen == null) {
				this.chosen = choose();
			}
			return this.chosen;
		}
	}

	/** The client named by the settings alone, or null when {@code auto} must look. */
	private static @Nullable LxdClient fixed(LxdProperties properties) {
		String executable = properties.executable();
		if (properties.backend() == LxdProperties.BackendChoice.AUTO) {
			return (executable != null) ? new LxdClient(LxdBackend.ofExecutable(executable), executable,
					"dilxc.lxd.executable: " + executable) : null;
		}
		LxdBackend backend = LxdBackend.valueOf(properties.backend().name());
		return new LxdClient(backend, (executable != null) ? executable : backend.client(),
				"dilxc.lxd.backend: " + properties.backend().name().toLowerCase(Locale.ROOT));
	}

	private LxdClient choose() {
		Optional<Path> lxc = find(LxdBackend.LXD.client());
		Optional<Path> incus = find(LxdBackend.INCUS.client());
		if (lxc.isEmpty() && incus.isEmpty()) {
			throw new LxdUnavailableException("neither LXD's client (lxc) nor Incus's client (incus) is on the "
					+ "daemon's PATH ("
					+ String.join(File.pathSeparator, this.searchPath.stream().map(Path::toString).toList())
					+ "): install and start one (as root: provisioning/host/setup-lxd.sh for LXD, "
					+ "provisioning/host/setup-incus.sh for Incus), or name the client with dilxc.lxd.executable");
		}
		if (incus.isEmpty()) {
			return new LxdClient(LxdBackend.LXD, lxc.get().toString(), "auto: only lxc is installed");
		}
		if (lxc.isEmpty()) {
			return new LxdClient(LxdBackend.INCUS, incus.get().toString(), "auto: only incus is installed");
		}
		Probe lxd = probe(lxc.get());
		Probe incusd = probe(incus.get());
		if (lxd.answered() && incusd.answered()) {
			throw new LxdUnavailableException("both LXD (" + lxd.said() + ") and Incus (" + incusd.said()
					+ ") answer on this host, and dilxc.lxd.backend is auto: choose one with "
					+ "dilxc.lxd.backend: lxd or dilxc.lxd.backend: incus (in the daemon's application.yml, "
					+ "or DILXC_LXD_BACKEND=lxd|incus) and restart the daemon");
		}
		if (lxd.answered()) {
			return new LxdClient(LxdBackend.LXD, lxc.get().toString(),
					"auto: lxc and incus are installed, only LXD answers");
		}
		if (incusd.answered()) {
			return new LxdClient(LxdBackend.INCUS, incus.get().toString(),
					"auto: lxc and incus are installed, only Incus answers");
		}
		throw new LxdUnavailableException("neither LXD nor Incus answers (lxc: " + lxd.said() + "; incus: "
				+ incusd.said() + "): start one (as root: provisioning/host/setup-lxd.sh or "
				+ "provisioning/host/setup-incus.sh), or choose one with dilxc.lxd.backend: lxd|incus");
	}

	private Optional<Path> find(String command) {
		for (Path directory : this.searchPath) {
			Path candidate = directory.resolve(command);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	/**
	 * What {@code CLIENT query /1.0} got: the server's version, or the client's error.
	 */
	private record Probe(boolean answered, String said) {
	}

	private Probe probe(Path client) {
		Duration timeout = (this.properties.commandTimeout().compareTo(PROBE_TIMEOUT) < 0)
				? this.properties.commandTimeout() : PROBE_TIMEOUT;
		try {
			ProcessResult result = this.runner
				.run(ProcessCall.of(List.of(client.toString(), "query", "/1.0"), timeout));
			if (result.exitCode() != 0) {
				String error = new ProcessExitException(result).cliError();
				return new Probe(false, error.isBlank() ? "exit " + result.exitCode() : error);
			}
			String version = this.json.readTree(result.stdout())
				.path("environment")
				.path("server_version")
				.asString("");
			return new Probe(true, version.isEmpty() ? "answers" : version);
		}
		catch (ProcessStartException | ProcessTimeoutException ex) {
			return new Probe(false, String.valueOf(ex.getMessage()));
		}
		catch (RuntimeException ex) {
			return new Probe(false, "an answer that is not JSON (" + ex.getMessage() + ")");
		}
	}

	static List<Path> searchPath(@Nullable String path) {
		List<Path> directories = new ArrayList<>();
		if (path != null) {
			for (String entry : path.split(File.pathSeparator)) {
				if (!entry.isBlank()) {
					directories.add(Path.of(entry));
				}
			}
		}
		return directories;
	}

}
