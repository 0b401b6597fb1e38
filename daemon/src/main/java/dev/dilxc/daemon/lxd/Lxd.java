package dev.dilxc.daemon.lxd;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The daemon's one door to LXD, in domain words: instances, exec, snapshots. Every call blocks until
 * LXD has answered or the configured timeout for that kind of call has passed (then
 * {@link LxdOperationFailedException}). Failures arrive as {@link LxdException} subclasses only.
 */
public interface Lxd {

	/** The instance, or empty if LXD has none by that name. */
	Optional<Instance> findInstance(InstanceName name);

	/** Takes a snapshot of the instance's current state; {@link SnapshotExistsException} if the name is taken. */
	void createSnapshot(InstanceName name, String snapshot);

	/** The instance's snapshots, oldest first. */
	List<InstanceSnapshot> listSnapshots(InstanceName name);

	/** Puts the instance back to the snapshot (LXD stops and restarts a running instance for this). */
	void restoreSnapshot(InstanceName name, String snapshot);

	/** Renames one snapshot of the instance. */
	void renameSnapshot(InstanceName name, String snapshot, String newName);

	/** Deletes one snapshot; deleting one that does not exist is not an error. */
	void deleteSnapshot(InstanceName name, String snapshot);

	/** Runs a command in the instance to completion and returns its exit code and output. */
	ExecResult exec(InstanceName name, ExecRequest request);

	/**
	 * Starts a long-running command in the instance, delivering its output line by line as it
	 * arrives. The command's stdin is empty. Lines longer than {@code maxLineBytes} arrive cut.
	 */
	ExecSession startExec(InstanceName name, ExecRequest request, Consumer<String> stdoutLines,
			Consumer<String> stderrLines, int maxLineBytes);

}
