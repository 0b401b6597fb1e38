package dev.dilxc.daemon.sandboxes;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.dilxc.api.OperationEvent;
import dev.dilxc.api.OperationState;
import dev.dilxc.api.OperationView;

/**
 * One long sandbox operation (init, update) and what it reported so far. Its body writes
 * steps, output lines and warnings; the client reads them by sequence number while the
 * body runs. Secret values the operation was started with are masked in every event,
 * whatever printed them.
 */
final class Operation {

	/**
	 * Output lines kept per operation; a provisioning that prints more keeps its steps
	 * and its last words.
	 */
	static final int MAX_EVENTS = 20_000;

	private final long id;

	private final String kind;

	private final String sandbox;

	private final Instant startedAt;

	private final Clock clock;

	private final Set<String> secrets;

	private final List<OperationEvent> events = new ArrayList<>();

	private long seq;

	private boolean truncated;

	private OperationState state = OperationState.RUNNING;

	private @Nullable Instant finishedAt;

	private @Nullable String error;

	Operation(long id, String kind, String sandbox, Clock clock, Set<String> secrets) {
		this.id = id;
		this.kind = kind;
		this.sandbox = sandbox;
		this.clock = clock;
		this.secrets = Set.copyOf(secrets);
		this.startedAt = clock.instant();
	}

	long id() {
		return this.id;
	}

	String sandbox() {
		return this.sandbox;
	}

	/** A new numbered step begins. */
	void step(int step, int steps, String title) {
		add("step", step, steps, title, true);
	}

	/** A line of output of the current step. */
	void line(String text) {
		add("line", null, null, text, false);
	}

	/** Something the user should know that does not stop the operation. */
	void warning(String text) {
		add("warning", null, null, text, true);
	}

	synchronized void succeed() {
		finish(OperationState.SUCCEEDED, null);
	}

	synchronized void fail(@Nullable String error) {
		finish(OperationState.FAILED, (error != null) ? mask(error) : null);
	}

	synchronized boolean isFinished() {
		return this.state.isTerminal();
	}

	synchronized OperationView view() {
		return new OperationView(this.id, this.kind, this.sandbox, this.state, this.startedAt, this.finishedAt,
				this.error);
	}

	/** The events with a sequence number above {@code after}, oldest first. */
	synchronized List<OperationEvent> eventsAfter(long after) {
		int from = 0;
		int to = this.events.size();
		while (from < to) { // events are ordered by seq: binary search the first one
							// above 'after'
			int mid = (from + to) >>> 1;
			if (this.events.get(mid).seq() <= after) {
				from = mid + 1;
			}
			else {
				to = mid;
			}
		}
		return List.copyOf(this.events.subList(from, this.events.size()));
	}

	private synchronized void add(String kind, @Nullable Integer step, @Nullable Integer steps, String text,
			boolean always) {
		if (!always && this.events.size() >= MAX_EVENTS) {
			if (!this.truncated) {
				this.truncated = true;
				append("warning", null, null, "output cut after " + MAX_EVENTS + " lines; the rest was not kept");
			}
			return;
		}
		append(kind, step, steps, text);
	}

	private void append(String kind, @Nullable Integer step, @Nullable Integer steps, String text) {
		this.events.add(new OperationEvent(++this.seq, this.clock.instant(), kind, step, steps, mask(text)));
	}

	private void finish(OperationState state, @Nullable String error) {
		if (this.state.isTerminal()) {
			return;
		}
		this.state = state;
		this.error = error;
		this.finishedAt = this.clock.instant();
	}

	private String mask(String text) {
		String masked = text;
		for (String secret : this.secrets) {
			masked = masked.replace(secret, "[masked]");
		}
		return masked;
	}

}
