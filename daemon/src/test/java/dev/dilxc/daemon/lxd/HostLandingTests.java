package dev.dilxc.daemon.lxd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host half of a pull, on the local file system: what lxc left in a staging directory
 * is checked and renamed into place by {@link HostLanding}. The real pulls from a sandbox
 * are in {@code CliLxdIntegrationTests} and {@code SandboxOperationsIntegrationTests};
 * these pin the rules case by case, each with a file outside the destination that must
 * never change.
 */
class HostLandingTests {

	private static final String SOURCE = "/home/ubuntu/project/dist";

	@TempDir
	Path root;

	private Path staging;

	private Path outside;

	private FileTime outsideTime;

	@BeforeEach
	void outsideFile() throws IOException {
		this.staging = Files.createDirectory(this.root.resolve(".dilxc-pull1"));
		this.outside = Files.writeString(this.root.resolve("bashrc"), "the user's own\n");
		this.outsideTime = FileTime.fromMillis(1_000_000_000_000L);
		Files.setLastModifiedTime(this.outside, this.outsideTime);
	}

	@Test
	void aLinkThatStaysInsideThePulledDirectoryComesAlongAsALinkAndPullingTwiceReplacesIt() throws IOException {
		Path dist = staged("dist");
		Files.writeString(Files.createDirectories(dist.resolve("sub")).resolve("b.txt"), "b\n");
		Files.createSymbolicLink(dist.resolve("latest"), Path.of("sub/b.txt"));
		Files.createSymbolicLink(dist.resolve("sub/back"), Path.of("../latest"));
		Files.createSymbolicLink(dist.resolve("self"), Path.of("."));
		Path target = this.root.resolve("out/dist");
		Files.createDirectories(target.getParent());

		HostLanding.land(dist, target, SOURCE);

		assertThat(Files.readSymbolicLink(target.resolve("latest"))).isEqualTo(Path.of("sub/b.txt"));
		assertThat(target.resolve("sub/back")).hasContent("b");

		Path again = staged("dist");
		Files.createDirectories(again.resolve("sub"));
		Files.writeString(again.resolve("sub/c.txt"), "c\n");
		Files.createSymbolicLink(again.resolve("latest"), Path.of("sub/c.txt"));
		HostLanding.land(again, target, SOURCE);

		assertThat(Files.readSymbolicLink(target.resolve("latest"))).isEqualTo(Path.of("sub/c.txt"));
		assertThat(target.resolve("sub/b.txt")).hasContent("b");
		assertThat(target.resolve("latest")).hasContent("c");
	}

	@Test
	void anAbsoluteLinkIsRefusedNamingItAndNothingIsWritten() throws IOException {
		Path dist = staged("dist");
		Files.writeString(dist.resolve("app.js"), "code\n");
		Files.createSymbolicLink(dist.resolve("x"), this.outside);
		Path target = this.root.resolve("dist");

		assertThatExceptionOfType(UnsafePullException.class).isThrownBy(() -> HostLanding.land(dist, target, SOURCE))
			.withMessageContaining(
					"'" + SOURCE + "/x' is a symbolic link to '" + this.outside + "', outside '" + SOURCE + "'")
			.withMessageContaining("nothing was written")
			.satisfies((ex) -> assertThat(ex.problems()).hasSize(1));
		assertThat(target).doesNotExist();
		assertOutsideUntouched();
	}

