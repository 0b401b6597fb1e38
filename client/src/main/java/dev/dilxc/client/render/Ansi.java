package dev.dilxc.client.render;

import dev.dilxc.api.JobState;
import org.jspecify.annotations.Nullable;

/**
 * SGR colours for output on a terminal, or none at all: whoever builds it decides (see
 * {@link dev.dilxc.client.sandboxes.HostEnvironment#colour()}), so piped output stays
 * plain. Colour only text that was sanitized first; the codes themselves are the only
 * escapes we print.
 */
public final class Ansi {

	/** Colours nothing. */
	public static final Ansi OFF = new Ansi(false);

	private static final String RESET = "\u001b[0m";

	private final boolean enabled;

	public Ansi(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean enabled() {
		return this.enabled;
	}

	public String green(String text) {
		return sgr("32", text);
	}

	public String red(String text) {
		return sgr("31", text);
	}

	public String yellow(String text) {
		return sgr("33", text);
	}

	public String cyan(String text) {
		return sgr("36", text);
	}

	public String bold(String text) {
		return sgr("1", text);
	}

	/**
	 * {@code text} in the colour of a job in {@code state}: green succeeded, red failed,
	 * yellow cancelled.
	 */
	public String state(@Nullable JobState state, String text) {
		if (state == null) {
			return text;
		}
		return switch (state) {
			case SUCCEEDED -> green(text);
			case FAILED, TIMED_OUT, INTERRUPTED -> red(text);
			case CANCELLED -> yellow(text);
			case QUEUED, SNAPSHOTTING, RUNNING -> cyan(text);
		};
	}

	/**
	 * A table cell that is or ends with a job state's name ({@code SUCCEEDED},
	 * {@code run SKIPPED ...
	 * FAILED}), that name coloured as {@link #state}; other text as it is. Cells are
	 * padded, so the name is found at the end of the trimmed text.
	 */
	public String stateCell(String text) {
		String trimmed = text.stripTrailing();
		for (JobState state : JobState.values()) {
			if (trimmed.endsWith(" " + state.name()) || trimmed.equals(state.name())) {
				int at = trimmed.length() - state.name().length();
				return text.substring(0, at) + state(state, state.name()) + text.substring(trimmed.length());
			}
		}
		return text;
	}

	private String sgr(String code, String text) {
		return (this.enabled && !text.isEmpty()) ? "\u001b[" + code + "m" + text + RESET : text;
	}

}
