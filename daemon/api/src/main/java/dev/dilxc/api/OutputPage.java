package dev.dilxc.api;

import java.util.List;

/**
 * A slice of a job's output, for reading a log while it grows.
 *
 * @param jobId the job
 * @param lines lines with {@code seq} greater than the requested {@code after}, in order
 * @param next the {@code after} value for the next request
 * @param state the job's state when the page was read
 */
public record OutputPage(long jobId, List<OutputLine> lines, long next, JobState state) {

	/** Whether no more lines can ever follow this page. */
	public boolean complete() {
		return this.state.isTerminal() && this.lines.isEmpty();
	}
}
