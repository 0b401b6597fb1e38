package dev.dilxc.daemon.sandboxes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Service;

import dev.dilxc.api.AgentCredentials;
import dev.dilxc.api.HostAuth;
import dev.dilxc.api.InitSandboxRequest;
import dev.dilxc.api.OperationView;
import dev.dilxc.daemon.leases.SandboxLeases;
import dev.dilxc.daemon.lxd.ClusterMember;
import dev.dilxc.daemon.lxd.ExecRequest;
import dev.dilxc.daemon.lxd.ExecResult;
import dev.dilxc.daemon.lxd.InstanceDetails;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.lxd.InstanceNotFoundException;
import dev.dilxc.daemon.lxd.InstanceSnapshot;
import dev.dilxc.daemon.lxd.InstanceSpec;
import dev.dilxc.daemon.lxd.Lxd;
import dev.dilxc.daemon.lxd.LxdException;
import dev.dilxc.daemon.lxd.LxdServer;

/**
 * {@code init}: makes a sandbox for a project, or converges an existing one to the
 * request, as an operation the client follows. Every input is checked before anything is
 * made, so a bad request leaves nothing behind; a failure later keeps the sandbox, and
 * running init again converges it.
 */
@Service
class SandboxInit {

	static final String SOURCE = "/home/ubuntu/project-src";

	static final String DEPLOY = "/mnt/deploy";

	static final String BASELINE = "clean-baseline";

	static final String SCRIPT_RESOURCE = "provisioning/provision-container.sh";

	static final String SCRIPT_INSIDE = "/tmp/provision-container.sh";

	static final String CUSTOM_INSIDE = "/tmp/custom-provision.sh";

	static final String PROVISIONED_MARKER = "/etc/dilxc/provisioned";

	private static final int STEPS = 8;

	/**
	 * Until systemd says the boot is over ("Failed to connect to bus" early on means not
	 * yet).
	 */
	private static final String BOOT_WAIT = """
			command -v systemctl >/dev/null || exit 0
			i=0
			while [ "$i" -lt 600 ]; do
			  state=$(systemctl is-system-running 2>/dev/null)
			  case "$state" in running|degraded) exit 0 ;; esac
			  i=$((i + 1)); sleep 0.1
			done
			echo "systemd says: ${state:-nothing}" >&2
			exit 1
			""";

	private static final Pattern MEMORY = Pattern.compile(
			"(?:[1-9][0-9]*(?:\\.[0-9]+)?|0\\.[0-9]*[1-9][0-9]*)(?:B|kB|MB|GB|TB|PB|EB|KiB|MiB|GiB|TiB|PiB|EiB)?|(?:100|[1-9][0-9]?)%");

	private final Lxd lxd;

	private final SandboxesProperties properties;

	private final Operations operations;

	private final OperationExec exec;

	private final AuthDevices auth;

	private final SandboxLeases leases;

	SandboxInit(Lxd lxd, SandboxesProperties properties, Operations operations, OperationExec exec, AuthDevices auth,
			SandboxLeases leases) {
		this.leases = leases;
		this.lxd = lxd;
		this.properties = properties;
		this.operations = operations;
		this.exec = exec;
		this.auth = auth;
	}

	/** What a checked request asks for. */
	record Plan(InstanceName name, Path project, @Nullable Path deploy, String image, boolean fish,
			@Nullable Integer cpu, @Nullable String memory, @Nullable AgentCredentials credentials,
			@Nullable String customScript, @Nullable HostAuth hostAuth, @Nullable String idmap, boolean shift,
			boolean exists, @Nullable String target, String thisMember) {
	}

	/**
	 * Checks the request (400 with what is wrong and how to fix it), then starts the
	 * operation.
	 */
	OperationView start(InitSandboxRequest request) {
		Plan plan = check(request);
		Set<String> secrets = new HashSet<>();
		if (plan.credentials() != null) {
			addIfPresent(secrets, plan.credentials().anthropicApiKey());
			addIfPresent(secrets, plan.credentials().claudeCodeOauthToken());
		}
		return this.operations.startLeased(this.leases, "init", plan.name().value(), secrets,
				(operation) -> run(plan, operation));
	}

