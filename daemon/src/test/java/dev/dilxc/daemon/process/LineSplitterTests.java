package dev.dilxc.daemon.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LineSplitterTests {

	private final List<String> lines = new ArrayList<>();

	@Test
	void writeWhenChunksSplitLinesAnywhereDeliversWholeLines() {
		LineSplitter splitter = new LineSplitter(this.lines::add, 1024);
		byte[] text = "first line\nsecond é line\r\nthird".getBytes(StandardCharsets.UTF_8);
		for (byte b : text) {
			splitter.write(new byte[] { b }, 0, 1);
		}
		assertThat(this.lines).containsExactly("first line", "second é line");
		splitter.close();
		assertThat(this.lines).containsExactly("first line", "second é line", "third");
	}

	@Test
	void writeWhenLineLongerThanCapKeepsHeadAndSaysHowMuchWasDropped() {
		LineSplitter splitter = new LineSplitter(this.lines::add, 10);
		byte[] huge = new byte[5_000_000];
		java.util.Arrays.fill(huge, (byte) 'x');
		splitter.write(huge, 0, huge.length);
		splitter.write("\nnext\n".getBytes(StandardCharsets.UTF_8), 0, 6);
		assertThat(this.lines).containsExactly("xxxxxxxxxx [dilxc: line cut at 10 bytes, 4999990 bytes dropped]",
				"next");
	}

	@Test
	void closeWhenNothingPendingDeliversNothing() {
		LineSplitter splitter = new LineSplitter(this.lines::add, 10);
		splitter.write("a\n".getBytes(StandardCharsets.UTF_8), 0, 2);
		splitter.close();
		splitter.close();
		assertThat(this.lines).containsExactly("a");
	}

}
