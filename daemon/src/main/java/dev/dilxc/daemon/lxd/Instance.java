package dev.dilxc.daemon.lxd;

/** An LXD instance as seen at one moment. */
public record Instance(InstanceName name, InstanceStatus status) {

	public boolean isRunning() {
		return this.status == InstanceStatus.RUNNING;
	}
}