	Plan check(@Nullable InitSandboxRequest request) {
		if (request == null) {
			throw new SandboxException.BadRequest("the init request has no body: send name and projectPath");
		}
		InstanceName name = SandboxCatalog.instanceName(request.name());
		Path project = directory("project path", request.projectPath(), "-p /path/to/project");
		Path deploy = (request.deployPath() == null || request.deployPath().isBlank()) ? null
				: directory("deploy path", request.deployPath(), "-d /path/to/deploy");
		int cores = Runtime.getRuntime().availableProcessors();
		if (request.cpu() != null && (request.cpu() < 1 || request.cpu() > cores)) {
			throw new SandboxException.BadRequest("cpu " + request.cpu() + " is out of range: this host has " + cores
					+ " core(s), give 1 to " + cores + " (or leave it out for no limit)");
		}
		String memory = (request.memory() == null || request.memory().isBlank()) ? null : request.memory().strip();
		if (memory != null && !MEMORY.matcher(memory).matches()) {
			throw new SandboxException.BadRequest("memory '" + request.memory()
					+ "' is not a size LXD understands: use "
					+ "a number with a unit such as 512MiB, 8GiB or 4GB, or a percentage of the host's memory such as 50%");
		}
		checkCredentials(request.credentials());
		if (request.customProvisionScript() != null && request.customProvisionScript().indexOf('\0') >= 0) {
			throw new SandboxException.BadRequest(
					"the custom provision script contains a NUL byte: it must be a text file");
		}
		boolean exists = exists(name);
		String image = (request.image() == null || request.image().isBlank()) ? this.properties.defaultImage()
				: request.image().strip();
		if (!exists) {
			if (this.lxd.findStoragePool(this.properties.storagePool()).isEmpty()) {
				String cli = this.lxd.clientCommand();
				throw new SandboxException.BadRequest(this.lxd.backendName() + " has no storage pool '"
						+ this.properties.storagePool() + "': create it (" + cli + " storage create "
						+ this.properties.storagePool() + " btrfs) or point dilxc.sandboxes.storage-pool at one that '"
						+ cli + " storage list' shows");
			}
			if (!this.lxd.imageExists(image)) {
				String fix = image.equals("dilxc-golden") ? "build it with provisioning/image/build-image.sh"
						: "import it ('" + this.lxd.clientCommand()
								+ " image list' shows what is there) or leave out the image to use "
								+ this.properties.defaultImage();
				throw new SandboxException.BadRequest("the image '" + image + "' is not in " + this.lxd.backendName()
						+ "'s local image store: " + fix);
			}
		}
		LxdServer server = this.lxd.server();
		String target = (request.target() == null || request.target().isBlank()) ? null : request.target().strip();
		if (target != null) {
			checkTarget(target, server);
		}
		boolean shift = server.idmappedMounts();
		String idmap = null;
		if (!shift) {
			int uid = owner(project);
			for (Path file : List.of(Path.of(this.properties.subuidFile()), Path.of(this.properties.subgidFile()))) {
				if (!HostIds.delegatedToRoot(file, uid)) {
					throw new SandboxException.BadRequest("the project directory " + project + " is owned by uid " + uid
							+ ", and LXD here cannot shift ids on mounts, so it maps that uid to the sandbox user with "
							+ "raw.idmap; that needs the line 'root:" + uid + ":1' in " + this.properties.subuidFile()
							+ " and " + this.properties.subgidFile() + ": add it to both (echo root:" + uid + ":1 >> "
							+ this.properties.subuidFile() + "; echo root:" + uid + ":1 >> "
							+ this.properties.subgidFile() + "), then restart LXD");
				}
			}
			idmap = "both " + uid + " " + this.properties.uid();
		}
		return new Plan(name, project, deploy, image, request.fish(), request.cpu(), memory, request.credentials(),
				request.customProvisionScript(), request.hostAuth(), idmap, shift, exists, target,
				server.clustered() ? server.serverName() : "");
	}

