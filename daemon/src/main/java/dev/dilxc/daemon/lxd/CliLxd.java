package dev.dilxc.daemon.lxd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.daemon.process.ProcessResult;
import dev.dilxc.daemon.process.ProcessRunner;
import dev.dilxc.daemon.process.ProcessStartException;
import dev.dilxc.daemon.process.ProcessTimeoutException;
import dev.dilxc.daemon.process.StreamingProcess;

/**
 * {@link Lxd} implemented by running the {@code lxc} (or {@code incus}) client. This
 * class is the only place that reads the client's stderr: it turns CLI failures into the
 * {@link LxdException} family.
 */
final class CliLxd implements Lxd {

	private final ProcessRunner runner;

	private final LxdProperties properties;

	private final JsonMapper json;

	private final ClientSelection selection;

	/**
	 * What LXD 5.0 says when an exec lost the race for its child's pid; see
	 * {@link #exec}.
	 */
	static final String EXEC_PID_RACE = "Failed to retrieve PID of executing child process";

	/** Tries of an exec that keeps losing LXD's pid race; see {@link #exec}. */
	static final int EXEC_ATTEMPTS = 5;

	CliLxd(ProcessRunner runner, LxdProperties properties, JsonMapper json) {
		this(runner, properties, json, new ClientSelection(properties, runner, json));
	}

	CliLxd(ProcessRunner runner, LxdProperties properties, JsonMapper json, ClientSelection selection) {
		this.runner = runner;
		this.properties = properties;
		this.json = json;
		this.selection = selection;
	}

