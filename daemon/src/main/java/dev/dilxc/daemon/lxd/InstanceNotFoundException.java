package dev.dilxc.daemon.lxd;

/** LXD has no instance by this name. */
public final class InstanceNotFoundException extends LxdException {

	private final InstanceName name;

	InstanceNotFoundException(InstanceName name, Throwable cause) {
		super("LXD has no instance named '" + name + "'", cause);
		this.name = name;
	}

	public InstanceName name() {
		return this.name;
	}

}