	/**
	 * A {@code --target} names a member (or {@code @group}) of the cluster the daemon's
	 * LXD belongs to, and a member must be online to take a new sandbox.
	 */
	private void checkTarget(String target, LxdServer server) {
		if (!server.clustered()) {
			throw new SandboxException.BadRequest("--target " + target + " places a sandbox on a member of an "
					+ this.lxd.backendName() + " cluster, but the daemon's " + this.lxd.backendName() + " ("
					+ server.serverName() + ") is not clustered: leave --target out");
		}
		if (target.startsWith("@")) {
			// A cluster group: the cluster checks it and picks a member.
			return;
		}
		List<ClusterMember> members = this.lxd.clusterMembers();
		ClusterMember member = members.stream()
			.filter((candidate) -> candidate.name().equals(target))
			.findFirst()
			.orElseThrow(() -> new SandboxException.BadRequest("--target " + target + " names no member of the "
					+ this.lxd.backendName() + " cluster: its members are "
					+ String.join(", ", members.stream().map(ClusterMember::name).toList())
					+ " (or give @GROUP for a cluster group)"));
		if (!member.isOnline()) {
			throw new SandboxException.BadRequest("--target " + target + ": cluster member " + member.describe()
					+ ", so no sandbox can be made there now: choose another member or init again once it is back");
		}
	}

	private void run(Plan plan, Operation op) throws InterruptedException {
		InstanceName name = plan.name();
		InstanceDetails details = instance(plan, op);
		mount(plan, details, op);
		start(plan, op);
		provision(plan, op);
		credentials(plan, op);
		op.step(6, STEPS, "Setting up git & forge auth forwarding");
		this.auth.apply(name, plan.hostAuth(), plan.shift(), op);
		workingCopy(plan, op);
		baseline(plan, op);
	}

	// --- 1: the instance
	// ---------------------------------------------------------------------------

	private InstanceDetails instance(Plan plan, Operation op) {
		InstanceName name = plan.name();
		Map<String, String> config = new LinkedHashMap<>();
		config.put("security.nesting", "true");
		config.put("security.syscalls.intercept.mknod", "true");
		config.put("security.syscalls.intercept.setxattr", "true");
		if (plan.idmap() != null) {
			config.put("raw.idmap", plan.idmap());
		}
		if (plan.cpu() != null) {
			config.put("limits.cpu", plan.cpu().toString());
		}
		if (plan.memory() != null) {
			config.put("limits.memory", plan.memory());
		}
		config.put(SandboxCatalog.KEY_PROJECT, plan.project().toString());
		config.put(SandboxCatalog.KEY_FISH, Boolean.toString(plan.fish()));
		Optional<InstanceDetails> existing = describe(name);
		if (existing.isEmpty()) {
			op.step(1, STEPS, "Creating sandbox '" + name + "' from image " + plan.image());
			config.put(SandboxCatalog.KEY_IMAGE, plan.image());
			if (plan.deploy() != null) {
				config.put(SandboxCatalog.KEY_DEPLOY, plan.deploy().toString());
			}
			this.lxd.createInstance(
					new InstanceSpec(name, plan.image(), this.properties.storagePool(), config, plan.target()));
			InstanceDetails created = this.lxd.describeInstance(name);
			placed(plan, created, op);
			return created;
		}
		InstanceDetails details = existing.get();
		op.step(1, STEPS, "Sandbox '" + name + "' exists: converging it to this request");
		if (plan.target() != null && details.location() != null && !plan.target().equals(details.location())) {
			op.warning("the sandbox stays on cluster member " + details.location() + ": --target " + plan.target()
					+ " places new sandboxes only (" + this.lxd.clientCommand() + " move " + name + " --target "
					+ plan.target() + " moves a stopped one)");
		}
		placed(plan, details, op);
		if (!details.config().containsKey(SandboxCatalog.KEY_PROJECT)) {
			op.warning("instance '" + name + "' was not made by dilxc init: it is being made into a sandbox "
					+ "(mounts, provisioning, working copy) as the original tool did with an existing container");
		}
		String recordedImage = details.config().get(SandboxCatalog.KEY_IMAGE);
		if (recordedImage == null) {
			config.put(SandboxCatalog.KEY_IMAGE, plan.image());
		}
		else if (!recordedImage.equals(plan.image()) && !plan.image().equals(this.properties.defaultImage())) {
			op.warning("the sandbox was made from image " + recordedImage + "; an existing sandbox keeps its image "
					+ "(destroy it and init again to use " + plan.image() + ")");
		}
		config.put(SandboxCatalog.KEY_DEPLOY, (plan.deploy() != null) ? plan.deploy().toString() : "");
		boolean idmapChanged = plan.idmap() != null && !plan.idmap().equals(details.config().get("raw.idmap"));
		Map<String, String> changes = new LinkedHashMap<>();
		config.forEach((key, value) -> {
			if (!value.equals(details.config().getOrDefault(key, ""))) {
				changes.put(key, value);
			}
		});
		if (!changes.isEmpty()) {
			this.lxd.setConfig(name, changes);
			op.line("updated " + String.join(", ", changes.keySet()));
		}
		if (idmapChanged && details.isRunning()) {
			op.line("the id map changed (raw.idmap " + plan.idmap() + "): restarting the sandbox so it takes effect");
			this.lxd.restartInstance(name);
		}
		return this.lxd.describeInstance(name);
	}

