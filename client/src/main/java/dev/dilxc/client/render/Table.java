package dev.dilxc.client.render;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A plain-text table: a header row and aligned columns separated by two spaces. Cells are
 * {@link TerminalText#oneLine(String) sanitized to one line}.
 */
public final class Table {

	private final List<String> headers;

	private final Set<Integer> rightAligned;

	private final List<List<String>> rows = new ArrayList<>();

	private final Map<Integer, UnaryOperator<String>> styles = new HashMap<>();

	/** The narrowest the last column gets cut to by {@link #lines(int)}. */
	static final int MIN_LAST_COLUMN = 20;

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

	/**
	 * Styles the cells (not the header) of a column after alignment, e.g. with
	 * {@link Ansi} colours: {@code style} gets the cell's text and must not change how
	 * wide it looks.
	 */
	public Table style(int column, UnaryOperator<String> style) {
		this.styles.put(column, style);
		return this;
	}

	/** The table as lines, without trailing spaces. */
	public List<String> lines() {
		return lines(Integer.MAX_VALUE);
	}

	/**
	 * The table as lines, the last column's cells cut with an ellipsis so that lines fit
	 * in {@code maxWidth} (but the last column keeps at least {@value #MIN_LAST_COLUMN}
	 * characters).
	 */
	public List<String> lines(int maxWidth) {
		int last = this.headers.size() - 1;
		int[] widths = new int[this.headers.size()];
		for (int i = 0; i < widths.length; i++) {
			widths[i] = width(this.headers.get(i));
		}
		for (List<String> row : this.rows) {
			for (int i = 0; i < last; i++) {
				widths[i] = Math.max(widths[i], width(row.get(i)));
			}
		}
		int start = 0;
		for (int i = 0; i < last; i++) {
			start += widths[i] + 2;
		}
		int room = (maxWidth == Integer.MAX_VALUE) ? Integer.MAX_VALUE : Math.max(MIN_LAST_COLUMN, maxWidth - start);
		List<List<String>> rows = new ArrayList<>(this.rows.size());
		for (List<String> row : this.rows) {
			List<String> cut = new ArrayList<>(row);
			cut.set(last, TerminalText.abbreviate(row.get(last), room));
			widths[last] = Math.max(widths[last], width(cut.get(last)));
			rows.add(cut);
		}
		List<String> lines = new ArrayList<>(this.rows.size() + 1);
		lines.add(line(this.headers, widths, false));
		for (List<String> row : rows) {
			lines.add(line(row, widths, true));
		}
		return lines;
	}

	private String line(List<String> cells, int[] widths, boolean styled) {
		StringBuilder line = new StringBuilder();
		for (int i = 0; i < widths.length; i++) {
			String cell = cells.get(i);
			int padding = widths[i] - width(cell);
			UnaryOperator<String> style = this.styles.get(i);
			if (styled && style != null) {
				cell = style.apply(cell);
			}
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
