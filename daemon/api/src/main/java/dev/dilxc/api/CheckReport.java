package dev.dilxc.api;

import java.util.List;

/**
 * A list of checks; the client exits non-zero unless all passed.
 *
 * @param subject what was checked, e.g. {@code Health Check: docker-lxc}
 * @param checks every check, in order; none is skipped because an earlier one failed
 */
public record CheckReport(String subject, List<CheckResult> checks) {

	public boolean ok() {
		return this.checks.stream().allMatch(CheckResult::ok);
	}
}