	/**
	 * Says where a sandbox in a cluster lives, and what that means for the host paths it
	 * mounts: they are paths on the host of its member, which is not the daemon's host
	 * when the member is another one.
	 */
	private void placed(Plan plan, InstanceDetails details, Operation op) {
		String member = details.location();
		if (member == null) {
			return;
		}
		op.line("sandbox '" + plan.name() + "' is on cluster member " + member);
		if (!member.equals(plan.thisMember())) {
			op.warning("cluster member " + member + " is not " + plan.thisMember() + ", the member this daemon's "
					+ this.lxd.backendName() + " is: the project mount (" + plan.project() + ")"
					+ ((plan.deploy() != null) ? ", the deploy mount (" + plan.deploy() + ")" : "")
					+ ", the forwarded SSH agent socket and gh config are paths on " + member + "'s host and must "
					+ "exist there too (share them, e.g. over NFS, or sync them), and its port proxies listen on "
					+ member + "'s host");
		}
	}

	// --- 2: mounts
	// -----------------------------------------------------------------------------------

	private void mount(Plan plan, InstanceDetails details, Operation op) {
		op.step(2, STEPS, "Mounting project directory (read-only)");
		Map<String, String> project = new LinkedHashMap<>();
		project.put("source", plan.project().toString());
		project.put("path", SOURCE);
		project.put("readonly", "true");
		if (plan.shift()) {
			project.put("shift", "true");
		}
		disk(plan.name(), details, "project", project);
		op.line("mounted " + plan.project() + " -> " + SOURCE + " (read-only)");
		if (plan.deploy() != null) {
			Map<String, String> deploy = new LinkedHashMap<>();
			deploy.put("source", plan.deploy().toString());
			deploy.put("path", DEPLOY);
			if (plan.shift()) {
				deploy.put("shift", "true");
			}
			disk(plan.name(), details, "deploy", deploy);
			op.line("mounted " + plan.deploy() + " -> " + DEPLOY + " (read-write)");
			op.warning("Claude Code CAN write to " + plan.deploy() + " on the host through " + DEPLOY);
		}
		else if (details.devices().containsKey("deploy")) {
			String source = details.devices().get("deploy").get("source");
			this.lxd.removeDevice(plan.name(), "deploy");
			op.warning("removed the deploy mount of an earlier init (" + source + " -> " + DEPLOY
					+ "): this init names no deploy path; give -d again to keep it");
		}
	}

	/**
	 * Adds a disk device, or replaces one that differs; an identical one is left alone.
	 */
	private void disk(InstanceName name, InstanceDetails details, String device, Map<String, String> properties) {
		Map<String, String> current = details.devices().get(device);
		if (current != null) {
			Map<String, String> wanted = new LinkedHashMap<>(properties);
			wanted.put("type", "disk");
			if (wanted.equals(current)) {
				return;
			}
			this.lxd.removeDevice(name, device);
		}
		this.lxd.addDevice(name, device, "disk", properties);
	}

	// --- 3: running
	// ------------------------------------------------------------------------------------

