package dev.dilxc.client.render;

import java.util.regex.Pattern;

/**
 * Makes untrusted text (agent output, prompts, daemon messages) safe to print on a
 * terminal: escape sequences are removed and other control characters are replaced, so
 * output cannot move the cursor, retitle the window, hide text or otherwise drive the
 * terminal.
 */
public final class TerminalText {

	/** What a lone control character is replaced with. */
	public static final char REPLACEMENT = '\uFFFD';

	/** Marks text that was cut short. */
	public static final String ELLIPSIS = "…";

	private static final char ESC = 0x1B;

	private static final char BEL = 0x07;

	private static final char CSI_C1 = 0x9B;

	private static final char OSC_C1 = 0x9D;

	private static final char ST_C1 = 0x9C;

	private static final Pattern LINE_BREAKS = Pattern.compile("[ \\t]*[\\n\\t][ \\t\\n]*");

	private TerminalText() {
	}

	/**
	 * Removes escape sequences (CSI, OSC, DCS and two-character ones) and replaces other
	 * control characters with {@link #REPLACEMENT}. Newlines and tabs stay; carriage
	 * returns are dropped.
	 */
	public static String sanitize(String text) {
		if (isClean(text)) {
			return text;
		}
		StringBuilder out = new StringBuilder(text.length());
		int length = text.length();
		int i = 0;
		while (i < length) {
			char c = text.charAt(i);
			if (c == ESC) {
				i = skipEscape(text, i + 1);
			}
			else if (c == CSI_C1) {
				i = skipCsi(text, i + 1);
			}
			else if (c == OSC_C1) {
				i = skipString(text, i + 1);
			}
			else if (c == '\r') {
				i++;
			}
			else if (c == '\n' || c == '\t') {
				out.append(c);
				i++;
			}
			else if (isControl(c)) {
				out.append(REPLACEMENT);
				i++;
			}
			else {
				out.append(c);
				i++;
			}
		}
		return out.toString();
	}

	/**
	 * {@link #sanitize(String) Sanitized}, with line breaks and tabs turned into single
	 * spaces.
	 */
	public static String oneLine(String text) {
		return LINE_BREAKS.matcher(sanitize(text).strip()).replaceAll(" ");
	}

	/**
	 * The first line of {@code text}, sanitized and cut to {@code max} characters; an
	 * {@link #ELLIPSIS} marks anything left out (more characters or more lines).
	 */
	public static String firstLine(String text, int max) {
		String clean = sanitize(text).strip();
		int newline = clean.indexOf('\n');
		boolean more = newline >= 0;
		String line = (more ? clean.substring(0, newline) : clean).replace('\t', ' ').strip();
		if (line.codePointCount(0, line.length()) > max) {
			return cut(line, max - 1) + ELLIPSIS;
		}
		return more ? line + " " + ELLIPSIS : line;
	}

	/**
	 * Cuts {@code text} to at most {@code max} code points, adding an ellipsis if it was
	 * longer.
	 */
	public static String abbreviate(String text, int max) {
		if (text.codePointCount(0, text.length()) <= max) {
			return text;
		}
		return cut(text, max - 1) + ELLIPSIS;
	}

	private static String cut(String text, int codePoints) {
		int end = text.offsetByCodePoints(0, Math.max(0, codePoints));
		return text.substring(0, end).stripTrailing();
	}

	private static boolean isClean(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c != '\n' && c != '\t' && isControl(c)) {
				return false;
			}
		}
		return true;
	}

	private static boolean isControl(char c) {
		return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F);
	}

	/** Skips the rest of an escape sequence that started with ESC at {@code i - 1}. */
	private static int skipEscape(String text, int i) {
		if (i >= text.length()) {
			return i;
		}
		char c = text.charAt(i);
		return switch (c) {
			case '[' -> skipCsi(text, i + 1);
			case ']', 'P', 'X', '^', '_' -> skipString(text, i + 1);
			default -> {
				// ESC, intermediate bytes (0x20-0x2F), one final byte
				int j = i;
				while (j < text.length() && text.charAt(j) >= 0x20 && text.charAt(j) <= 0x2F) {
					j++;
				}
				yield Math.min(j + 1, text.length());
			}
		};
	}

	/** Skips CSI parameter and intermediate bytes and the final byte (0x40-0x7E). */
	private static int skipCsi(String text, int i) {
		int j = i;
		while (j < text.length()) {
			char c = text.charAt(j);
			if (c >= 0x40 && c <= 0x7E) {
				return j + 1;
			}
			if (c < 0x20 || c > 0x3F) {
				// not part of a CSI sequence: stop here and let the caller handle it
				return j;
			}
			j++;
		}
		return j;
	}

	/** Skips an OSC/DCS/PM/APC string up to BEL, ST (ESC \) or the C1 ST. */
	private static int skipString(String text, int i) {
		int j = i;
		while (j < text.length()) {
			char c = text.charAt(j);
			if (c == BEL || c == ST_C1) {
				return j + 1;
			}
			if (c == ESC) {
				return (j + 1 < text.length() && text.charAt(j + 1) == '\\') ? j + 2 : j + 1;
			}
			j++;
		}
		return j;
	}

}
