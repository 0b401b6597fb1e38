package dev.dilxc.daemon.lxd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.daemon.lxd.ProcessRunner.ProcessStartException;
import dev.dilxc.daemon.lxd.ProcessRunner.ProcessTimeoutException;
import dev.dilxc.daemon.lxd.ProcessRunner.StreamingProcess;

/**
 * {@link Lxd} implemented by running the {@code lxc} (or {@code incus}) client. This class is the only
 * place that reads the client's stderr: it turns CLI failures into the {@link LxdException} family.
 */
final class CliLxd implements Lxd {

	private final ProcessRunner runner;

	private final LxdProperties properties;

	private final JsonMapper json;

	CliLxd(ProcessRunner runner, LxdProperties properties, JsonMapper json) {
		this.runner = runner;
		this.properties = properties;
		this.json = json;
	}

	@Override
	public Optional<Instance> findInstance(InstanceName name) {
		try {
			return Optional.of(run(new LxdCommand.GetInstance(name)));
		}
		catch (InstanceNotFoundException ex) {
			return Optional.empty();
		}
	}

	@Override
	public void createSnapshot(InstanceName name, String snapshot) {
		run(new LxdCommand.CreateSnapshot(name, snapshot));
	}

	@Override
	public List<InstanceSnapshot> listSnapshots(InstanceName name) {
		return run(new LxdCommand.ListSnapshots(name));
	}

	@Override
	public void restoreSnapshot(InstanceName name, String snapshot) {
		run(new LxdCommand.RestoreSnapshot(name, snapshot));
	}

	@Override
	public void renameSnapshot(InstanceName name, String snapshot, String newName) {
		run(new LxdCommand.RenameSnapshot(name, snapshot, newName));
	}

	@Override
	public void deleteSnapshot(InstanceName name, String snapshot) {
		try {
			run(new LxdCommand.DeleteSnapshot(name, snapshot));
		}
		catch (SnapshotNotFoundException ex) {
			// Already gone: the caller's intent holds.
		}
	}

	@Override
	public ExecResult exec(InstanceName name, ExecRequest request) {
		LxdCommand.Exec command = new LxdCommand.Exec(name, request);
		ProcessResult result = runProcess(command, request.timeout());
		if (result.exitCode() != 0 && isLxdError(result)) {
			throw translate(command, new ProcessExitException(result));
		}
		return command.response(result, this.json);
	}

	@Override
	public ExecSession startExec(InstanceName name, ExecRequest request, Consumer<String> stdoutLines,
			Consumer<String> stderrLines, int maxLineBytes) {
		List<String> argv = argv(new LxdCommand.Exec(name, request));
		try {
			return new CliExecSession(this.runner.start(argv, stdoutLines, stderrLines, maxLineBytes));
		}
		catch (ProcessStartException ex) {
			throw new LxdUnavailableException(ex.getMessage(), ex);
		}
	}

	// Contract placeholders: the lxd-port branch implements these; none may survive to main.
	@Override public List<InstanceDetails> listInstances() { throw new UnsupportedOperationException("TODO lxd-port"); }
	@Override public InstanceDetails describeInstance(InstanceName name) { throw new UnsupportedOperationException("TODO lxd-port"); }
	@Override public void createInstance(InstanceSpec spec) { throw new UnsupportedOperationException("TODO lxd-port"); }
	@Override public void startInstance(InstanceName name) { throw new UnsupportedOperationException("TODO lxd-port"); }
	@Override public void stopInstance(InstanceName name) { throw new UnsupportedOperationException("TODO lxd-port"); }
	@Override public void restartInstance(InstanceName name) { throw new UnsupportedOperationException("TODO lxd-port"); }
	@Override public void deleteInstance(InstanceName name) { throw new UnsupportedOperationException("TODO lxd-port"); }
	@Override public void setConfig(InstanceName name, java.util.Map<String, String> config) { throw new UnsupportedOperationException("TODO lxd-port"); }
	@Override public void addDevice(InstanceName name, String device, String type, java.util.Map<String, String> properties) { throw new UnsupportedOperationException("TODO lxd-port"); }
	@Override public void setDevice(InstanceName name, String device, java.util.Map<String, String> properties) { throw new UnsupportedOperationException("TODO lxd-port"); }
	@Override public void removeDevice(InstanceName name, String device) { throw new UnsupportedOperationException("TODO lxd-port"); }
	@Override public void pushFile(InstanceName name, java.nio.file.Path hostPath, String instancePath, int uid, int gid) { throw new UnsupportedOperationException("TODO lxd-port"); }
	@Override public void pullFile(InstanceName name, String instancePath, java.nio.file.Path hostPath) { throw new UnsupportedOperationException("TODO lxd-port"); }
	@Override public void writeFile(InstanceName name, String instancePath, byte[] content, int uid, int gid, int mode) { throw new UnsupportedOperationException("TODO lxd-port"); }
	@Override public Optional<StoragePool> findStoragePool(String pool) { throw new UnsupportedOperationException("TODO lxd-port"); }
	@Override public boolean imageExists(String image) { throw new UnsupportedOperationException("TODO lxd-port"); }
	@Override public LxdServer server() { throw new UnsupportedOperationException("TODO lxd-port"); }

