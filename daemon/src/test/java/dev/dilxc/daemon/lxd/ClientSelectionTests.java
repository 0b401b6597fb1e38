package dev.dilxc.daemon.lxd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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
 * How {@code dilxc.lxd.backend} picks the client: stand-ins for {@code lxc} and
 * {@code incus} on a private PATH answer {@code query /1.0} as LXD 5.0.2 and Incus 6.0.4
 * do, or fail as a stopped daemon does, and record every call.
 */
class ClientSelectionTests {

	private static final String LXD_DOWN = "Error: Get \"http://unix.socket/1.0\": dial unix /var/lib/lxd/unix.socket: "
			+ "connect: no such file or directory";

	private static final String INCUS_DOWN = "Error: The incus daemon doesn't appear to be started (socket path: "
			+ "/var/lib/incus/unix.socket)";

	@TempDir
	Path dir;

	@Test
	void autoWithOnlyLxcInstalledDrivesLxdWithoutAskingIt() throws Exception {
		Path bin = bin("only-lxc");
		standIn(bin, "lxc", "5.0.2", null);

		LxdClient client = auto(bin).client();

		assertThat(client.backend()).isEqualTo(LxdBackend.LXD);
		assertThat(client.executable()).isEqualTo(bin.resolve("lxc").toString());
		assertThat(client.command()).isEqualTo("lxc");
		assertThat(client.choice()).isEqualTo("auto: only lxc is installed");
		assertThat(calls()).isEmpty();
	}

	@Test
	void autoWithOnlyIncusInstalledDrivesIncus() throws Exception {
		Path bin = bin("only-incus");
		standIn(bin, "incus", "6.0.4", null);

		LxdClient client = auto(bin).client();

		assertThat(client.backend()).isEqualTo(LxdBackend.INCUS);
		assertThat(client.command()).isEqualTo("incus");
		assertThat(client.choice()).isEqualTo("auto: only incus is installed");
	}

	@Test
	void autoWithBothInstalledDrivesTheOneThatAnswers() throws Exception {
		Path bin = bin("both");
		standIn(bin, "lxc", null, LXD_DOWN);
		standIn(bin, "incus", "6.0.4", null);

		LxdClient client = auto(bin).client();

		assertThat(client.backend()).isEqualTo(LxdBackend.INCUS);
		assertThat(client.choice()).isEqualTo("auto: lxc and incus are installed, only Incus answers");
		assertThat(calls()).containsExactlyInAnyOrder("lxc query /1.0", "incus query /1.0");
	}

	@Test
	void autoWithBothAnsweringAsksTheUserToChoose() throws Exception {
		Path bin = bin("both");
		standIn(bin, "lxc", "5.0.2", null);
		standIn(bin, "incus", "6.0.4", null);

		assertThatExceptionOfType(LxdUnavailableException.class).isThrownBy(() -> auto(bin).client())
			.withMessageStartingWith("both LXD (5.0.2) and Incus (6.0.4) answer on this host, and dilxc.lxd.backend "
					+ "is auto: choose one with dilxc.lxd.backend: lxd or dilxc.lxd.backend: incus");
	}

	@Test
	void autoWithNeitherAnsweringNamesBothErrors() throws Exception {
		Path bin = bin("both");
		standIn(bin, "lxc", null, LXD_DOWN);
		standIn(bin, "incus", null, INCUS_DOWN);

		assertThatExceptionOfType(LxdUnavailableException.class).isThrownBy(() -> auto(bin).client())
			.withMessageStartingWith("neither LXD nor Incus answers (lxc: Get \"http://unix.socket/1.0\"")
			.withMessageContaining("incus: The incus daemon doesn't appear to be started")
			.withMessageContaining("provisioning/host/setup-lxd.sh or provisioning/host/setup-incus.sh");
	}

	@Test
	void autoWithNeitherInstalledSaysHowToInstallOne() throws Exception {
		Path bin = bin("empty");

		assertThatExceptionOfType(LxdUnavailableException.class).isThrownBy(() -> auto(bin).client())
			.withMessageStartingWith(
					"neither LXD's client (lxc) nor Incus's client (incus) is on the daemon's PATH (" + bin + ")")
			.withMessageContaining(
					"provisioning/host/setup-lxd.sh for LXD, provisioning/host/setup-incus.sh " + "for Incus");
	}

	@Test
	void aFailedChoiceIsMadeAgainOnceABackEndAnswers() throws Exception {
		Path bin = bin("both");
		standIn(bin, "lxc", null, LXD_DOWN);
		standIn(bin, "incus", null, INCUS_DOWN);
		ClientSelection selection = auto(bin);
		assertThatExceptionOfType(LxdUnavailableException.class).isThrownBy(selection::client);

		standIn(bin, "lxc", "5.0.2", null);

		assertThat(selection.client().backend()).isEqualTo(LxdBackend.LXD);
	}

	@Test
	void aChoiceIsKeptWhenTheOtherBackEndAnswersLater() throws Exception {
		Path bin = bin("both");
		standIn(bin, "lxc", "5.0.2", null);
		standIn(bin, "incus", null, INCUS_DOWN);
		ClientSelection selection = auto(bin);
		assertThat(selection.client().backend()).isEqualTo(LxdBackend.LXD);

		standIn(bin, "incus", "6.0.4", null);

		assertThat(selection.client().backend()).isEqualTo(LxdBackend.LXD);
	}