	@Override
	public LxdClient client() {
		return this.selection.client();
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
		// LXD 5.0 sometimes fails an exec with this (seen under load, mostly just after a
		// container boots): it could not learn the pid of its fork, which reports it
		// before running the command, so the command did not run. Asked again with a
		// doubling pause (4 s in all: three quick tries once lost the race in CI); the
		// last such failure is reported like any other.
		for (int attempt = 1; attempt < EXEC_ATTEMPTS && result.exitCode() != 0
				&& result.stderr().contains(EXEC_PID_RACE); attempt++) {
			pause(Duration.ofMillis(250L << (attempt - 1)));
			result = runProcess(command, request.timeout());
		}
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

	@Override
	public List<InstanceDetails> listInstances() {
		return run(new LxdCommand.ListInstances());
	}

	@Override
	public InstanceDetails describeInstance(InstanceName name) {
		return run(new LxdCommand.DescribeInstance(name));
	}

	@Override
	public void createInstance(InstanceSpec spec) {
		requireArgument("image", spec.image());
		if (spec.storagePool() != null) {
			requireArgument("storage pool", spec.storagePool());
		}
		spec.config().keySet().forEach((key) -> requireArgument("config key", key));
		if (spec.target() != null) {
			requireArgument("cluster member or group", spec.target());
		}
		run(new LxdCommand.CreateInstance(spec));
	}

	@Override
	public void startInstance(InstanceName name) {
		try {
			run(new LxdCommand.StartInstance(name));
		}
		catch (LxdOperationFailedException ex) {
			if (!says(ex, "already running")) {
				throw ex;
			}
		}
	}

	@Override
	public void stopInstance(InstanceName name) {
		try {
			run(new LxdCommand.StopInstance(name, false, stopSeconds()));
		}
		catch (LxdOperationFailedException ex) {
			if (says(ex, "already stopped")) {
				return;
			}
			// The clean shutdown did not finish in time (or failed): kill it, as the
			// contract promises.
			try {
				run(new LxdCommand.StopInstance(name, true, 0));
			}
			catch (LxdOperationFailedException forced) {
				if (!says(forced, "already stopped")) {
					forced.addSuppressed(ex);
					throw forced;
				}
			}
		}
	}

	@Override
	public void restartInstance(InstanceName name) {
		try {
			run(new LxdCommand.RestartInstance(name, false, stopSeconds()));
		}
		catch (LxdOperationFailedException ex) {
			if (says(ex, "already stopped")) {
				// Nothing to shut down: the caller wants it running afresh, so start it.
				startInstance(name);
				return;
			}
			run(new LxdCommand.RestartInstance(name, true, 0));
		}
	}

	@Override
	public void deleteInstance(InstanceName name) {
		run(new LxdCommand.DeleteInstance(name));
	}

	@Override
	public void setConfig(InstanceName name, Map<String, String> config) {
		config.keySet().forEach((key) -> requireArgument("config key", key));
		if (!config.isEmpty()) {
			run(new LxdCommand.SetConfig(name, config));
		}
	}

	@Override
	public void addDevice(InstanceName name, String device, String type, Map<String, String> properties) {
		requireArgument("device name", device);
		requireArgument("device type", type);
		properties.keySet().forEach((key) -> requireArgument("device property", key));
		run(new LxdCommand.AddDevice(name, device, type, properties));
	}

	@Override
	public void setDevice(InstanceName name, String device, Map<String, String> properties) {
		requireArgument("device name", device);
		properties.keySet().forEach((key) -> requireArgument("device property", key));
		if (!properties.isEmpty()) {
			run(new LxdCommand.SetDevice(name, device, properties));
		}
	}

	@Override
	public void removeDevice(InstanceName name, String device) {
		requireArgument("device name", device);
		try {
			run(new LxdCommand.RemoveDevice(name, device));
		}
		catch (LxdOperationFailedException ex) {
			if (!says(ex, "device doesn't exist")) {
				throw ex;
			}
		}
	}

	@Override
	public void pushFile(InstanceName name, Path hostPath, String instancePath, int uid, int gid) {
		Path source = hostPath.toAbsolutePath().normalize();
		if (!Files.exists(source)) {
			throw new IllegalArgumentException("cannot push '" + hostPath + "': no such file or directory on the host");
		}
		Path baseName = source.getFileName();
		if (baseName == null) {
			throw new IllegalArgumentException("cannot push the host's root directory; name a file or directory in it");
		}
		requireInstancePath(instancePath);
		requireLine("host path", baseName.toString());
		LxdCommand.PreparePush.Staging staging = run(
				new LxdCommand.PreparePush(name, instancePath, baseName.toString(), uid, gid));
		String staged = staging.directory() + "/" + baseName;
		boolean directory = Files.isDirectory(source);
		try {
			run(new LxdCommand.PushFile(name, source, directory ? staging.directory() + "/" : staged, directory, uid,
					gid));
		}
		catch (LxdException ex) {
			try {
				run(new LxdCommand.RemoveStaging(name, staging.directory()));
			}
			catch (LxdException cleanup) {
				ex.addSuppressed(cleanup);
			}
			throw ex;
		}
		run(new LxdCommand.FinishPush(name, staged, staging.target(), uid, gid));
	}

	@Override
	public void pullFile(InstanceName name, String instancePath, Path hostPath) {
		requireInstancePath(instancePath);
		String source = instancePath.replaceAll("/+$", "");
		String baseName = source.substring(source.lastIndexOf('/') + 1);
		if (baseName.isEmpty()) {
			throw new IllegalArgumentException(
					"cannot pull the instance's root directory; name a file or directory in it");
		}
		Path named = hostPath.toAbsolutePath().normalize();
		// Like cp: into an existing directory (the user's own link to one included),
		// under the source's own name.
		Path target = Files.isDirectory(named) ? named.resolve(baseName) : named;
		Path staging = null;
		try {
			Files.createDirectories(target.getParent());
			// lxc writes a single file through a host link and refuses to pull a
			// directory over one that is
			// there: it only ever writes into this fresh private directory, next to the
			// target so that the
			// moves into place are renames on one file system.
			staging = Files.createTempDirectory(target.getParent(), ".dilxc-pull");
			run(new LxdCommand.PullFile(name, instancePath, staging));
			HostLanding.land(staging.resolve(baseName), target, source);
		}
		catch (IOException ex) {
			throw new LxdOperationFailedException(
					"could not pull '" + instancePath + "' to '" + hostPath + "': " + ex.getMessage(), ex);
		}
		finally {
			if (staging != null) {
				deleteRecursively(staging);
			}
		}
	}

	@Override
	public void writeFile(InstanceName name, String instancePath, byte[] content, int uid, int gid, int mode) {
		requireInstancePath(instancePath);
		run(new LxdCommand.WriteFile(name, instancePath, content, uid, gid, mode));
	}

	@Override
	public Optional<StoragePool> findStoragePool(String pool) {
		return find(new LxdCommand.GetStoragePool(pool));
	}

	@Override
	public StorageSpace storagePoolSpace(String pool, @Nullable String member) {
		requireArgument("storage pool", pool);
		if (member != null) {
			requireArgument("cluster member", member);
		}
		return run(new LxdCommand.GetStoragePoolSpace(pool, member));
	}

	@Override
	public List<ClusterMember> clusterMembers() {
		try {
			return run(new LxdCommand.ListClusterMembers());
		}
		catch (LxdOperationFailedException ex) {
			if (says(ex, "not clustered")) {
				return List.of();
			}
			throw ex;
		}
	}

	@Override
	public Optional<String> rootPool(InstanceName name) {
		return run(new LxdCommand.GetRootPool(name));
	}

	@Override
	public boolean imageExists(String image) {
		return run(new LxdCommand.ImageExists(image));
	}

	@Override
	public LxdServer server() {
		return run(new LxdCommand.GetServer());
	}

	@Override
	public LxdServer server(Duration timeout) {
		return run(new LxdCommand.GetServer(), timeout);
	}

	/** Runs a read whose "not found" means empty rather than failure. */
	private <R> Optional<R> find(LxdCommand<R> command) {
		try {
			return Optional.of(run(command));
		}
		catch (LxdOperationFailedException ex) {
			if (says(ex, "not found")) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	private static boolean says(LxdException ex, String text) {
		return ex.getCause() instanceof ProcessExitException failure
				&& failure.cliError().toLowerCase(Locale.ROOT).contains(text);
	}

	private int stopSeconds() {
		return (int) Math.max(1, this.properties.stopTimeout().toSeconds());
	}

	private static void requireInstancePath(String instancePath) {
		if (instancePath == null || !instancePath.startsWith("/")) {
			throw new IllegalArgumentException("'" + instancePath + "' is not an absolute path inside the sandbox: "
					+ "start it with /, e.g. /home/ubuntu/project");
		}
		requireLine("path", instancePath);
	}

	/**
	 * A word that reaches lxc's command line on its own: it must not be empty or read as
	 * a flag.
	 */
	private static void requireArgument(String what, String value) {
		if (value == null || value.isBlank() || value.startsWith("-") || value.contains("=")
				|| value.chars().anyMatch(Character::isWhitespace)) {
			throw new IllegalArgumentException("'" + value + "' is not a valid " + what
					+ ": it must be a non-empty word without spaces or '=' that does not start with '-'");
		}
	}

	private static void requireLine(String what, String value) {
		if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
			throw new IllegalArgumentException(
					"the " + what + " '" + value.replace("\n", "\\n") + "' contains a line break or NUL; rename it");
		}
	}

	private static void deleteRecursively(Path path) {
		try (var paths = Files.walk(path)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
		}
		catch (IOException | java.io.UncheckedIOException ex) {
			// A leftover staging directory is harmless; the pull's own outcome matters.
		}
	}

	private <R> R run(LxdCommand<R> command) {
		return run(command, command.slow() ? this.properties.snapshotTimeout() : this.properties.commandTimeout());
	}

	private <R> R run(LxdCommand<R> command, Duration timeout) {
		ProcessResult result = runProcess(command, timeout);
		if (result.exitCode() != 0) {
			throw translate(command, new ProcessExitException(result));
		}
		try {
			return command.response(result, this.json);
		}
		catch (RuntimeException ex) {
			throw new LxdOperationFailedException("could not read the answer of '" + client().command() + " "
					+ String.join(" ", command.arguments()) + "': " + ex.getMessage(), ex);
		}
	}

	private ProcessResult runProcess(LxdCommand<?> command, Duration timeout) {
		try {
			return this.runner.run(argv(command), command.stdin(), timeout);
		}
		catch (ProcessStartException ex) {
			throw new LxdUnavailableException(ex.getMessage() + " (is " + client().backend().displayName()
					+ " installed? see dilxc.lxd.backend and dilxc.lxd.executable)", ex);
		}
		catch (ProcessTimeoutException ex) {
			throw new LxdOperationFailedException(ex.getMessage(), ex);
		}
	}

	private List<String> argv(LxdCommand<?> command) {
		LxdClient client = client();
		List<String> argv = new ArrayList<>();
		argv.add(client.executable());
		argv.addAll(command.arguments(client.backend()));
		return argv;
	}

	private static boolean isLxdError(ProcessResult result) {
		// A command inside the instance may fail with any code; only LXD's own failures
		// start with "Error: ".
		String last = result.stderr().strip().lines().reduce((a, b) -> b).orElse("");
		// ...except these two: lxc's words for exit 127/126 of the command itself, not of
		// LXD.
		return last.startsWith("Error: ") && !last.equals("Error: Command not found")
				&& !last.equals("Error: Command not executable");
	}

	private LxdException translate(LxdCommand<?> command, ProcessExitException failure) {
		String error = failure.cliError();
		String lower = error.toLowerCase(Locale.ROOT);
		LxdException memberAway = memberAway(command, error, lower, failure);
		if (memberAway != null) {
			return memberAway;
		}
		if (lower.contains("no available dqlite leader")) {
			// The daemon's own member lost the cluster's database: it can do nothing now.
			return new LxdUnavailableException(
					client().backend().displayName() + " cannot reach its cluster's database: " + error, failure);
		}
		if (lower.contains("unix.socket") || lower.contains("connection refused") || lower.contains("lxd socket")
				|| lower.contains("daemon not running") || lower.contains("cannot connect")
				|| lower.contains("daemon doesn't appear to be started")) {
			return new LxdUnavailableException(client().backend().displayName() + " is not reachable: " + error,
					failure);
		}
		// Incus says "UNIQUE constraint failed" where LXD says "already exists", and
		// "file
		// does not exist" where LXD says "Not Found" for a path.
		if (lower.contains("already exists") || lower.contains("unique constraint failed")) {
			switch (command) {
				case LxdCommand.CreateSnapshot c -> {
					return new SnapshotExistsException(c.name(), c.snapshot(), failure);
				}
				case LxdCommand.CreateInstance c -> {
					return new InstanceExistsException("LXD already has an instance named '" + c.spec().name() + "'",
							failure);
				}
				case LxdCommand.AddDevice c -> {
					return new DeviceExistsException(
							"instance '" + c.name() + "' already has a device named '" + c.device() + "'", failure);
				}
				default -> {
				}
			}
		}
		if (command instanceof LxdCommand.CreateInstance c && lower.contains("image") && lower.contains("not found")) {
			return new ImageNotFoundException("the local image store has no image '" + c.spec().image() + "' (see "
					+ client().command() + " image list)", failure);
		}
		if (lower.contains("not found") || lower.contains("file does not exist")) {
			LxdException notFound = switch (command) {
				case LxdCommand.CreateSnapshot c -> new InstanceNotFoundException(c.name(), failure);
				case LxdCommand.RestoreSnapshot c -> notFound(c.name(), c.snapshot(), lower, failure);
				case LxdCommand.DeleteSnapshot c -> notFound(c.name(), c.snapshot(), lower, failure);
				case LxdCommand.RenameSnapshot c -> notFound(c.name(), c.snapshot(), lower, failure);
				case LxdCommand.GetInstance c -> new InstanceNotFoundException(c.name(), failure);
				case LxdCommand.ListSnapshots c -> new InstanceNotFoundException(c.name(), failure);
				case LxdCommand.Exec c -> new InstanceNotFoundException(c.name(), failure);
				case LxdCommand.PushFile c -> instanceNotFound(c.name(), lower, failure);
				case LxdCommand.PullFile c -> instanceNotFound(c.name(), lower, failure);
				default -> instanceNotFound(instanceOf(command), lower, failure);
			};
			if (notFound != null) {
				return notFound;
			}
			if (command instanceof LxdCommand.PullFile c) {
				return new LxdOperationFailedException(
						"'" + c.instancePath() + "' does not exist in instance '" + c.name() + "'", failure);
			}
		}
		return new LxdOperationFailedException(client().command() + " "
				+ String.join(" ", command.arguments().subList(0, Math.min(3, command.arguments().size()))) + ": "
				+ error, failure);
	}

	/**
	 * The daemon's own server answered, but the member it forwarded the call to did not:
	 * LXD waits 10 s for a member that died and says it has no event connection to it;
	 * Incus says that once, then "Server isn't ready yet" at once; a member that refuses
	 * or drops connections shows as its https address. (The daemon's own server is
	 * reached through its unix socket, so an https address in the error is always another
	 * member.) Null for every other error.
	 */
	private @Nullable LxdException memberAway(LxdCommand<?> command, String error, String lower,
			ProcessExitException failure) {
		boolean forwarded = lower.contains("missing event connection with target cluster member")
				|| (lower.contains("unable to connect to") && lower.contains("https://"))
				|| (lower.contains("server isn't ready yet") && forInstance(command));
		if (!forwarded) {
			return null;
		}
		InstanceName instance = switch (command) {
			case LxdCommand.CreateInstance c -> c.spec().name();
			case LxdCommand.GetRootPool c -> c.name();
			default -> instanceOf(command);
		};
		String target = (command instanceof LxdCommand.CreateInstance c) ? c.spec().target() : null;
		String subject = (instance != null) ? "the cluster member that holds instance '" + instance + "'"
				: "a cluster member";
		if (target != null) {
			subject = "cluster member '" + target + "'";
		}
		return new MemberUnavailableException(subject + " does not answer: " + error, target, failure);
	}

	private static boolean forInstance(LxdCommand<?> command) {
		return !(command instanceof LxdCommand.GetServer || command instanceof LxdCommand.ListInstances
				|| command instanceof LxdCommand.ListClusterMembers || command instanceof LxdCommand.ImageExists
				|| command instanceof LxdCommand.GetStoragePool);
	}

	/**
	 * Only LXD's "Instance not found" names the instance; "Not Found" alone is a missing
	 * path or pool.
	 */
	private static @Nullable LxdException instanceNotFound(@Nullable InstanceName name, String error,
			ProcessExitException cause) {
		return name != null && error.contains("instance not found") ? new InstanceNotFoundException(name, cause) : null;
	}

	private static @Nullable InstanceName instanceOf(LxdCommand<?> command) {
		return switch (command) {
			case LxdCommand.Exec c -> c.name();
			case LxdCommand.GetInstance c -> c.name();
			case LxdCommand.ListSnapshots c -> c.name();
			case LxdCommand.CreateSnapshot c -> c.name();
			case LxdCommand.RestoreSnapshot c -> c.name();
			case LxdCommand.DeleteSnapshot c -> c.name();
			case LxdCommand.RenameSnapshot c -> c.name();
			case LxdCommand.PushFile c -> c.name();
			case LxdCommand.PullFile c -> c.name();
			case LxdCommand.DescribeInstance c -> c.name();
			case LxdCommand.CreateInstance c -> null;
			case LxdCommand.StartInstance c -> c.name();
			case LxdCommand.StopInstance c -> c.name();
			case LxdCommand.RestartInstance c -> c.name();
			case LxdCommand.DeleteInstance c -> c.name();
			case LxdCommand.SetConfig c -> c.name();
			case LxdCommand.AddDevice c -> c.name();
			case LxdCommand.SetDevice c -> c.name();
			case LxdCommand.RemoveDevice c -> c.name();
			case LxdCommand.PreparePush c -> c.name();
			case LxdCommand.FinishPush c -> c.name();
			case LxdCommand.RemoveStaging c -> c.name();
			case LxdCommand.WriteFile c -> c.name();
			default -> null;
		};
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
				Throwable cause = Objects.requireNonNull(ex.getCause(), "a failed future has a cause");
				throw new LxdOperationFailedException("exec failed: " + cause.getMessage(), cause);
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
			catch (ExecutionException | java.util.concurrent.TimeoutException
					| java.util.concurrent.CancellationException ex) {
				// The client is gone either way; its output streams were closed with it.
			}
			this.streaming.flush();
		}

	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LxdUnavailableException("interrupted while waiting to run an exec again", ex);
		}
	}

}
