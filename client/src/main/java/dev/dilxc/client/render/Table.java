package dev.dilxc.client.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A plain-text table: a header row and aligned columns separated by two spaces. Cells are
 * {@link TerminalText#oneLine(String) sanitized to one line}.
 */
public final class Table {

	private final List<String> headers;

	private final Set<Integer> rightAligned;

	private final List<List<String>> rows = new ArrayList<>();

	/**
	 * @param headers the column titles
	 * @param rightAligned indexes of columns to align right (numbers)
	 */
	public Table(List<String> headers, Set<Integer> rightAligned) {
		this.headers = headers;
		this.rightAligned = rightAligned;
	}

	public Table row(List<String> cells) {
		if (cells.size() != this.headers.size()) {
			throw new IllegalArgumentException(
					"row has " + cells.size() + " cells for " + this.headers.size() + " columns");
		}
		this.rows.add(cells.stream().map(TerminalText::oneLine).toList());
		return this;
	}

	/** The table as lines, without trailing spaces. */
	public List<String> lines() {
		int[] widths = new int[this.headers.size()];
		for (int i = 0; i < widths.length; i++) {
			widths[i] = width(this.headers.get(i));
		}
		for (List<String> row : this.rows) {
			for (int i = 0; i < widths.length; i++) {
				widths[i] = Math.max(widths[i], width(row.get(i)));
			}
		}
		List<String> lines = new ArrayList<>(this.rows.size() + 1);
		lines.add(line(this.headers, widths));
		for (List<String> row : this.rows) {
			lines.add(line(row, widths));
		}
		return lines;
	}

	private String line(List<String> cells, int[] widths) {
		StringBuilder line = new StringBuilder();
		for (int i = 0; i < widths.length; i++) {
			String cell = cells.get(i);
			int padding = widths[i] - width(cell);
			if (i > 0) {
				line.append("  ");
			}
			if (this.rightAligned.contains(i)) {
				line.repeat(' ', padding).append(cell);
			}
			else {
				line.append(cell);
				if (i < widths.length - 1) {
					line.repeat(' ', padding);
				}
			}
		}
		return line.toString().stripTrailing();
	}

	private static int width(String text) {
		return text.codePointCount(0, text.length());
	}
}