	@Test
	void linksAsLxdHandsThemOverAbsoluteInTheSandboxBecomeRelativeWhenInsideAndAreRefusedWhenNot() throws IOException {
		// What lxc file pull -r made of ../a.txt, ., ../lnk/hostname and
		// ../../../etc/passwd in dist/sub.
		Path dist = staged("dist");
		Files.writeString(dist.resolve("a.txt"), "a\n");
		Files.createDirectory(dist.resolve("sub"));
		Files.createSymbolicLink(dist.resolve("sub/rel"), Path.of(SOURCE + "/a.txt"));
		Files.createSymbolicLink(dist.resolve("sub/top"), Path.of(SOURCE));
		Path target = this.root.resolve("copy");

		HostLanding.land(dist, target, SOURCE);

		assertThat(Files.readSymbolicLink(target.resolve("sub/rel"))).isEqualTo(Path.of("../a.txt"));
		assertThat(target.resolve("sub/rel")).hasContent("a");
		assertThat(Files.readSymbolicLink(target.resolve("sub/top"))).isEqualTo(Path.of(".."));

		Path again = staged("dist");
		Files.createDirectory(again.resolve("sub"));
		Files.createSymbolicLink(again.resolve("lnk"), Path.of("/etc"));
		Files.createSymbolicLink(again.resolve("sub/via"), Path.of(SOURCE + "/lnk/hostname"));
		Files.createSymbolicLink(again.resolve("sub/out"), Path.of("/etc/passwd"));
		Files.createSymbolicLink(again.resolve("sibling"), Path.of(SOURCE + "-old/a.txt"));
		assertThatExceptionOfType(UnsafePullException.class).isThrownBy(() -> HostLanding.land(again, target, SOURCE))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactlyInAnyOrder(
					"'" + SOURCE + "/lnk' is a symbolic link to '/etc', outside '" + SOURCE + "'",
					"'" + SOURCE + "/sub/via' is a symbolic link to '" + SOURCE + "/lnk/hostname', outside '" + SOURCE
							+ "' (through '" + SOURCE + "/lnk')",
					"'" + SOURCE + "/sub/out' is a symbolic link to '/etc/passwd', outside '" + SOURCE + "'",
					"'" + SOURCE + "/sibling' is a symbolic link to '" + SOURCE + "-old/a.txt', outside '" + SOURCE
							+ "'"));
		assertThat(target.resolve("lnk")).doesNotExist();
		assertThat(target.resolve("sub/via")).doesNotExist();
	}

	@Test
	void relativeLinksThatClimbOutDirectlyOrThroughOtherLinksOrLoopAreAllRefused() throws IOException {
		Path dist = staged("dist");
		Files.createDirectories(dist.resolve("a/b"));
		Files.createSymbolicLink(dist.resolve("a/b/up"), Path.of("../../../bashrc"));
		Files.createSymbolicLink(dist.resolve("inner"), Path.of("."));
		Files.createSymbolicLink(dist.resolve("through"), Path.of("inner/../bashrc"));
		Files.createSymbolicLink(dist.resolve("parent"), Path.of(".."));
		Files.createSymbolicLink(dist.resolve("via"), Path.of("parent/bashrc"));
		Files.createSymbolicLink(dist.resolve("same-name"), Path.of("../dist/a"));
		Files.createSymbolicLink(dist.resolve("loop1"), Path.of("loop2"));
		Files.createSymbolicLink(dist.resolve("loop2"), Path.of("loop1"));
		Path target = this.root.resolve("dist");

		assertThatExceptionOfType(UnsafePullException.class).isThrownBy(() -> HostLanding.land(dist, target, SOURCE))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactlyInAnyOrder(
					"'" + SOURCE + "/a/b/up' is a symbolic link to '../../../bashrc', outside '" + SOURCE + "'",
					"'" + SOURCE + "/through' is a symbolic link to 'inner/../bashrc', outside '" + SOURCE + "'",
					"'" + SOURCE + "/parent' is a symbolic link to '..', outside '" + SOURCE + "'",
					"'" + SOURCE + "/via' is a symbolic link to 'parent/bashrc', outside '" + SOURCE + "'",
					// ../dist is the sandbox's name for it; on the host the copy may be
					// called anything.
					"'" + SOURCE + "/same-name' is a symbolic link to '../dist/a', outside '" + SOURCE + "'",
					"'" + SOURCE + "/loop1' is a symbolic link to 'loop2', which loops",
					"'" + SOURCE + "/loop2' is a symbolic link to 'loop1', which loops"));
		assertThat(target).doesNotExist();
		assertOutsideUntouched();
	}

	@Test
	void aPulledPathThatIsItselfALinkIsRefused() throws IOException {
		Path link = Files.createSymbolicLink(this.staging.resolve("dist"), Path.of("build"));

		assertThatExceptionOfType(UnsafePullException.class)
			.isThrownBy(() -> HostLanding.land(link, this.root.resolve("dist"), SOURCE))
			.withMessageContaining("'" + SOURCE + "' is itself a symbolic link (to 'build')");
		assertThat(this.root.resolve("dist")).doesNotExist();
	}

	@Test
	void aLinkAlreadyInTheDestinationIsNeverWrittenThroughTheWholePullIsRefusedNamingIt() throws IOException {
		Path target = Files.createDirectories(this.root.resolve("out/dist"));
		Files.writeString(target.resolve("keep.txt"), "old\n");
		Files.createSymbolicLink(target.resolve("x"), this.outside);
		Files.createSymbolicLink(target.resolve("lib"), this.root);
		Path dist = staged("dist");
		Files.writeString(dist.resolve("keep.txt"), "new\n");
		Files.writeString(dist.resolve("x"), "planted\n");
		Files.writeString(Files.createDirectory(dist.resolve("lib")).resolve("bashrc"), "planted\n");

		assertThatExceptionOfType(UnsafePullException.class).isThrownBy(() -> HostLanding.land(dist, target, SOURCE))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactly(
					"'" + target.resolve("lib") + "' on the host is a symbolic link (to '" + this.root
							+ "') and pull never writes through a link: remove it ('rm " + target.resolve("lib")
							+ "') or pull somewhere else",
					"'" + target.resolve("x") + "' on the host is a symbolic link (to '" + this.outside
							+ "') and pull never writes through a link: remove it ('rm " + target.resolve("x")
							+ "') or pull somewhere else"));
		// Refused as a whole: not even the harmless file was replaced.
		assertThat(target.resolve("keep.txt")).hasContent("old");
		assertOutsideUntouched();
	}

	@Test
	void aSingleFileOntoAHostLinkIsRefusedNamingTheLink() throws IOException {
		Path link = Files.createSymbolicLink(this.root.resolve("notes.txt"), this.outside);
		Path file = Files.writeString(this.staging.resolve("notes.txt"), "from the sandbox\n");

		assertThatExceptionOfType(UnsafePullException.class).isThrownBy(() -> HostLanding.land(file, link, SOURCE))
			.withMessageContaining("'" + link + "' on the host is a symbolic link (to '" + this.outside + "')");
		assertThat(Files.isSymbolicLink(link)).isTrue();
		assertOutsideUntouched();
	}

	@Test
	void aDirectoryThatIsThereIsMergedIntoFilesAreReplacedAndWhatOnlyTheHostHasStays() throws IOException {
		Path target = this.root.resolve("dist");
		Files.createDirectories(target.resolve("sub"));
		Files.writeString(target.resolve("mine.txt"), "host only\n");
		Files.writeString(target.resolve("sub/a.txt"), "old\n");
		Path dist = staged("dist");
		Files.writeString(Files.createDirectories(dist.resolve("sub")).resolve("a.txt"), "new\n");
		Files.writeString(Files.createDirectories(dist.resolve("fresh/deep")).resolve("b.txt"), "b\n");

		HostLanding.land(dist, target, SOURCE);

		assertThat(target.resolve("mine.txt")).hasContent("host only");
		assertThat(target.resolve("sub/a.txt")).hasContent("new");
		assertThat(target.resolve("fresh/deep/b.txt")).hasContent("b");
	}

	@Test
	void aDirectoryMeetingAFileEitherWayIsRefused() throws IOException {
		Path target = Files.createDirectories(this.root.resolve("dist"));
		Files.writeString(target.resolve("was-file"), "x\n");
		Files.createDirectory(target.resolve("was-dir"));
		Path dist = staged("dist");
		Files.createDirectory(dist.resolve("was-file"));
		Files.writeString(dist.resolve("was-dir"), "y\n");

		assertThatExceptionOfType(UnsafePullException.class).isThrownBy(() -> HostLanding.land(dist, target, SOURCE))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactly(
					"'" + target.resolve("was-dir") + "' on the host is a directory, and '" + SOURCE
							+ "/was-dir' is not",
					"'" + target.resolve("was-file") + "' on the host is a file, and '" + SOURCE
							+ "/was-file' a directory"));
		assertThat(target.resolve("was-file")).hasContent("x");
		assertThat(target.resolve("was-dir")).isDirectory();
	}

	@Test
	void theFilesThatCameOutAreAllThatIsLeftNothingStaysInTheStagingDirectory() throws IOException {
		Path dist = staged("dist");
		Files.writeString(dist.resolve("a.txt"), "a\n");
		HostLanding.land(dist, this.root.resolve("copy"), SOURCE);

		try (Stream<Path> left = Files.list(this.staging)) {
			assertThat(left).isEmpty();
		}
		assertThat(this.root.resolve("copy/a.txt")).hasContent("a");
		assertThat(Files.isDirectory(this.root.resolve("copy"), LinkOption.NOFOLLOW_LINKS)).isTrue();
	}

	private Path staged(String name) throws IOException {
		try (Stream<Path> old = Files.list(this.staging)) {
			for (Path path : old.toList()) {
				deleteTree(path);
			}
		}
		return Files.createDirectory(this.staging.resolve(name));
	}

	private void assertOutsideUntouched() throws IOException {
		assertThat(this.outside).hasContent("the user's own");
		assertThat(Files.getLastModifiedTime(this.outside)).isEqualTo(this.outsideTime);
		try (Stream<Path> top = Files.list(this.root)) {
			assertThat(top.map((p) -> p.getFileName().toString()).filter((n) -> !n.startsWith(".dilxc-pull")))
				.doesNotContain("x", "planted");
		}
	}

	private static void deleteTree(Path path) throws IOException {
		if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
			try (Stream<Path> children = Files.list(path)) {
				for (Path child : children.toList()) {
					deleteTree(child);
				}
			}
		}
		Files.delete(path);
	}

}
