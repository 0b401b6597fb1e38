package dev.dilxc.client.render;

import java.util.List;

import dev.dilxc.api.QuarantineView;
import org.jspecify.annotations.Nullable;

/**
 * How a quarantined sandbox reads wherever the client shows it ({@code status},
 * {@code jobs}, {@code report}): what failed, for which job, when the daemon tries again,
 * and the command that retries now.
 */
public final class Quarantines {

	/**
	 * Characters of the failed step's error shown on one line; {@code --json} has all of
	 * it.
	 */
	static final int MAX_ERROR = 200;

	private Quarantines() {
	}

	/** {@code RESTORE failed for job 12: <first line of the error>}. */
	public static String failure(QuarantineView quarantine) {
		String error = (quarantine.error() != null) ? TerminalText.firstLine(quarantine.error(), MAX_ERROR) : "";
		return TerminalText.oneLine(String.valueOf(quarantine.step())) + " failed"
				+ ((quarantine.jobId() != null) ? " for job " + quarantine.jobId() : "")
				+ (error.isEmpty() ? "" : ": " + error);
	}

	/** {@code next retry 2026-11-27 10:05:00; 'dilxc-client repair @web'}. */
	public static String nextStep(QuarantineView quarantine, Formats formats) {
		return "next retry " + formats.fullTime(quarantine.nextAttemptAt()) + "; " + command(quarantine);
	}

	/** {@code 'dilxc-client repair @web'}. */
	public static String command(QuarantineView quarantine) {
		return "'dilxc-client repair @" + TerminalText.oneLine(quarantine.sandbox()) + "'";
	}

	/**
	 * {@code sandbox web needs attention: RESTORE failed for job 12: <error> — next retry <time>; 'dilxc-client
	 * repair @web'}, "needs attention" in yellow when colour is on.
	 */
	public static String line(QuarantineView quarantine, Formats formats, Ansi ansi) {
		return "sandbox " + TerminalText.oneLine(quarantine.sandbox()) + " " + ansi.yellow("needs attention") + ": "
				+ failure(quarantine) + " — " + nextStep(quarantine, formats);
	}

	/**
	 * The entries worth showing: a null list (an older daemon) is none, and so is an
	 * entry without a sandbox.
	 */
	public static List<QuarantineView> of(@Nullable List<QuarantineView> quarantined) {
		return (quarantined != null) ? quarantined.stream().filter(Quarantines::isShown).toList() : List.of();
	}

	private static boolean isShown(@Nullable QuarantineView quarantine) {
		return quarantine != null && quarantine.sandbox() != null && quarantine.step() != null;
	}

}
