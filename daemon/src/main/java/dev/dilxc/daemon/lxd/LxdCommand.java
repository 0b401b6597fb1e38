package dev.dilxc.daemon.lxd;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One {@code lxc} verb: it knows its argv (after the executable) and how to read its answer. Reads go
 * through {@code lxc query}, whose output is JSON, so no table is ever parsed.
 */
sealed interface LxdCommand<R> {

	List<String> arguments();

	R response(ProcessResult result, JsonMapper json);

	/** Whether the call may take as long as a snapshot or restore rather than a quick query. */
	default boolean slow() {
		return false;
	}

	/** A snapshot verb: it answers nothing on success and may take as long as a snapshot. */
	sealed interface SnapshotVerb extends LxdCommand<Void> {

		@Override
		default Void response(ProcessResult result, JsonMapper json) {
			return null;
		}

		@Override
		default boolean slow() {
			return true;
		}
	}

	/** {@code lxc query /1.0/instances/NAME}. */
	record GetInstance(InstanceName name) implements LxdCommand<Instance> {

		@Override
		public List<String> arguments() {
			return List.of("query", "--wait", "/1.0/instances/" + this.name);
		}

		@Override
		public Instance response(ProcessResult result, JsonMapper json) {
			JsonNode instance = json.readTree(result.stdout());
			return new Instance(this.name, InstanceStatus.of(instance.path("status").asString("")));
		}
	}

	/** {@code lxc query /1.0/instances/NAME/snapshots?recursion=1}. */
	record ListSnapshots(InstanceName name) implements LxdCommand<List<InstanceSnapshot>> {

		@Override
		public List<String> arguments() {
			return List.of("query", "--wait", "/1.0/instances/" + this.name + "/snapshots?recursion=1");
		}

		@Override
		public List<InstanceSnapshot> response(ProcessResult result, JsonMapper json) {
			List<InstanceSnapshot> snapshots = new ArrayList<>();
			for (JsonNode snapshot : json.readTree(result.stdout())) {
				String name = snapshot.path("name").asString("");
				// Older LXD answers "instance/snapshot" here, newer ones just the snapshot name.
				name = name.substring(name.lastIndexOf('/') + 1);
				String created = snapshot.path("created_at").asString("");
				snapshots.add(new InstanceSnapshot(name, created.isEmpty() ? Instant.EPOCH : Instant.parse(created)));
			}
			snapshots.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
			return List.copyOf(snapshots);
		}
	}

	/** {@code lxc snapshot NAME SNAPSHOT}. */
	record CreateSnapshot(InstanceName name, String snapshot) implements SnapshotVerb {

		@Override
		public List<String> arguments() {
			return List.of("snapshot", this.name.value(), this.snapshot);
		}
	}

	/** {@code lxc restore NAME SNAPSHOT}. */
	record RestoreSnapshot(InstanceName name, String snapshot) implements SnapshotVerb {

		@Override
		public List<String> arguments() {
			return List.of("restore", this.name.value(), this.snapshot);
		}
	}

	/** {@code lxc rename NAME/SNAPSHOT NAME/NEW}. */
	record RenameSnapshot(InstanceName name, String snapshot, String newName) implements SnapshotVerb {

		@Override
		public List<String> arguments() {
			return List.of("rename", this.name + "/" + this.snapshot, this.name + "/" + this.newName);
		}
	}

	/** {@code lxc delete NAME/SNAPSHOT}. */
	record DeleteSnapshot(InstanceName name, String snapshot) implements SnapshotVerb {

		@Override
		public List<String> arguments() {
			return List.of("delete", this.name + "/" + this.snapshot);
		}
	}

	/** {@code lxc exec NAME --force-noninteractive [--user --group --cwd --env] -- ARGV}. */
	record Exec(InstanceName name, ExecRequest request) implements LxdCommand<ExecResult> {

		@Override
		public List<String> arguments() {
			List<String> argv = new ArrayList<>(List.of("exec", this.name.value(), "--force-noninteractive"));
			if (this.request.uid() != null) {
				argv.addAll(List.of("--user", this.request.uid().toString()));
			}
			if (this.request.gid() != null) {
				argv.addAll(List.of("--group", this.request.gid().toString()));
			}
			if (this.request.workingDirectory() != null) {
				argv.addAll(List.of("--cwd", this.request.workingDirectory()));
			}
			for (Map.Entry<String, String> variable : this.request.environment().entrySet()) {
				argv.addAll(List.of("--env", variable.getKey() + "=" + variable.getValue()));
			}
			argv.add("--");
			argv.addAll(this.request.command());
			return List.copyOf(argv);
		}

		@Override
		public ExecResult response(ProcessResult result, JsonMapper json) {
			return new ExecResult(result.exitCode(), result.stdout(), result.stderr());
		}
	}

}
