package dev.dilxc.client.sandboxes;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

import dev.dilxc.api.OperationEvent;
import dev.dilxc.client.render.Formats;
import dev.dilxc.client.render.TerminalText;

/**
 * How a long operation's events are shown. Off a terminal ({@link #plain}): every step
 * and output line as a line of its own, for logs and pipes. On a terminal
 * ({@link #live}): the steps stay as lines, while the output scrolls through one redrawn
 * line with a spinner, a bar of the steps done, the time taken and the latest output
 * line; when the operation fails, the failing step's last output lines are printed so
 * nothing needed is lost.
 */
abstract sealed class ProgressLine {

	/** Plain lines, as before: what a pipe, a log or {@code TERM=dumb} gets. */
	static ProgressLine plain(PrintWriter out) {
		return new Plain(out);
	}

	/** A redrawn progress line {@code columns} wide, timed by {@code formats}' clock. */
	static ProgressLine live(PrintWriter out, int columns, Formats formats) {
		return new Live(out, columns, formats);
	}

	abstract void event(OperationEvent event);

	/**
	 * Called on every poll that brought nothing new: the spinner turns, the clock moves.
	 */
	abstract void tick();

	/** The operation has ended. */
	abstract void finish(boolean succeeded);

	private static final class Plain extends ProgressLine {

		private final PrintWriter out;

		Plain(PrintWriter out) {
			this.out = out;
		}

		@Override
		void event(OperationEvent event) {
			this.out.println(OperationFollower.render(event));
		}

		@Override
		void tick() {
		}

		@Override
		void finish(boolean succeeded) {
		}

	}

	private static final class Live extends ProgressLine {

		/** Erase the line and go back to its start. */
		static final String CLEAR = "\r\u001b[2K";

		private static final String SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";

		private static final int BAR = 20;

		/** How many output lines of the current step are kept for a failure. */
		static final int KEPT = 15;

		private final PrintWriter out;

		private final int columns;

		private final Formats formats;

		private final Instant started;

		private final Deque<String> recent = new ArrayDeque<>();

		private int frame;

		private int step;

		private int steps;

		private String latest = "";

		private boolean drawn;

		Live(PrintWriter out, int columns, Formats formats) {
			this.out = out;
			this.columns = Math.max(20, columns);
			this.formats = formats;
			this.started = formats.now();
		}

		@Override
		void event(OperationEvent event) {
			switch (event.kind()) {
				case "step" -> {
					clear();
					this.out.println(OperationFollower.render(event));
					this.step = (event.step() != null) ? event.step() : this.step;
					this.steps = (event.steps() != null) ? event.steps() : this.steps;
					this.recent.clear();
					this.latest = "";
				}
				case "warning" -> {
					clear();
					this.out.println(OperationFollower.render(event));
				}
				default -> {
					String text = TerminalText.oneLine((event.text() != null) ? event.text() : "").strip();
					if (!text.isEmpty()) {
						this.latest = text;
					}
					this.recent.addLast(OperationFollower.render(event));
					while (this.recent.size() > KEPT) {
						this.recent.removeFirst();
					}
				}
			}
			draw();
		}

		@Override
		void tick() {
			this.frame++;
			draw();
		}

		@Override
		void finish(boolean succeeded) {
			clear();
			if (!succeeded && !this.recent.isEmpty()) {
				this.out.println("  (last output of the step)");
				this.recent.forEach(this.out::println);
			}
			this.out.flush();
		}

		private void draw() {
			this.out.print(CLEAR + line());
			this.out.flush();
			this.drawn = true;
		}

		/**
		 * {@code ⠹ [########............] 3/8  0m42s  Installing packages...}, cut to the
		 * terminal's width.
		 */
		String line() {
			StringBuilder line = new StringBuilder();
			line.append(SPINNER.charAt(this.frame % SPINNER.length())).append(' ');
			if (this.steps > 0) {
				int done = Math.max(0, Math.min(this.steps, this.step - 1));
				int filled = done * BAR / this.steps;
				line.append('[')
					.append("#".repeat(filled))
					.append(".".repeat(BAR - filled))
					.append("] ")
					.append(this.step)
					.append('/')
					.append(this.steps)
					.append("  ");
			}
			line.append(Formats.duration(elapsed()));
			if (!this.latest.isEmpty()) {
				line.append("  ").append(this.latest);
			}
			return TerminalText.abbreviate(line.toString(), this.columns - 1);
		}

		private Duration elapsed() {
			Duration elapsed = Duration.between(this.started, this.formats.now());
			return elapsed.isNegative() ? Duration.ZERO : elapsed;
		}

		private void clear() {
			if (this.drawn) {
				this.out.print(CLEAR);
				this.drawn = false;
			}
		}

	}

}
