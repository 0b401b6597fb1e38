package dev.dilxc.client.sandboxes;

import java.util.ArrayList;
import java.util.List;

import dev.dilxc.api.CheckReport;
import dev.dilxc.api.CheckResult;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.render.TerminalText;
import org.springframework.shell.core.command.ExitStatus;

/**
 * How {@code health-check}, {@code git-auth} and {@code doctor} print their checks, and
 * their exit status.
 */
final class CheckReports {

	private CheckReports() {
	}

	/**
	 * {@code === subject ===}, then {@code   Name:   ok|FAILED detail} aligned, with
	 * {@code     → fix} under each failure.
	 */
	static List<String> lines(CheckReport report) {
		List<String> lines = new ArrayList<>();
		lines.add("=== " + TerminalText.oneLine(report.subject()) + " ===");
		int width = report.checks()
			.stream()
			.mapToInt(check -> TerminalText.oneLine(check.name()).length())
			.max()
			.orElse(0) + 1;
		for (CheckResult check : report.checks()) {
			String label = TerminalText.oneLine(check.name()) + ":";
			lines.add("  " + label + " ".repeat(width - label.length()) + "  " + outcome(check));
			if (!check.ok() && check.fix() != null && !check.fix().isBlank()) {
				check.fix()
					.lines()
					.map(TerminalText::oneLine)
					.filter(line -> !line.isEmpty())
					.forEach(line -> lines.add("    → " + line));
			}
		}
		lines.add("");
		lines.add(report.ok() ? "All checks passed." : "Some checks failed.");
		return lines;
	}

	/** {@code ok}, {@code ok (2 identities available)}, {@code FAILED cannot connect}. */
	static String outcome(CheckResult check) {
		String detail = (check.detail() != null) ? TerminalText.oneLine(check.detail()) : "";
		if (check.ok()) {
			if (detail.isEmpty() || detail.equalsIgnoreCase("ok")) {
				return "ok";
			}
			return detail.regionMatches(true, 0, "ok", 0, 2) ? detail : "ok (" + detail + ")";
		}
		return detail.isEmpty() ? "FAILED" : "FAILED " + detail;
	}

	/**
	 * OK when every check passed, else {@link ExitCodes#FAILED} saying how many did not.
	 */
	static ExitStatus status(CheckReport report) {
		long failed = report.checks().stream().filter(check -> !check.ok()).count();
		if (failed == 0) {
			return ExitStatus.OK;
		}
		return new ExitStatus(ExitCodes.FAILED, failed + " of " + report.checks().size() + " checks failed");
	}

}
