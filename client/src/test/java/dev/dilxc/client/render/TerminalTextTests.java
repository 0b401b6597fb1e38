package dev.dilxc.client.render;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalTextTests {

	@Test
	void sanitizeRemovesEscapeSequences() {
		assertThat(TerminalText.sanitize("\u001b[1;31mred\u001b[0m plain")).isEqualTo("red plain");
		assertThat(TerminalText.sanitize("a\u001b]0;new title\u0007b")).isEqualTo("ab");
		assertThat(TerminalText.sanitize("a\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\b")).isEqualTo("alinkb");
		assertThat(TerminalText.sanitize("a\u001b[2Jb\u001bcc\u001b(Bd")).isEqualTo("abcd");
		assertThat(TerminalText.sanitize("a\u009b31mb")).isEqualTo("ab");
	}

	@Test
	void sanitizeReplacesOtherControlCharactersButKeepsNewlinesAndTabs() {
		assertThat(TerminalText.sanitize("a\u0000b\u0008c\u007fd\u0085e")).isEqualTo("a\ufffdb\ufffdc\ufffdd\ufffde");
		assertThat(TerminalText.sanitize("line\r\nnext\ttab")).isEqualTo("line\nnext\ttab");
		assertThat(TerminalText.sanitize("progress 10%\rprogress 100%")).isEqualTo("progress 10%progress 100%");
	}

	@Test
	void sanitizeLeavesCleanTextAlone() {
		String text = "plain \u00e9\u4e2d\ud83d\ude80 text\n";
		assertThat(TerminalText.sanitize(text)).isSameAs(text);
	}

	@Test
	void sanitizeOfAnUnterminatedEscapeDropsItsRest() {
		assertThat(TerminalText.sanitize("ok\u001b[")).isEqualTo("ok");
		assertThat(TerminalText.sanitize("ok\u001b]0;title")).isEqualTo("ok");
		assertThat(TerminalText.sanitize("ok\u001b")).isEqualTo("ok");
	}

	@Test
	void firstLineCutsAndMarksWhatIsLeftOut() {
		assertThat(TerminalText.firstLine("short", 10)).isEqualTo("short");
		assertThat(TerminalText.firstLine("exactly ten", 11)).isEqualTo("exactly ten");
		assertThat(TerminalText.firstLine("this is far too long", 10)).isEqualTo("this is f…");
		assertThat(TerminalText.firstLine("first\nsecond", 10)).isEqualTo("first …");
		assertThat(TerminalText.firstLine("\n  padded  \n", 10)).isEqualTo("padded");
	}

	@Test
	void oneLineJoinsLines() {
		assertThat(TerminalText.oneLine(" a\n\tb\n c ")).isEqualTo("a b c");
	}

}
