package dev.dilxc.daemon.lxd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.daemon.lxd.LxdProperties.BackendChoice;
import dev.dilxc.daemon.process.ProcessRunner;

/**
 * {@code dilxc.lxd.backend: auto} against the real LXD and Incus of the test host
 * (provisioning/test-host.sh starts both): the daemon's PATH is played by a directory
 * that holds links to the real clients, the ones a case needs. A back end that is
 * installed but down is the real client pointed at a socket directory where no daemon
 * listens.
 */
class BackendSelectionIntegrationTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	Path dir;

	@Test
	void autoWhereBothAnswerAsksTheUserToChooseNamingBothVersions() {
		ClientSelection selection = new ClientSelection(auto(), new ProcessRunner(), this.json,
				ClientSelection.searchPath(System.getenv("PATH")));

		assertThatExceptionOfType(LxdUnavailableException.class).isThrownBy(selection::client)
			.withMessageMatching("both LXD \\(5\\.[^)]+\\) and Incus \\(6\\.[^)]+\\) answer on this host, and "
					+ "dilxc.lxd.backend is auto: choose one .*");
	}

	@Test
	void autoWithOnlyLxcInstalledDrivesTheRealLxd() throws Exception {
		CliLxd lxd = adapter(bin("lxc", real("lxc")));

		assertThat(lxd.client().backend()).isEqualTo(LxdBackend.LXD);
		assertThat(lxd.server().version()).startsWith("5.");
		assertThat(lxd.imageExists("dilxc-golden")).isTrue();
	}

	@Test
	void autoWithOnlyIncusInstalledDrivesTheRealIncus() throws Exception {
		CliLxd incus = adapter(bin("incus", real("incus")));

		assertThat(incus.client().backend()).isEqualTo(LxdBackend.INCUS);
		assertThat(incus.server().version()).startsWith("6.");
		assertThat(incus.imageExists("dilxc-golden")).isTrue();
	}

	@Test
	void autoWithBothInstalledAndLxdDownDrivesIncus() throws Exception {
		Path bin = bin("incus", real("incus"));
		downClient(bin, "lxc", "LXD_DIR");

		CliLxd lxd = adapter(bin);

		assertThat(lxd.client().choice()).isEqualTo("auto: lxc and incus are installed, only Incus answers");
		assertThat(lxd.server().version()).startsWith("6.");
	}

	@Test
	void autoWithBothInstalledAndIncusDownDrivesLxd() throws Exception {
		Path bin = bin("lxc", real("lxc"));
		downClient(bin, "incus", "INCUS_DIR");

		CliLxd lxd = adapter(bin);

		assertThat(lxd.client().choice()).isEqualTo("auto: lxc and incus are installed, only LXD answers");
		assertThat(lxd.server().version()).startsWith("5.");
	}

	@Test
	void autoWithNeitherInstalledFailsEveryCallWithTheInstallHint() throws Exception {
		CliLxd lxd = adapter(Files.createDirectories(this.dir.resolve("empty")));

		assertThatExceptionOfType(LxdUnavailableException.class).isThrownBy(lxd::server)
			.withMessageContaining("neither LXD's client (lxc) nor Incus's client (incus) is on the daemon's PATH")
			.withMessageContaining("provisioning/host/setup-incus.sh");
	}

	private CliLxd adapter(Path bin) {
		LxdProperties properties = auto();
		return new CliLxd(new ProcessRunner(), properties, this.json,
				new ClientSelection(properties, new ProcessRunner(), this.json, List.of(bin)));
	}

	private static LxdProperties auto() {
		return new LxdProperties(BackendChoice.AUTO, null, Duration.ofSeconds(60), Duration.ofMinutes(10),
				Duration.ofSeconds(30));
	}

	/** The real client on this host's PATH; fails (never skips) when it is missing. */
	private static Path real(String client) {
		return ClientSelection.searchPath(System.getenv("PATH"))
			.stream()
			.map((directory) -> directory.resolve(client))
			.filter(Files::isExecutable)
			.findFirst()
			.orElseThrow(() -> new AssertionError(
					client + " is not installed: run provisioning/test-host.sh, " + "which sets up LXD and Incus"));
	}

	private Path bin(String name, Path target) throws IOException {
		Path bin = Files.createDirectories(this.dir.resolve("bin"));
		Files.createSymbolicLink(bin.resolve(name), target);
		return bin;
	}

	/**
	 * The real client, told by its environment variable that its daemon lives in an empty
	 * directory: it fails as it does when that daemon is stopped.
	 */
	private void downClient(Path bin, String client, String variable) throws IOException {
		Path nowhere = Files.createDirectories(this.dir.resolve("no-daemon-" + client));
		Path script = bin.resolve(client);
		Files.writeString(script, "#!/bin/sh\n" + variable + "='" + nowhere + "' exec '" + real(client) + "' \"$@\"\n");
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
	}

}
