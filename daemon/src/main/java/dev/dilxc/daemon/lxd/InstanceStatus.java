package dev.dilxc.daemon.lxd;

import java.util.Locale;

/** The run state LXD reports for an instance. */
public enum InstanceStatus {

	RUNNING, STOPPED, FROZEN, ERROR, OTHER;

	static InstanceStatus of(String lxdStatus) {
		return switch (lxdStatus == null ? "" : lxdStatus.toLowerCase(Locale.ROOT)) {
			case "running" -> RUNNING;
			case "stopped" -> STOPPED;
			case "frozen" -> FROZEN;
			case "error" -> ERROR;
			default -> OTHER;
		};
	}

}
