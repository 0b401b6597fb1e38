package dev.dilxc.client.sandboxes;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.dilxc.client.sandboxes.SandboxSelection.Selected;
import dev.dilxc.client.sandboxes.SandboxSelection.Tier;
import dev.dilxc.client.shell.UsageException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SandboxSelectionTests {

	@TempDir
	Path dir;

	private final Map<String, String> env = new HashMap<>();

	private Path project;

	private Path deep;

	@BeforeEach
	void makeProject() throws IOException {
		this.project = this.dir.resolve("proj");
		this.deep = Files.createDirectories(this.project.resolve("src/main/java"));
	}

	private SandboxSelection selection() {
		return new SandboxSelection(new HostEnvironment(this.env, this.deep, this.dir, () -> false));
	}

	@Test
	void resolveWhenNothingNamesASandboxReturnsTheDefault() {
		Selected selected = selection().resolve(null);
		assertThat(selected.name()).isEqualTo("docker-lxc");
		assertThat(selected.tier()).isEqualTo(Tier.DEFAULT);
		assertThat(selected.isExplicit()).isFalse();
	}

	@Test
	void resolveFindsTheNearestPointerFileWalkingUp() throws IOException {
		Files.writeString(this.dir.resolve(".dilxc"), "outer\n");
		Files.writeString(this.project.resolve(".dilxc"), "web\n");
		Selected selected = selection().resolve(null);
		assertThat(selected.name()).isEqualTo("web");
		assertThat(selected.tier()).isEqualTo(Tier.POINTER_FILE);
		assertThat(selected.source()).isEqualTo(".dilxc at " + this.project.resolve(".dilxc"));
	}

	@Test
	void resolveTrimsSpacesAndCarriageReturnAndReadsOnlyTheFirstLine() throws IOException {
		Files.writeString(this.project.resolve(".dilxc"), "  web-2 \t\r\nsecond\r\n");
		assertThat(selection().resolve(null).name()).isEqualTo("web-2");
	}

	@Test
	void resolveWhenPointerFileFirstLineBlankFallsThroughToTheDefault() throws IOException {
		Files.writeString(this.project.resolve(".dilxc"), " \r\nweb\n");
		Files.writeString(this.dir.resolve(".dilxc"), "outer\n");
		assertThat(selection().resolve(null).name()).isEqualTo("docker-lxc");
	}

	@Test
	void resolvePrefersTheEnvironmentOverThePointerFile() throws IOException {
		Files.writeString(this.project.resolve(".dilxc"), "web\n");
		this.env.put("DILXC_CONTAINER", "api");
		Selected selected = selection().resolve(null);
		assertThat(selected.name()).isEqualTo("api");
		assertThat(selected.tier()).isEqualTo(Tier.ENV);
	}

	@Test
	void resolvePrefersTheAtNameOverEverything() throws IOException {
		Files.writeString(this.project.resolve(".dilxc"), "web\n");
		this.env.put("DILXC_CONTAINER", "api");
		Selected selected = selection().resolve("box1");
		assertThat(selected.name()).isEqualTo("box1");
		assertThat(selected.tier()).isEqualTo(Tier.AT);
	}

	@Test
	void resolveWhenEnvironmentEmptyIgnoresIt() {
		this.env.put("DILXC_CONTAINER", "");
		assertThat(selection().resolve(null).name()).isEqualTo("docker-lxc");
	}

	@Test
	void resolveReadsAPointerFileAtTheRootOfTheFileSystem() throws IOException {
		// a zip file system has a root "/" of its own, so the walk can reach it without
		// touching the host's /
		URI uri = URI.create("jar:" + this.dir.resolve("fs.zip").toUri());
		try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of("create", "true"))) {
			Path start = Files.createDirectories(fs.getPath("/home/me/proj"));
			Files.writeString(fs.getPath("/.dilxc"), "rooted\n");
			Selected selected = selection().resolve(null, start);
			assertThat(selected.name()).isEqualTo("rooted");
			assertThat(selected.source()).isEqualTo(".dilxc at /.dilxc");
		}
	}

	@Test
	void resolveWhenAtNameBadNamesTheArgument() {
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> selection().resolve("9lives"))
			.withMessage("bad sandbox name '9lives' from the @NAME argument: it must start with a letter"
					+ " (LXD names: 1-63 letters, digits and hyphens, starting with a letter)");
	}

	@Test
	void resolveWhenEnvironmentBadNamesTheVariable() {
		this.env.put("DILXC_CONTAINER", "my_box");
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> selection().resolve(null))
			.withMessageStartingWith(
					"bad sandbox name 'my_box' from DILXC_CONTAINER: only letters, digits and hyphens");
	}

	@Test
	void resolveWhenPointerFileBadNamesTheFile() throws IOException {
		Files.writeString(this.project.resolve(".dilxc"), "web-\n");
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> selection().resolve(null))
			.withMessageStartingWith("bad sandbox name 'web-' from .dilxc at " + this.project.resolve(".dilxc")
					+ ": it must not end with a hyphen");
	}

	@Test
	void checkNameAcceptsLxdNamesAndRefusesTheRest() {
		SandboxSelection.checkName("a", "test");
		SandboxSelection.checkName("Web-2", "test");
		SandboxSelection.checkName("a" + "b".repeat(62), "test");
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> SandboxSelection.checkName("a" + "b".repeat(63), "test"))
			.withMessageContaining("longer than 63 characters");
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> SandboxSelection.checkName("a b", "test"))
			.withMessageContaining("only letters, digits and hyphens");
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> SandboxSelection.checkName("-a", "test"))
			.withMessageContaining("must start with a letter");
	}

}
