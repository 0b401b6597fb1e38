package dev.dilxc.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** When the sandbox goes back to the job's pre-run snapshot once the job has ended. */
public enum RestorePolicy {

	/** Keep whatever the agent left behind. */
	NEVER("never"),
	/** Restore unless the job SUCCEEDED (the default). */
	ON_FAILURE("on-failure"),
	/** Restore after every job, successful or not. */
	ALWAYS("always");

	private final String cliName;

	RestorePolicy(String cliName) {
		this.cliName = cliName;
	}

	/** The spelling users type: {@code never}, {@code on-failure}, {@code always}. */
	public String cliName() {
		return this.cliName;
	}

	/** Whether a job that ended in {@code state} gets its sandbox restored. */
	public boolean restoresAfter(JobState state) {
		return switch (this) {
			case NEVER -> false;
			case ALWAYS -> true;
			case ON_FAILURE -> state != JobState.SUCCEEDED;
		};
	}

	/**
	 * Parses the CLI spelling (or the enum name), naming the accepted values when it
	 * fails.
	 */
	public static RestorePolicy parse(String text) {
		String wanted = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
		for (RestorePolicy policy : values()) {
			if (policy.cliName.equals(wanted)) {
				return policy;
			}
		}
		throw new IllegalArgumentException("unknown restore policy '" + text + "': use one of "
				+ Arrays.stream(values()).map(RestorePolicy::cliName).collect(Collectors.joining(", ")));
	}

}
