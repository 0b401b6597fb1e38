package dev.dilxc.daemon.sandboxes;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;

import org.springframework.stereotype.Component;

import dev.dilxc.daemon.lxd.ExecRequest;
import dev.dilxc.daemon.lxd.ExecResult;
import dev.dilxc.daemon.lxd.ExecSession;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.lxd.Lxd;

/**
 * Runs the commands of operations inside a sandbox: as root, or as the sandbox user the
 * way every command of dilxc runs as that user (its environment from
 * {@code /etc/dilxc/env.sh}, argv passed through, never joined into a shell string). Long
 * commands stream their lines into the operation.
 */
@Component
class OperationExec {

	static final Duration QUICK = Duration.ofSeconds(60);

	private static final int TAIL = 15;

	private final Lxd lxd;

	private final SandboxesProperties properties;

	OperationExec(Lxd lxd, SandboxesProperties properties) {
		this.lxd = lxd;
		this.properties = properties;
	}

	ExecResult root(InstanceName name, String... command) {
		return this.lxd.exec(name, ExecRequest.asRoot(QUICK, command));
	}

	ExecResult user(InstanceName name, String directory, String... command) {
		return this.lxd.exec(name, userRequest(directory, QUICK, command));
	}

	ExecRequest userRequest(String directory, Duration timeout, String... command) {
		return SandboxShell.asUser(this.properties, directory, timeout, List.of(command));
	}

	/**
	 * Runs a long command, each output line an event of the operation; returns its exit
	 * code and its last lines (for a failure message). Fails the operation if it outlives
	 * {@code timeout}.
	 */
	Streamed stream(InstanceName name, String what, ExecRequest request, Operation operation, Duration timeout)
			throws InterruptedException {
		Deque<String> tail = new ArrayDeque<>();
		Consumer<String> lines = (line) -> {
			operation.line(line);
			synchronized (tail) {
				tail.addLast(line);
				if (tail.size() > TAIL) {
					tail.removeFirst();
				}
			}
		};
		ExecSession session = this.lxd.startExec(name, request, lines, lines, 64 * 1024);
		OptionalInt exit = session.waitFor(timeout);
		if (exit.isEmpty()) {
			session.detach();
			throw new OperationFailure(what + " did not finish within " + timeout.toMinutes()
					+ " min; it may still run " + "inside the sandbox. Look with 'dilxc-client @" + name
					+ " root', then run the operation again");
		}
		synchronized (tail) {
			return new Streamed(exit.getAsInt(), List.copyOf(tail));
		}
	}

	/** A streamed command's exit code and last output lines. */
	record Streamed(int exitCode, List<String> tail) {

		String lastLines() {
			return this.tail.isEmpty() ? "(it printed nothing)" : String.join("\n", this.tail);
		}
	}

}