	private void start(Plan plan, Operation op) throws InterruptedException {
		InstanceName name = plan.name();
		InstanceDetails details = this.lxd.describeInstance(name);
		if (details.isRunning()) {
			op.step(3, STEPS, "Sandbox is running");
		}
		else {
			op.step(3, STEPS, "Starting sandbox");
			if (plan.exists()) {
				op.line("it was " + details.status().name().toLowerCase(java.util.Locale.ROOT) + ": starting it");
			}
			this.lxd.startInstance(name);
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		String last = "";
		while (true) {
			try {
				if (this.exec.root(name, "true").exitCode() == 0) {
					awaitBoot(name, op);
					return;
				}
			}
			catch (LxdException ex) {
				last = Objects.requireNonNullElse(ex.getMessage(), "");
			}
			if (System.nanoTime() > deadline) {
				throw new OperationFailure("sandbox '" + name + "' started but did not accept commands within 90 s"
						+ (last.isEmpty() ? "" : " (" + last + ")") + ": look at '" + this.lxd.clientCommand()
						+ " info " + name + " --show-log', then run init again");
			}
			Thread.sleep(200);
		}
	}

	/**
	 * Waits for the sandbox's boot to finish: systemd-tmpfiles empties /tmp early in the
	 * boot, and would take the scripts pushed there with it. Degraded or no systemd at
	 * all is fine for what comes next.
	 */
	private void awaitBoot(InstanceName name, Operation op) {
		ExecResult booted = this.lxd.exec(name, ExecRequest.asRoot(Duration.ofSeconds(90), "sh", "-c", BOOT_WAIT));
		if (booted.exitCode() != 0) {
			op.warning("the sandbox's boot did not finish within 60 s (" + booted.stderr().strip() + "); going on");
		}
	}

	// --- 4: provisioning
	// -------------------------------------------------------------------------------

	private void provision(Plan plan, Operation op) throws InterruptedException {
		InstanceName name = plan.name();
		byte[] script = bundledScript();
		String sha = sha256(script);
		ExecResult marker = this.exec.root(name, "cat", PROVISIONED_MARKER);
		String recorded = (marker.exitCode() == 0) ? marker.stdout().strip().split("\\s+")[0] : "";
		boolean quick = sha.equals(recorded);
		op.step(4, STEPS, quick ? "Provisioning (the image has this provisioning: configuring only)"
				: "Provisioning (full: installs packages, needs network; this takes a few minutes)");
		// Always remove a custom script an earlier init left: without one in this
		// request, none runs.
		this.exec.root(name, "rm", "-f", CUSTOM_INSIDE, SCRIPT_INSIDE);
		if (plan.customScript() != null && !plan.customScript().isBlank()) {
			this.lxd.writeFile(name, CUSTOM_INSIDE, plan.customScript().getBytes(StandardCharsets.UTF_8), 0, 0, 0755);
			op.line("custom provision script pushed: it runs after the standard provisioning");
		}
		this.lxd.writeFile(name, SCRIPT_INSIDE, script, 0, 0, 0755);
		List<String> argv = new ArrayList<>(List.of(SCRIPT_INSIDE));
		if (quick) {
			argv.add("--no-packages");
		}
		if (plan.fish()) {
			argv.add("--fish");
		}
		ExecRequest request = new ExecRequest(argv, null, null, "/root", Map.of(), this.properties.provisionTimeout());
		OperationExec.Streamed result = this.exec.stream(name, "provisioning", request, op,
				this.properties.provisionTimeout());
		if (result.exitCode() != 0) {
			String fix = quick ? "read the lines above (a failing custom provision script shows there), fix the cause"
					: "a full provisioning installs packages and needs network in the sandbox; sandboxes here have "
							+ "none, so make them from the golden image that already has them (provisioning/image/build-image.sh, "
							+ "image dilxc-golden), or fix the sandbox's network";
			throw new OperationFailure("provisioning failed (exit " + result.exitCode() + "). Last lines:\n"
					+ result.lastLines() + "\nFix: " + fix + "; the sandbox '" + name
					+ "' is kept, and running init again converges it");
		}
		this.exec.root(name, "rm", "-f", CUSTOM_INSIDE, SCRIPT_INSIDE);
	}

	private static byte[] bundledScript() {
		ClassPathResource resource = new ClassPathResource(SCRIPT_RESOURCE);
		try (InputStream in = resource.getInputStream()) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new OperationFailure("this daemon was built without " + SCRIPT_RESOURCE
					+ " on its classpath: rebuild it from a full checkout (mvn package)");
		}
	}

