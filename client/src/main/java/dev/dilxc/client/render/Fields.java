package dev.dilxc.client.render;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code label: value} lines with the values aligned; a value of several lines continues
 * indented.
 */
public final class Fields {

	private Fields() {
	}

	/**
	 * @param fields pairs of label and value (already {@link Formats#orNone(Object) made
	 * printable})
	 */
	public static List<String> lines(List<String[]> fields) {
		int width = fields.stream().mapToInt(field -> field[0].length()).max().orElse(0) + 1;
		List<String> lines = new ArrayList<>();
		String indent = " ".repeat(width + 1);
		for (String[] field : fields) {
			List<String> value = TerminalText.sanitize(field[1]).strip().lines().toList();
			String label = field[0] + ":";
			lines.add((label + " ".repeat(width - label.length()) + " " + (value.isEmpty() ? "" : value.getFirst()))
				.stripTrailing());
			for (int i = 1; i < value.size(); i++) {
				lines.add((indent + value.get(i)).stripTrailing());
			}
		}
		return lines;
	}

}