	@Test
	void aChosenBackendIsUsedWithoutLookingEvenWhenBothAnswer() throws Exception {
		Path bin = bin("both");
		standIn(bin, "lxc", "5.0.2", null);
		standIn(bin, "incus", "6.0.4", null);

		LxdClient incus = selection(BackendChoice.INCUS, null, bin).client();
		LxdClient lxd = selection(BackendChoice.LXD, null, bin).client();

		assertThat(incus).isEqualTo(new LxdClient(LxdBackend.INCUS, "incus", "dilxc.lxd.backend: incus"));
		assertThat(lxd).isEqualTo(new LxdClient(LxdBackend.LXD, "lxc", "dilxc.lxd.backend: lxd"));
		assertThat(calls()).isEmpty();
	}

	@Test
	void anExecutableNamedWithAutoSaysWhichBackendByItsName() {
		assertThat(selection(BackendChoice.AUTO, "/opt/incus/bin/incus", this.dir).client()).isEqualTo(
				new LxdClient(LxdBackend.INCUS, "/opt/incus/bin/incus", "dilxc.lxd.executable: /opt/incus/bin/incus"));
		assertThat(selection(BackendChoice.AUTO, "/snap/bin/lxc", this.dir).client().backend())
			.isEqualTo(LxdBackend.LXD);
		assertThat(selection(BackendChoice.INCUS, "/opt/wrapper", this.dir).client())
			.isEqualTo(new LxdClient(LxdBackend.INCUS, "/opt/wrapper", "dilxc.lxd.backend: incus"));
	}

	@Test
	void anExecutableOfTheOtherBackendIsRefusedWithTheFix() {
		assertThatIllegalArgumentException().isThrownBy(() -> properties(BackendChoice.LXD, "/usr/bin/incus"))
			.withMessage("dilxc.lxd.executable (/usr/bin/incus) is Incus's client, but dilxc.lxd.backend is lxd: "
					+ "set dilxc.lxd.backend: incus, or name LXD's client (lxc)");
		assertThatIllegalArgumentException().isThrownBy(() -> properties(BackendChoice.INCUS, "lxc"))
			.withMessage("dilxc.lxd.executable (lxc) is LXD's client, but dilxc.lxd.backend is incus: "
					+ "set dilxc.lxd.backend: lxd, or name Incus's client (incus)");
		assertThat(properties(BackendChoice.AUTO, " ").executable()).as("an empty value is no value").isNull();
	}

	@Test
	void theAdapterRunsTheChosenClientInItsDialect() throws Exception {
		Path bin = bin("only-incus");
		standIn(bin, "incus", "6.0.4", null);
		CliLxd lxd = new CliLxd(new ProcessRunner(), properties(BackendChoice.AUTO, null), JsonMapper.builder().build(),
				auto(bin));

		lxd.createSnapshot(new InstanceName("box-1"), "s");

		assertThat(calls()).containsExactly("incus snapshot create box-1 s");
		assertThat(lxd.clientCommand()).isEqualTo("incus");
		assertThat(lxd.backendName()).isEqualTo("Incus");
	}

	@Test
	void messagesNameLxdWhenNoBackendCanBeChosen() throws Exception {
		CliLxd lxd = new CliLxd(new ProcessRunner(), properties(BackendChoice.AUTO, null), JsonMapper.builder().build(),
				auto(bin("empty")));

		assertThat(lxd.clientCommand()).isEqualTo("lxc");
		assertThat(lxd.backendName()).isEqualTo("LXD");
	}

	private ClientSelection auto(Path bin) {
		return selection(BackendChoice.AUTO, null, bin);
	}

	private ClientSelection selection(BackendChoice backend, String executable, Path bin) {
		return new ClientSelection(properties(backend, executable), new ProcessRunner(), JsonMapper.builder().build(),
				List.of(bin));
	}

	private static LxdProperties properties(BackendChoice backend, String executable) {
		return new LxdProperties(backend, executable, Duration.ofSeconds(10), Duration.ofSeconds(30),
				Duration.ofSeconds(5));
	}

	private Path bin(String name) throws IOException {
		return Files.createDirectories(this.dir.resolve(name));
	}

	/**
	 * A client that records its argv and answers {@code query /1.0} with {@code version},
	 * or fails with {@code error}; any other verb succeeds silently.
	 */
	private void standIn(Path bin, String client, String version, String error) throws IOException {
		Path script = bin.resolve(client);
		String answer = (version != null)
				? "printf '%s\\n' '{\"environment\":{\"server_version\":\"" + version + "\"}}'"
				: "printf '%s\\n' '" + error.replace("'", "'\\''") + "' >&2; exit 1";
		Files.writeString(script, """
				#!/bin/sh
				echo "%s $*" >> '%s'
				if [ "$1" = query ]; then
				  %s
				fi
				exit 0
				""".formatted(client, this.dir.resolve("calls"), answer));
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
	}

	private List<String> calls() throws IOException {
		Path calls = this.dir.resolve("calls");
		return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
	}

}