	static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	// --- 5: credentials
	// --------------------------------------------------------------------------------

	private void credentials(Plan plan, Operation op) {
		InstanceName name = plan.name();
		AgentCredentials credentials = plan.credentials();
		if (credentials == null || credentials.isEmpty()) {
			op.step(5, STEPS, "Agent credentials: none given, " + this.properties.agentEnvFile() + " is left as it is");
			op.line("give ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN to init, or log in with 'dilxc-client login'");
			return;
		}
		op.step(5, STEPS, "Writing agent credentials to " + this.properties.agentEnvFile());
		String file = this.properties.agentEnvFile();
		String directory = file.substring(0, file.lastIndexOf('/'));
		ExecResult mkdir = this.exec.user(name, this.properties.home(), "mkdir", "-p", directory);
		if (mkdir.exitCode() != 0) {
			throw new OperationFailure(
					"could not create " + directory + " as the sandbox user: " + mkdir.stderr().strip());
		}
		ExecResult current = this.exec.root(name, "cat", file);
		List<String> lines = new ArrayList<>();
		if (current.exitCode() == 0) {
			for (String line : current.stdout().split("\n", -1)) {
				String key = line.strip().replaceFirst("^export\\s+", "");
				if (!key.startsWith("ANTHROPIC_API_KEY=") && !key.startsWith("CLAUDE_CODE_OAUTH_TOKEN=")
						&& !line.isEmpty()) {
					lines.add(line);
				}
			}
		}
		String apiKey = credentials.anthropicApiKey();
		if (apiKey != null && !apiKey.isBlank()) {
			lines.add("ANTHROPIC_API_KEY=" + apiKey.strip());
		}
		String oauthToken = credentials.claudeCodeOauthToken();
		if (oauthToken != null && !oauthToken.isBlank()) {
			lines.add("CLAUDE_CODE_OAUTH_TOKEN=" + oauthToken.strip());
		}
		byte[] content = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
		this.lxd.writeFile(name, file, content, this.properties.uid(), this.properties.gid(), 0600);
		op.line("written (mode 0600, owned by ubuntu); other lines of the file were kept");
	}

