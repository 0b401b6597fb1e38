package dev.dilxc.daemon.lxd;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.daemon.process.ProcessResult;

/**
 * One {@code lxc} verb: it knows its argv (after the executable) and how to read its
 * answer. Reads go through {@code lxc query}, whose output is JSON, so no table is ever
 * parsed.
 */
sealed interface LxdCommand<R> {

	List<String> arguments();

	/** The argv after the executable, as {@code backend}'s client spells it. */
	default List<String> arguments(LxdBackend backend) {
		return arguments();
	}

	R response(ProcessResult result, JsonMapper json);

	/**
	 * Whether the call may take as long as a snapshot or restore rather than a quick
	 * query.
	 */
	default boolean slow() {
		return false;
	}

	/**
	 * What the client reads on stdin: nothing, unless the verb carries content (never on
	 * argv).
	 */
	default byte[] stdin() {
		return new byte[0];
	}

	/** A verb that changes something and answers nothing but its exit code. */
	sealed interface Action extends LxdCommand<Void> {

		@Override
		default Void response(ProcessResult result, JsonMapper json) {
			return null;
		}

	}

	/**
	 * A snapshot verb: it answers nothing on success and may take as long as a snapshot.
	 */
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
				// Older LXD answers "instance/snapshot" here, newer ones just the
				// snapshot name.
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

