package dev.dilxc.daemon.lxd;

import java.util.List;

/**
 * A pull that was refused before anything was written on the host: what came out of the
 * instance holds a symbolic link that leads out of what was pulled, or the host
 * destination holds a link (or a file where a directory goes, or the other way round)
 * that the copy would have to write through or over. The message names every such path
 * and says what to do; nothing of the pull is left on the host.
 */
public final class UnsafePullException extends RuntimeException {

	private final List<String> problems;

	UnsafePullException(String message, List<String> problems) {
		super(message);
		this.problems = List.copyOf(problems);
	}

	/** One line per refused path, each naming it. */
	public List<String> problems() {
		return this.problems;
	}

}
