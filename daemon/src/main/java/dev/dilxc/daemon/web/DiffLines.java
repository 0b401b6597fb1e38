package dev.dilxc.daemon.web;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A unified diff split into lines, each tagged for its style: added, removed, hunk
 * header, file header, context.
 */
final class DiffLines {

	record Line(String kind, String text) {
	}

	private DiffLines() {
	}

	static List<Line> of(@Nullable String diff) {
		if (diff == null || diff.isEmpty()) {
			return List.of();
		}
		return diff.lines().map((text) -> new Line(kind(text), text)).toList();
	}

	private static String kind(String line) {
		if (line.startsWith("+++ ") || line.startsWith("--- ") || line.startsWith("diff ") || line.startsWith("index ")
				|| line.startsWith("new file") || line.startsWith("deleted file")) {
			return "meta";
		}
		if (line.startsWith("@@")) {
			return "hunk";
		}
		if (line.startsWith("+")) {
			return "add";
		}
		if (line.startsWith("-")) {
			return "del";
		}
		return "ctx";
	}

}
