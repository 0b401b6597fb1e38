package dev.dilxc.daemon.lxd;

import java.util.regex.Pattern;

/**
 * An LXD instance name, checked against LXD's rules before it reaches a command line: 1
 * to 63 letters, digits and hyphens, starting with a letter, not ending with a hyphen.
 */
public record InstanceName(String value) {

	private static final Pattern VALID = Pattern.compile("[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

	public InstanceName {
		if (value == null || !VALID.matcher(value).matches()) {
			throw new IllegalArgumentException("'" + value + "' is not a valid sandbox name: use 1-63 letters, "
					+ "digits and hyphens, starting with a letter and not ending with a hyphen");
		}
	}

	@Override
	public String toString() {
		return this.value;
	}
}