	private static void checkCredentials(@Nullable AgentCredentials credentials) {
		if (credentials == null) {
			return;
		}
		for (String value : new String[] { credentials.anthropicApiKey(), credentials.claudeCodeOauthToken() }) {
			if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0)) {
				throw new SandboxException.BadRequest("an agent credential contains a line break or NUL byte: "
						+ "copy the key or token again, as one line");
			}
		}
	}

	// --- 7: working copy
	// -------------------------------------------------------------------------------

	private void workingCopy(Plan plan, Operation op) throws InterruptedException {
		InstanceName name = plan.name();
		String project = this.properties.projectDirectory();
		op.step(7, STEPS, "Preparing the working copy " + project);
		// An image may come with an empty working copy: empty counts as new, so it gets
		// the initial sync.
		boolean fresh = this.exec
			.root(name, "sh", "-c", "[ ! -d \"$1\" ] || [ -z \"$(ls -A \"$1\")\" ]", "empty", project)
			.exitCode() == 0;
		if (fresh) {
			ExecResult made = this.exec.root(name, "install", "-d", "-o", Integer.toString(this.properties.uid()), "-g",
					Integer.toString(this.properties.gid()), "-m", "0755", project);
			if (made.exitCode() != 0) {
				throw new OperationFailure("could not create " + project + ": " + made.stderr().strip());
			}
			List<String> rsync = new ArrayList<>(List.of("rsync", "-a"));
			ProjectSync.EXCLUDES.forEach((exclude) -> rsync.add("--exclude=" + exclude));
			rsync.addAll(List.of(SOURCE + "/", project + "/"));
			OperationExec.Streamed synced = this.exec.stream(
					name, "the initial sync", this.exec.userRequest(this.properties.home(),
							this.properties.provisionTimeout(), rsync.toArray(String[]::new)),
					op, this.properties.provisionTimeout());
			if (synced.exitCode() == 23 || synced.exitCode() == 24) {
				op.warning("some project files could not be read by the sandbox user (rsync exit " + synced.exitCode()
						+ "); the rest was copied: make them readable and run 'dilxc-client sync'");
			}
			else if (synced.exitCode() != 0) {
				throw new OperationFailure("the initial sync " + SOURCE + " -> " + project + " failed (rsync exit "
						+ synced.exitCode() + "). Last lines:\n" + synced.lastLines()
						+ "\nFix: check the project mount, then run init again (it converges)");
			}
			op.line("copied the project into the working copy (without node_modules, .git, dist, build)");
		}
		else {
			op.line("the working copy exists: left as it is ('dilxc-client sync' refreshes it from the project)");
		}
		if (this.exec.root(name, "test", "-e", project + "/.git").exitCode() != 0) {
			gitInit(name, project, op);
		}
	}

	/**
	 * The original left the working copy a plain directory, so what the agent changed
	 * could not be diffed.
	 */
	private void gitInit(InstanceName name, String project, Operation op) {
		ExecResult init = this.exec.user(name, project, "git", "init", "-q", "-b", "main");
		if (init.exitCode() != 0) {
			op.warning("could not make the working copy a git repository (" + init.stderr().strip()
					+ "): diffs of the agent's changes need one; is git installed in the sandbox?");
			return;
		}
		ExecResult add = this.exec.user(name, project, "git", "add", "-A");
		ExecResult commit = this.exec.user(name, project, "git", "-c", "user.name=dilxc", "-c",
				"user.email=dilxc@localhost", "commit", "-q", "--allow-empty", "--no-verify", "-m",
				"Project as synced by dilxc init");
		if (add.exitCode() != 0 || commit.exitCode() != 0) {
			op.warning("the working copy is a git repository but its initial commit failed: "
					+ (add.stderr() + commit.stderr()).strip());
			return;
		}
		op.line("made the working copy a git repository with an initial commit: 'git diff' shows what the agent changed");
	}

	// --- 8: baseline
	// -----------------------------------------------------------------------------------

	private void baseline(Plan plan, Operation op) {
		InstanceName name = plan.name();
		boolean exists = this.lxd.listSnapshots(name).stream().map(InstanceSnapshot::name).anyMatch(BASELINE::equals);
		if (exists) {
			op.step(8, STEPS, "Clean baseline snapshot: kept the one an earlier init took");
			op.line("to take a new one: dilxc-client snapshot-delete " + BASELINE + ", then init again");
			return;
		}
		op.step(8, STEPS, "Taking clean baseline snapshot");
		this.lxd.createSnapshot(name, BASELINE);
		op.line("snapshot '" + BASELINE + "' created");
	}

	// --- helpers
	// ---------------------------------------------------------------------------------------

	private boolean exists(InstanceName name) {
		return this.lxd.findInstance(name).isPresent();
	}

	private Optional<InstanceDetails> describe(InstanceName name) {
		try {
			return Optional.of(this.lxd.describeInstance(name));
		}
		catch (InstanceNotFoundException ex) {
			return Optional.empty();
		}
	}

	private static Path directory(String what, String value, String example) {
		if (value == null || value.isBlank()) {
			throw new SandboxException.BadRequest("the " + what + " is missing: give it, e.g. " + example);
		}
		Path path = Path.of(value);
		if (!path.isAbsolute()) {
			throw new SandboxException.BadRequest("the " + what + " '" + value + "' is relative: the daemon does not "
					+ "know your working directory, give an absolute path (e.g. \"$(realpath " + value + ")\")");
		}
		if (!Files.isDirectory(path)) {
			throw new SandboxException.BadRequest("the " + what + " '" + value + "' "
					+ (Files.exists(path) ? "is not a directory" : "does not exist") + ": give an existing directory");
		}
		return path.normalize();
	}

	private static int owner(Path path) {
		try {
			return (Integer) Files.getAttribute(path, "unix:uid");
		}
		catch (IOException | UnsupportedOperationException ex) {
			throw new SandboxException.BadRequest("cannot read the owner of " + path + ": " + ex.getMessage());
		}
	}

	private static void addIfPresent(Set<String> secrets, @Nullable String value) {
		if (value != null && !value.isBlank()) {
			secrets.add(value.strip());
		}
	}

}
