package dev.dilxc.daemon.lxd;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The daemon's one door to LXD, in domain words: instances, exec, snapshots. Every call
 * blocks until LXD has answered or the configured timeout for that kind of call has
 * passed (then {@link LxdOperationFailedException}). Failures arrive as
 * {@link LxdException} subclasses only.
 */
public interface Lxd {

	/**
	 * The client behind this port (LXD's {@code lxc} or Incus's {@code incus}) and why it
	 * was chosen; {@link LxdUnavailableException} when {@code dilxc.lxd.backend: auto}
	 * cannot choose (neither installed, neither answering, or both answering).
	 */
	LxdClient client();

	/**
	 * The command users type for the back end's client, {@code lxc} or {@code incus}, for
	 * hints in messages; {@code lxc} when no back end can be chosen now.
	 */
	default String clientCommand() {
		try {
			return client().command();
		}
		catch (LxdException ex) {
			return LxdBackend.LXD.client();
		}
	}

	/**
	 * {@code LXD} or {@code Incus}, for messages; {@code LXD} when no back end can be
	 * chosen now.
	 */
	default String backendName() {
		try {
			return client().backend().displayName();
		}
		catch (LxdException ex) {
			return LxdBackend.LXD.displayName();
		}
	}

	/** The instance, or empty if LXD has none by that name. */
	Optional<Instance> findInstance(InstanceName name);

	/**
	 * Takes a snapshot of the instance's current state; {@link SnapshotExistsException}
	 * if the name is taken.
	 */
	void createSnapshot(InstanceName name, String snapshot);

	/** The instance's snapshots, oldest first. */
	List<InstanceSnapshot> listSnapshots(InstanceName name);

	/**
	 * Puts the instance back to the snapshot (LXD stops and restarts a running instance
	 * for this).
	 */
	void restoreSnapshot(InstanceName name, String snapshot);

	/** Renames one snapshot of the instance. */
	void renameSnapshot(InstanceName name, String snapshot, String newName);

	/** Deletes one snapshot; deleting one that does not exist is not an error. */
	void deleteSnapshot(InstanceName name, String snapshot);

	/**
	 * Runs a command in the instance to completion and returns its exit code and output.
	 */
	ExecResult exec(InstanceName name, ExecRequest request);

	/**
	 * Starts a long-running command in the instance, delivering its output line by line
	 * as it arrives. The command's stdin is empty. Lines longer than {@code maxLineBytes}
	 * arrive cut.
	 */
	ExecSession startExec(InstanceName name, ExecRequest request, Consumer<String> stdoutLines,
			Consumer<String> stderrLines, int maxLineBytes);

	// --- instances
	// ------------------------------------------------------------------------------

	/**
	 * Every instance of the current LXD project, with its config, devices, state and
	 * snapshots.
	 */
	List<InstanceDetails> listInstances();

	/** One instance in full; {@link InstanceNotFoundException} if there is none. */
	InstanceDetails describeInstance(InstanceName name);

	/**
	 * Creates (does not start) an instance:
	 * {@code lxc init IMAGE NAME --storage POOL -c K=V...}.
	 * {@link InstanceExistsException} if the name is taken;
	 * {@link ImageNotFoundException} if the image is not in the local store.
	 */
	void createInstance(InstanceSpec spec);

	/** Starts a stopped instance; starting a running one is not an error. */
	void startInstance(InstanceName name);

	/**
	 * Stops a running instance (forcibly after the stop timeout); stopping a stopped one
	 * is not an error.
	 */
	void stopInstance(InstanceName name);

	/**
	 * Restarts a running instance; a stopped one is started, so it ends up running either
	 * way.
	 */
	void restartInstance(InstanceName name);

	/** Deletes the instance and its snapshots, running or not. */
	void deleteInstance(InstanceName name);

	/** Sets instance config keys ({@code lxc config set NAME K=V...}). */
	void setConfig(InstanceName name, Map<String, String> config);

	/** Adds a device; {@link DeviceExistsException} if one by that name exists. */
	void addDevice(InstanceName name, String device, String type, Map<String, String> properties);

	/** Changes properties of an existing device. */
	void setDevice(InstanceName name, String device, Map<String, String> properties);

	/** Removes a device; removing one that is not there is not an error. */
	void removeDevice(InstanceName name, String device);

	// --- files
	// --------------------------------------------------------------------------------------

	/**
	 * Copies a host file or directory (recursively) into the instance, replacing what is
	 * there, with the given owner on every file it creates (missing parent directories
	 * included). As with {@code cp -r}: when {@code instancePath} ends with {@code /} or
	 * is an existing directory, the copy lands inside it under the host file's name (a
	 * directory is then merged into one of the same name); otherwise the copy is
	 * {@code instancePath}. The instance must be running. A missing host path is an
	 * {@link IllegalArgumentException} before LXD is called.
	 */
	void pushFile(InstanceName name, Path hostPath, String instancePath, int uid, int gid);

	/**
	 * Copies a file or directory (recursively) out of the instance. As with
	 * {@code cp -r}: into an existing host directory under its own name, otherwise to
	 * {@code hostPath} itself (replacing a file; parents are created); a directory that
	 * is there already is merged into. It never follows a link out of the copy and never
	 * writes through a link on the host: links come along only when they resolve inside
	 * what is pulled, and a host link stands only where the copy has a link too.
	 * Otherwise nothing is written and {@link UnsafePullException} names the paths. A
	 * missing instance path is an {@link LxdOperationFailedException}.
	 */
	void pullFile(InstanceName name, String instancePath, Path hostPath);

	/**
	 * Writes {@code content} to a file inside the instance through stdin, never through a
	 * command line, so it may carry secrets; the file is created with {@code mode} (e.g.
	 * 0600) and the given owner, replacing an existing file in one rename. Missing parent
	 * directories are created with that owner. The instance must be running.
	 */
	void writeFile(InstanceName name, String instancePath, byte[] content, int uid, int gid, int mode);

	// --- host
	// ------------------------------------------------------------------------------------------

	/** The storage pool, or empty if LXD has none by that name. */
	Optional<StoragePool> findStoragePool(String pool);

	/** The size and use of a storage pool (in a cluster: on the member asked). */
	default StorageSpace storagePoolSpace(String pool) {
		return storagePoolSpace(pool, null);
	}

	/**
	 * The size and use of a storage pool on one cluster member ({@code member} null: the
	 * member asked, or the one server outside a cluster).
	 */
	StorageSpace storagePoolSpace(String pool, @Nullable String member);

	/**
	 * The members of the cluster the server belongs to, by name, with their states; empty
	 * when the server is not clustered.
	 */
	List<ClusterMember> clusterMembers();

	/**
	 * The storage pool of the instance's root disk (usually from its profile), or empty
	 * when it has none.
	 */
	Optional<String> rootPool(InstanceName name);

	/** Whether the local image store has this alias or fingerprint. */
	boolean imageExists(String image);

	/**
	 * LXD's server facts: version, kernel features, whether it can shift ids on mounts.
	 */
	LxdServer server();

	/**
	 * As {@link #server()}, but giving up after {@code timeout}: for health checks that
	 * must answer fast.
	 */
	LxdServer server(java.time.Duration timeout);

}
