package dev.dilxc.daemon.sandboxes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class HostIdsTests {

	@Test
	void rootLineCoveringTheIdDelegatesIt() {
		List<String> lines = List.of("_lxd:100000:10000001", "root:100000:10000001", "root:1000:1");

		assertThat(HostIds.delegatedToRoot(lines, 1000)).isTrue();
		assertThat(HostIds.delegatedToRoot(lines, 150000)).isTrue();
		assertThat(HostIds.delegatedToRoot(lines, 1001)).isFalse();
	}

	@Test
	void otherUsersLinesAndGarbageDoNotCount() {
		assertThat(HostIds.delegatedToRoot(List.of("john:1000:1", "root:x:1", "# root:1000:1", ""), 1000)).isFalse();
	}

	@Test
	void missingFileDelegatesNothing() {
		assertThat(HostIds.delegatedToRoot(Path.of("/nonexistent/subuid"), 1000)).isFalse();
	}

}