		@Override
		public List<String> arguments(LxdBackend backend) {
			return (backend == LxdBackend.INCUS) ? List.of("snapshot", "create", this.name.value(), this.snapshot)
					: arguments();
		}
	}

	/** {@code lxc restore NAME SNAPSHOT}. */
	record RestoreSnapshot(InstanceName name, String snapshot) implements SnapshotVerb {

		@Override
		public List<String> arguments() {
			return List.of("restore", this.name.value(), this.snapshot);
		}

		@Override
		public List<String> arguments(LxdBackend backend) {
			return (backend == LxdBackend.INCUS) ? List.of("snapshot", "restore", this.name.value(), this.snapshot)
					: arguments();
		}
	}

	/** {@code lxc rename NAME/SNAPSHOT NAME/NEW}. */
	record RenameSnapshot(InstanceName name, String snapshot, String newName) implements SnapshotVerb {

		@Override
		public List<String> arguments() {
			return List.of("rename", this.name + "/" + this.snapshot, this.name + "/" + this.newName);
		}

		@Override
		public List<String> arguments(LxdBackend backend) {
			return (backend == LxdBackend.INCUS)
					? List.of("snapshot", "rename", this.name.value(), this.snapshot, this.newName) : arguments();
		}
	}

	/** {@code lxc delete NAME/SNAPSHOT}. */
	record DeleteSnapshot(InstanceName name, String snapshot) implements SnapshotVerb {

		@Override
		public List<String> arguments() {
			return List.of("delete", this.name + "/" + this.snapshot);
		}

		@Override
		public List<String> arguments(LxdBackend backend) {
			return (backend == LxdBackend.INCUS) ? List.of("snapshot", "delete", this.name.value(), this.snapshot)
					: arguments();
		}
	}

	/**
	 * {@code lxc exec NAME --force-noninteractive [--user --group --cwd --env] -- ARGV}.
	 */
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

	// --- instances
	// ------------------------------------------------------------------------------

	/**
	 * {@code lxc query /1.0/instances?recursion=2}: every instance with config, devices,
	 * state and snapshots.
	 */
	record ListInstances() implements LxdCommand<List<InstanceDetails>> {

		@Override
		public List<String> arguments() {
			return List.of("query", "--wait", "/1.0/instances?recursion=2");
		}

		@Override
		public List<InstanceDetails> response(ProcessResult result, JsonMapper json) {
			List<InstanceDetails> instances = new ArrayList<>();
			for (JsonNode instance : json.readTree(result.stdout())) {
				instances.add(details(instance));
			}
			instances.sort(Comparator.comparing((InstanceDetails details) -> details.name().value()));
			return List.copyOf(instances);
		}
	}

	/**
	 * {@code lxc query /1.0/instances/NAME?recursion=1}: one instance with state and
	 * snapshots.
	 */
	record DescribeInstance(InstanceName name) implements LxdCommand<InstanceDetails> {

		@Override
		public List<String> arguments() {
			return List.of("query", "--wait", "/1.0/instances/" + this.name + "?recursion=1");
		}

		@Override
		public InstanceDetails response(ProcessResult result, JsonMapper json) {
			return details(json.readTree(result.stdout()));
		}
	}

	/**
	 * {@code lxc init IMAGE NAME [--storage POOL] -c K=V...}: creates, does not start.
	 */
	record CreateInstance(InstanceSpec spec) implements Action {

		@Override
		public List<String> arguments() {
			List<String> argv = new ArrayList<>(List.of("init", this.spec.image(), this.spec.name().value()));
			if (this.spec.storagePool() != null) {
				argv.addAll(List.of("--storage", this.spec.storagePool()));
			}
			if (this.spec.target() != null) {
				argv.addAll(List.of("--target", this.spec.target()));
			}
			// One argv element per key: values such as raw.idmap hold spaces and
			// newlines.
			new TreeMap<>(this.spec.config()).forEach((key, value) -> argv.addAll(List.of("-c", key + "=" + value)));
			return List.copyOf(argv);
		}

		@Override
		public boolean slow() {
			return true;
		}
	}

	/** {@code lxc start NAME}. */
	record StartInstance(InstanceName name) implements Action {

		@Override
		public List<String> arguments() {
			return List.of("start", this.name.value());
		}

		@Override
		public boolean slow() {
			return true;
		}
	}

	/**
	 * {@code lxc stop NAME --timeout SECONDS} (a clean shutdown), or
	 * {@code lxc stop NAME --force} (a kill).
	 */
	record StopInstance(InstanceName name, boolean force, int timeoutSeconds) implements Action {

		@Override
		public List<String> arguments() {
			return this.force ? List.of("stop", this.name.value(), "--force")
					: List.of("stop", this.name.value(), "--timeout", Integer.toString(this.timeoutSeconds));
		}

		@Override
		public boolean slow() {
			return true;
		}
	}

	/**
	 * {@code lxc restart NAME --timeout SECONDS}, or {@code lxc restart NAME --force}.
	 */
	record RestartInstance(InstanceName name, boolean force, int timeoutSeconds) implements Action {

		@Override
		public List<String> arguments() {
			return this.force ? List.of("restart", this.name.value(), "--force")
					: List.of("restart", this.name.value(), "--timeout", Integer.toString(this.timeoutSeconds));
		}

		@Override
		public boolean slow() {
			return true;
		}
	}

	/** {@code lxc delete --force NAME}: running or not, with its snapshots. */
	record DeleteInstance(InstanceName name) implements Action {

		@Override
		public List<String> arguments() {
			return List.of("delete", "--force", this.name.value());
		}

		@Override
		public boolean slow() {
			return true;
		}
	}

	/** {@code lxc config set NAME K=V...}. */
	record SetConfig(InstanceName name, Map<String, String> config) implements Action {

		@Override
		public List<String> arguments() {
			List<String> argv = new ArrayList<>(List.of("config", "set", this.name.value()));
			argv.addAll(pairs(this.config));
			return List.copyOf(argv);
		}
	}

	/** {@code lxc config device add NAME DEVICE TYPE K=V...}. */
	record AddDevice(InstanceName name, String device, String type, Map<String, String> properties) implements Action {

		@Override
		public List<String> arguments() {
			List<String> argv = new ArrayList<>(
					List.of("config", "device", "add", this.name.value(), this.device, this.type));
			argv.addAll(pairs(this.properties));
			return List.copyOf(argv);
		}
	}

	/** {@code lxc config device set NAME DEVICE K=V...}. */
	record SetDevice(InstanceName name, String device, Map<String, String> properties) implements Action {

		@Override
		public List<String> arguments() {
			List<String> argv = new ArrayList<>(List.of("config", "device", "set", this.name.value(), this.device));
			argv.addAll(pairs(this.properties));
			return List.copyOf(argv);
		}
	}

	/** {@code lxc config device remove NAME DEVICE}. */
	record RemoveDevice(InstanceName name, String device) implements Action {

		@Override
		public List<String> arguments() {
			return List.of("config", "device", "remove", this.name.value(), this.device);
		}
	}

	// --- host
	// ---------------------------------------------------------------------------------------

	/** {@code lxc query /1.0/storage-pools/POOL}. */
	record GetStoragePool(String pool) implements LxdCommand<StoragePool> {

		@Override
		public List<String> arguments() {
			return List.of("query", "--wait", "/1.0/storage-pools/" + pathSegment(this.pool));
		}

		@Override
		public StoragePool response(ProcessResult result, JsonMapper json) {
			JsonNode pool = json.readTree(result.stdout());
			return new StoragePool(pool.path("name").asString(this.pool), pool.path("driver").asString(""));
		}
	}

	/**
	 * {@code lxc query /1.0/storage-pools/NAME/resources[?target=MEMBER]}: the pool's
	 * size and use. In a cluster each member has its own share of the pool, and without a
	 * target the answer is the asked member's.
	 */
	record GetStoragePoolSpace(String pool, @Nullable String member) implements LxdCommand<StorageSpace> {

		@Override
		public List<String> arguments() {
			String target = (this.member != null) ? "?target=" + pathSegment(this.member) : "";
			return List.of("query", "--wait", "/1.0/storage-pools/" + pathSegment(this.pool) + "/resources" + target);
		}

		@Override
		public StorageSpace response(ProcessResult result, JsonMapper json) {
			JsonNode space = json.readTree(result.stdout()).path("space");
			return new StorageSpace(this.pool, space.path("total").asLong(0), space.path("used").asLong(0));
		}
	}

	/**
	 * {@code lxc query /1.0/instances/NAME}: the pool of its root disk, from its expanded
	 * devices (the root disk usually comes from a profile); empty when it has none.
	 */
	record GetRootPool(InstanceName name) implements LxdCommand<java.util.Optional<String>> {

		@Override
		public List<String> arguments() {
			return List.of("query", "--wait", "/1.0/instances/" + this.name.value());
		}

		@Override
		public java.util.Optional<String> response(ProcessResult result, JsonMapper json) {
			for (JsonNode device : json.readTree(result.stdout()).path("expanded_devices")) {
				if ("disk".equals(device.path("type").asString("")) && "/".equals(device.path("path").asString(""))) {
					String pool = device.path("pool").asString("");
					return pool.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(pool);
				}
			}
			return java.util.Optional.empty();
		}
	}

	/**
	 * {@code lxc query /1.0/images?recursion=1}: whether one image has this alias or
	 * fingerprint (prefix).
	 */
	record ImageExists(String image) implements LxdCommand<Boolean> {

		@Override
		public List<String> arguments() {
			return List.of("query", "--wait", "/1.0/images?recursion=1");
		}

		@Override
		public Boolean response(ProcessResult result, JsonMapper json) {
			for (JsonNode image : json.readTree(result.stdout())) {
				if (image.path("fingerprint").asString("").startsWith(this.image)) {
					return true;
				}
				for (JsonNode alias : image.path("aliases")) {
					if (alias.path("name").asString("").equals(this.image)) {
						return true;
					}
				}
			}
			return false;
		}
	}

	/**
	 * {@code lxc query /1.0/cluster/members?recursion=1}: every member of the cluster
	 * with its state. A server that is not clustered refuses it ("Server is not
	 * clustered").
	 */
	record ListClusterMembers() implements LxdCommand<List<ClusterMember>> {

		@Override
		public List<String> arguments() {
			return List.of("query", "--wait", "/1.0/cluster/members?recursion=1");
		}

		@Override
		public List<ClusterMember> response(ProcessResult result, JsonMapper json) {
			List<ClusterMember> members = new ArrayList<>();
			for (JsonNode member : json.readTree(result.stdout())) {
				// "Online" in the API, ONLINE in 'lxc cluster list': kept as the latter.
				String status = member.path("status").asString("").toUpperCase(java.util.Locale.ROOT);
				members.add(new ClusterMember(member.path("server_name").asString(""), status,
						member.path("message").asString(""), host(member.path("url").asString(""))));
			}
			members.sort(Comparator.comparing(ClusterMember::name));
			return List.copyOf(members);
		}

		/**
		 * {@code https://127.42.1.2:8443} → {@code 127.42.1.2}; {@code [::1]:8443} →
		 * {@code ::1}.
		 */
		static String host(String url) {
			try {
				String host = java.net.URI.create(url).getHost();
				if (host == null) {
					return url;
				}
				return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
			}
			catch (IllegalArgumentException ex) {
				return url;
			}
		}
	}

	/** {@code lxc query /1.0}: the server's version and what it can do. */
	record GetServer() implements LxdCommand<LxdServer> {

		@Override
		public List<String> arguments() {
			return List.of("query", "--wait", "/1.0");
		}

		@Override
		public LxdServer response(ProcessResult result, JsonMapper json) {
			JsonNode server = json.readTree(result.stdout());
			JsonNode environment = server.path("environment");
			JsonNode kernel = environment.path("kernel_features");
			// kernel_features.idmapped_mounts says "true" on LXD 5.0.2 here, yet
			// shift=true fails with "Required idmapping abilities not available": only
			// shiftfs is a promise LXD keeps. Incus (no shiftfs) shifts with the kernel's
			// idmapped mounts, and shift=true works where it says so.
			boolean shifts = "incus".equals(environment.path("server").asString(""))
					? "true".equals(kernel.path("idmapped_mounts").asString(""))
					: "true".equals(kernel.path("shiftfs").asString(""));
			return new LxdServer(environment.path("server_version").asString(""), shifts,
					environment.path("server_pid").asLong(0), environment.path("server_name").asString(""),
					environment.path("server_clustered").asBoolean(false), imageReplicas(server.path("config")));
		}

		private static int imageReplicas(JsonNode config) {
			try {
				return Integer.parseInt(config.path("cluster.images_minimal_replica")
					.asString(Integer.toString(LxdServer.DEFAULT_IMAGE_REPLICAS))
					.strip());
			}
			catch (NumberFormatException ex) {
				return LxdServer.DEFAULT_IMAGE_REPLICAS;
			}
		}
	}

	// --- files
	// ----------------------------------------------------------------------------------------

	/**
	 * {@code lxc file push -q HOST NAME/PATH --uid --gid} for a file,
	 * {@code lxc file push -q -r HOST
	 * NAME/DIR/} for a directory (LXD refuses uid/gid in recursive mode; the caller
	 * chowns afterwards).
	 */
	record PushFile(InstanceName name, java.nio.file.Path hostPath, String instancePath, boolean recursive, int uid,
			int gid) implements Action {

		@Override
		public List<String> arguments() {
			return this.recursive
					? List.of("file", "push", "-q", "-r", this.hostPath.toString(), this.name + this.instancePath)
					: List.of("file", "push", "-q", "--uid", Integer.toString(this.uid), "--gid",
							Integer.toString(this.gid), this.hostPath.toString(), this.name + this.instancePath);
		}

		@Override
		public boolean slow() {
			return true;
		}
	}

	/**
	 * {@code lxc file pull -q -r NAME/PATH HOSTDIR/}: lands as
	 * {@code HOSTDIR/<basename of PATH>}.
	 */
	record PullFile(InstanceName name, String instancePath, java.nio.file.Path hostDirectory) implements Action {

		@Override
		public List<String> arguments() {
			return List.of("file", "pull", "-q", "-r", this.name + this.instancePath, this.hostDirectory + "/");
		}

		@Override
		public boolean slow() {
			return true;
		}
	}

	/**
	 * Writes stdin to a file through {@code lxc exec ... sh -c}: the content travels on
	 * stdin only, lands in a 0600 temp file next to the target (umask 077), gets its
	 * owner and mode, then replaces the target in one rename. Missing parent directories
	 * are created owned by the file's owner.
	 */
	record WriteFile(InstanceName name, String instancePath, byte[] content, int uid, int gid,
			int mode) implements Action {

		static final String SCRIPT = """
				set -e
				path=$1; owner=$2; mode=$3
				dir=$(dirname "$path")
				if [ ! -d "$dir" ]; then
					top=$dir
					while [ ! -e "$(dirname "$top")" ]; do top=$(dirname "$top"); done
					mkdir -p "$dir"
					chown -R "$owner" "$top"
				fi
				umask 077
				tmp=$(mktemp "$dir/.dilxc-write.XXXXXX")
				trap 'rm -f "$tmp"' EXIT
				cat > "$tmp"
				chown "$owner" "$tmp"
				chmod "$mode" "$tmp"
				mv -fT "$tmp" "$path"
				""";

		@Override
		public List<String> arguments() {
			return List.of("exec", this.name.value(), "--force-noninteractive", "--", "sh", "-c", SCRIPT, "dilxc-write",
					this.instancePath, this.uid + ":" + this.gid, Integer.toOctalString(this.mode));
		}

		@Override
		public byte[] stdin() {
			return this.content.clone();
		}

		@Override
		public String toString() {
			// The content may be a secret: never in a log line or an exception message.
			return "WriteFile[name=" + this.name + ", instancePath=" + this.instancePath + ", content=("
					+ this.content.length + " bytes)]";
		}
	}

	/**
	 * First half of a push, as root: works out where the copy lands (inside {@code DEST}
	 * when it ends with {@code /} or is a directory, else at {@code DEST}), creates
	 * missing parents owned by the new owner, and makes a private staging directory next
	 * to the target so the final move is a rename. Answers the target and the staging
	 * directory, one per line.
	 */
	record PreparePush(InstanceName name, String instancePath, String baseName, int uid,
			int gid) implements LxdCommand<PreparePush.Staging> {

		static final String SCRIPT = """
				set -e
				dest=$1; base=$2; owner=$3
				case "$dest" in
					*/) target=$dest$base ;;
					*) if [ -d "$dest" ]; then target=$dest/$base; else target=$dest; fi ;;
				esac
				dir=$(dirname "$target")
				if [ ! -d "$dir" ]; then
					top=$dir
					while [ ! -e "$(dirname "$top")" ]; do top=$(dirname "$top"); done
					mkdir -p "$dir"
					chown -R "$owner" "$top"
				fi
				staging=$(mktemp -d "$dir/.dilxc-push.XXXXXX")
				printf '%s\\n%s\\n' "$target" "$staging"
				""";

		/** Where the copy lands and the root-only directory it is staged in. */
		record Staging(String target, String directory) {
		}

		@Override
		public List<String> arguments() {
			return List.of("exec", this.name.value(), "--force-noninteractive", "--", "sh", "-c", SCRIPT, "dilxc-push",
					this.instancePath, this.baseName, this.uid + ":" + this.gid);
		}

		@Override
		public Staging response(ProcessResult result, JsonMapper json) {
			List<String> lines = result.stdout().lines().toList();
			if (lines.size() != 2) {
				throw new IllegalStateException("expected a target and a staging directory, got: " + result.stdout());
			}
			return new Staging(lines.get(0), lines.get(1));
		}
	}

	/**
	 * Second half of a push, as root: gives the staged copy its owner, then renames it
	 * onto the target (replacing a file) or, for a directory onto an existing directory,
	 * merges it in; the staging directory is removed whatever happens.
	 */
	record FinishPush(InstanceName name, String staged, String target, int uid, int gid) implements Action {

		static final String SCRIPT = """
				set -e
				staged=$1; target=$2; owner=$3
				trap 'rm -rf "$(dirname "$staged")"' EXIT
				chown -R "$owner" "$staged"
				if [ -d "$staged" ] && [ -d "$target" ]; then
					cp -a "$staged/." "$target/"
				else
					mv -fT "$staged" "$target"
				fi
				""";

		@Override
		public List<String> arguments() {
			return List.of("exec", this.name.value(), "--force-noninteractive", "--", "sh", "-c", SCRIPT, "dilxc-push",
					this.staged, this.target, this.uid + ":" + this.gid);
		}

		@Override
		public boolean slow() {
			return true;
		}
	}

	/** Removes a staging directory left by a push that failed half-way. */
	record RemoveStaging(InstanceName name, String directory) implements Action {

		@Override
		public List<String> arguments() {
			return List.of("exec", this.name.value(), "--force-noninteractive", "--", "rm", "-rf", "--",
					this.directory);
		}
	}

	private static List<String> pairs(Map<String, String> values) {
		List<String> pairs = new ArrayList<>();
		new TreeMap<>(values).forEach((key, value) -> pairs.add(key + "=" + value));
		return pairs;
	}

	private static String pathSegment(String value) {
		return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
	}

	private static InstanceDetails details(JsonNode instance) {
		InstanceName name = new InstanceName(instance.path("name").asString(""));
		JsonNode state = instance.path("state");
		InstanceStatus status = InstanceStatus.of(instance.path("status").asString(state.path("status").asString("")));
		boolean running = status == InstanceStatus.RUNNING || status == InstanceStatus.FROZEN;
		Map<String, String> config = new TreeMap<>();
		instance.path("config")
			.properties()
			.forEach((entry) -> config.put(entry.getKey(), entry.getValue().asString("")));
		Map<String, Map<String, String>> devices = new TreeMap<>();
		instance.path("devices").properties().forEach((device) -> {
			Map<String, String> properties = new TreeMap<>();
			device.getValue().properties().forEach((p) -> properties.put(p.getKey(), p.getValue().asString("")));
			devices.put(device.getKey(), Map.copyOf(properties));
		});
		Long memory = running && state.path("memory").has("usage") ? state.path("memory").path("usage").asLong() : null;
		JsonNode rootDisk = state.path("disk").path("root");
		Long disk = rootDisk.has("usage") ? rootDisk.path("usage").asLong() : null;
		Integer processes = running && state.has("processes") ? state.path("processes").asInt() : null;
		List<InstanceSnapshot> snapshots = new ArrayList<>();
		for (JsonNode snapshot : instance.path("snapshots")) {
			String snapshotName = snapshot.path("name").asString("");
			snapshots.add(new InstanceSnapshot(snapshotName.substring(snapshotName.lastIndexOf('/') + 1),
					instant(snapshot.path("created_at").asString(""))));
		}
		snapshots.sort(Comparator.comparing(InstanceSnapshot::createdAt));
		// A server outside a cluster says "none" (LXD) or nothing.
		String location = instance.path("location").asString("");
		return new InstanceDetails(name, status, instant(instance.path("created_at").asString("")),
				java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config)),
				java.util.Collections.unmodifiableMap(new LinkedHashMap<>(devices)), ipv4(state.path("network")),
				memory, disk, processes, List.copyOf(snapshots),
				(location.isEmpty() || "none".equals(location)) ? null : location);
	}

	/**
	 * Global IPv4 addresses as {@code ADDR (IFACE)}, eth* first (docker0 and friends
	 * after), lo never.
	 */
	private static List<String> ipv4(JsonNode network) {
		List<String> interfaces = new ArrayList<>();
		network.properties().forEach((entry) -> interfaces.add(entry.getKey()));
		interfaces.sort(Comparator.comparing((String iface) -> !iface.startsWith("eth"))
			.thenComparing(Comparator.naturalOrder()));
		List<String> addresses = new ArrayList<>();
		for (String iface : interfaces) {
			if (iface.equals("lo")) {
				continue;
			}
			for (JsonNode address : network.path(iface).path("addresses")) {
				if ("inet".equals(address.path("family").asString(""))
						&& "global".equals(address.path("scope").asString(""))) {
					addresses.add(address.path("address").asString("") + " (" + iface + ")");
				}
			}
		}
		return List.copyOf(addresses);
	}

	private static Instant instant(String text) {
		return text.isEmpty() ? Instant.EPOCH : Instant.parse(text);
	}

}