	private <R> R run(LxdCommand<R> command) {
		Duration timeout = command.slow() ? this.properties.snapshotTimeout() : this.properties.commandTimeout();
		ProcessResult result = runProcess(command, timeout);
		if (result.exitCode() != 0) {
			throw translate(command, new ProcessExitException(result));
		}
		try {
			return command.response(result, this.json);
		}
		catch (RuntimeException ex) {
			throw new LxdOperationFailedException("could not read the answer of '" + this.properties.executable() + " "
					+ String.join(" ", command.arguments()) + "': " + ex.getMessage(), ex);
		}
	}

	private ProcessResult runProcess(LxdCommand<?> command, Duration timeout) {
		try {
			return this.runner.run(argv(command), new byte[0], timeout);
		}
		catch (ProcessStartException ex) {
			throw new LxdUnavailableException(ex.getMessage() + " (is LXD installed? set dilxc.lxd.executable)", ex);
		}
		catch (ProcessTimeoutException ex) {
			throw new LxdOperationFailedException(ex.getMessage(), ex);
		}
	}

	private List<String> argv(LxdCommand<?> command) {
		List<String> argv = new ArrayList<>();
		argv.add(this.properties.executable());
		argv.addAll(command.arguments());
		return argv;
	}

	private static boolean isLxdError(ProcessResult result) {
		// A command inside the instance may fail with any code; only LXD's own failures start with "Error: ".
		return result.stderr().strip().lines().reduce((a, b) -> b).orElse("").startsWith("Error: ");
	}

	private LxdException translate(LxdCommand<?> command, ProcessExitException failure) {
		String error = failure.cliError();
		String lower = error.toLowerCase(Locale.ROOT);
		if (lower.contains("unix.socket") || lower.contains("connection refused") || lower.contains("lxd socket")
				|| lower.contains("daemon not running") || lower.contains("cannot connect")) {
			return new LxdUnavailableException("LXD is not reachable: " + error, failure);
		}
		if (command instanceof LxdCommand.CreateSnapshot create && lower.contains("already exists")) {
			return new SnapshotExistsException(create.name(), create.snapshot(), failure);
		}
		if (lower.contains("not found")) {
			return switch (command) {
				case LxdCommand.CreateSnapshot c -> new InstanceNotFoundException(c.name(), failure);
				case LxdCommand.RestoreSnapshot c -> notFound(c.name(), c.snapshot(), lower, failure);
				case LxdCommand.DeleteSnapshot c -> notFound(c.name(), c.snapshot(), lower, failure);
				case LxdCommand.RenameSnapshot c -> notFound(c.name(), c.snapshot(), lower, failure);
				case LxdCommand.GetInstance c -> new InstanceNotFoundException(c.name(), failure);
				case LxdCommand.ListSnapshots c -> new InstanceNotFoundException(c.name(), failure);
				case LxdCommand.Exec c -> new InstanceNotFoundException(c.name(), failure);
			};
		}
		return new LxdOperationFailedException(this.properties.executable() + " "
				+ String.join(" ", command.arguments().subList(0, Math.min(3, command.arguments().size()))) + ": "
				+ error, failure);
	}

	private static LxdException notFound(InstanceName name, String snapshot, String error, ProcessExitException cause) {
		return error.contains("instance") && !error.contains("snapshot") ? new InstanceNotFoundException(name, cause)
				: new SnapshotNotFoundException(name, snapshot, cause);
	}

	/** A running {@code lxc exec} client process. */
	private static final class CliExecSession implements ExecSession {

		private final StreamingProcess streaming;

		private final org.zeroturnaround.exec.StartedProcess process;

		CliExecSession(StreamingProcess streaming) {
			this.streaming = streaming;
			this.process = streaming.process();
		}

		@Override
		public OptionalInt waitFor(Duration timeout) throws InterruptedException {
			try {
				int exitCode = this.process.getFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS).getExitValue();
				this.streaming.flush();
				return OptionalInt.of(exitCode);
			}
			catch (java.util.concurrent.TimeoutException ex) {
				return OptionalInt.empty();
			}
			catch (ExecutionException ex) {
				throw new LxdOperationFailedException("lxc exec failed: " + ex.getCause().getMessage(), ex.getCause());
			}
		}

		@Override
		public void detach() {
			this.process.getProcess().destroy();
			try {
				if (!this.process.getProcess().waitFor(5, TimeUnit.SECONDS)) {
					this.process.getProcess().destroyForcibly();
				}
				this.process.getFuture().get(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | java.util.concurrent.TimeoutException | java.util.concurrent.CancellationException ex) {
				// The client is gone either way; its output streams were closed with it.
			}
			this.streaming.flush();
		}
	}
}
