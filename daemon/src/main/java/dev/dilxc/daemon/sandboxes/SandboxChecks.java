package dev.dilxc.daemon.sandboxes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

import dev.dilxc.api.CheckReport;
import dev.dilxc.api.CheckResult;
import dev.dilxc.api.HostAuth;
import dev.dilxc.daemon.lxd.ClusterMember;
import dev.dilxc.daemon.lxd.ExecRequest;
import dev.dilxc.daemon.lxd.ExecResult;
import dev.dilxc.daemon.lxd.InstanceDetails;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.lxd.InstanceNotFoundException;
import dev.dilxc.daemon.lxd.Lxd;
import dev.dilxc.daemon.lxd.LxdClient;
import dev.dilxc.daemon.lxd.LxdException;
import dev.dilxc.daemon.lxd.LxdServer;
import dev.dilxc.daemon.lxd.StoragePool;
import dev.dilxc.daemon.process.ProcessCall;
import dev.dilxc.daemon.process.ProcessResult;
import dev.dilxc.daemon.process.ProcessRunner;
import dev.dilxc.daemon.process.ProcessStartException;
import dev.dilxc.daemon.process.ProcessTimeoutException;

/**
 * {@code health-check}, {@code git-auth} and {@code doctor}: every check runs (none is
 * skipped because an earlier one failed), says what it found, and says how to fix a
 * failure. Nothing is pretended: a check that could not look says so and fails.
 */
@Service
class SandboxChecks {

	/**
	 * Says which credentials the agent would find, never their values: prints a key name
	 * or "login".
	 */
	static final String CREDENTIALS_SCRIPT = """
			f="$1"
			if [ -e "$f" ] && [ ! -r "$f" ]; then echo unreadable; exit 2; fi
			if [ -r "$f" ]; then
			  while IFS= read -r line || [ -n "$line" ]; do
			    case "$line" in
			      ANTHROPIC_API_KEY=?*|CLAUDE_CODE_OAUTH_TOKEN=?*|ANTHROPIC_AUTH_TOKEN=?*)
			        value="${line#*=}"
			        case "$value" in '""'|"''") continue ;; esac
			        echo "${line%%=*}"; exit 0 ;;
			    esac
			  done < "$f"
			fi
			if [ -s "$HOME/.claude/.credentials.json" ]; then echo login; exit 0; fi
			exit 1
			""";

	/**
	 * $1 a directory: 3 missing, 4 not readable (or, with $2 = w, not writable) by the
	 * caller; else its owner uid.
	 */
	static final String DIRECTORY_SCRIPT = """
			[ -d "$1" ] || exit 3
			if [ "$2" = w ]; then [ -w "$1" ] || exit 4; fi
			{ [ -r "$1" ] && [ -x "$1" ] && ls "$1" >/dev/null 2>&1; } || exit 4
			stat -c %u "$1"
			""";

	private static final Duration QUICK = Duration.ofSeconds(30);

	private static final Pattern GH_ACCOUNT = Pattern.compile("Logged in to (\\S+) (?:account|as) (\\S+)");

	private static final Pattern SSH_KEY = Pattern.compile("^\\d+ \\S+ .*$");

	private final Lxd lxd;

	private final SandboxCatalog catalog;

	private final AuthForwarding authForwarding;

	private final SandboxesProperties properties;

	private final HostFiles host;

	SandboxChecks(Lxd lxd, SandboxCatalog catalog, AuthForwarding authForwarding, SandboxesProperties properties) {
		this.lxd = lxd;
		this.catalog = catalog;
		this.authForwarding = authForwarding;
		this.properties = properties;
		this.host = new HostFiles();
	}

	// --- health-check
	// ---------------------------------------------------------------------------------

	CheckReport health(String name) {
		InstanceDetails sandbox = this.catalog.requireRunning(name);
		List<CheckResult> checks = new ArrayList<>();
		checks.add(check("Network", () -> network(sandbox)));
		checks.add(check("Docker", () -> docker(sandbox)));
		checks.add(check("Claude Code", () -> claude(sandbox)));
		checks.add(check("Agent credentials", () -> credentials(sandbox)));
		checks.add(check("Project dir", () -> projectDirectory(sandbox)));
		checks.add(check("Source mount", () -> sourceMount(sandbox)));
		return new CheckReport("Health Check: " + sandbox.name(), checks);
	}

	private CheckResult network(InstanceDetails sandbox) {
		List<String> addresses = SandboxCatalog.sandboxIpv4(sandbox);
		if (!addresses.isEmpty()) {
			return ok("Network", "ok (" + String.join(", ", addresses) + ")");
		}
		List<String> interfaces = interfaces(sandbox);
		if (interfaces.isEmpty()) {
			return failed("Network", "no IPv4 (no NIC)",
					"the sandbox has no network interface, so it reaches "
							+ "no package registry and no API; attach one: " + this.lxd.clientCommand()
							+ " config device add " + sandbox.name() + " eth0 nic network=lxdbr0");
		}
		return failed("Network", "no IPv4 on " + String.join(", ", interfaces) + " (no DHCP lease)",
				"Docker's firewall rules on the host often block the LXD bridge: run 'dilxc-client doctor --sandbox "
						+ sandbox.name() + "'");
	}

	private CheckResult docker(InstanceDetails sandbox) {
		ExecResult result = asUser(sandbox, "docker", "info", "--format", "{{.ServerVersion}}");
		if (result.exitCode() == 0) {
			return ok("Docker", "ok (engine " + result.stdout().strip() + ")");
		}
		if (notInstalled(result)) {
			return failed("Docker", "FAILED: docker is not installed",
					"make the sandbox from the dilxc-golden image (dilxc-client init --image dilxc-golden), which has Docker");
		}
		return failed("Docker", "FAILED: " + SandboxShell.lastLine(result.stdout() + "\n" + result.stderr()),
				"look at the engine: dilxc-client root, then systemctl status docker");
	}

	private CheckResult claude(InstanceDetails sandbox) {
		ExecResult result = asUser(sandbox, this.properties.claudeExecutable(), "--version");
		if (result.exitCode() == 0) {
			return ok("Claude Code", "ok (" + result.stdout().strip().lines().findFirst().orElse("") + ")");
		}
		return failed("Claude Code", notInstalled(result) ? "FAILED: claude is not installed"
				: "FAILED: " + SandboxShell.lastLine(result.stderr()), "reinstall it: dilxc-client update");
	}

	private CheckResult credentials(InstanceDetails sandbox) {
		String file = this.properties.agentEnvFile();
		ExecResult result = asUser(sandbox, "sh", "-c", CREDENTIALS_SCRIPT, "dilxc-credentials", file);
		String found = result.stdout().strip();
		if (result.exitCode() == 0 && found.equals("login")) {
			return ok("Agent credentials", "ok (the ubuntu user has a Claude login)");
		}
		if (result.exitCode() == 0) {
			return ok("Agent credentials", "ok (" + found + " in " + file + ")");
		}
		if (found.equals("unreadable")) {
			return failed("Agent credentials", "FAILED: " + file + " is not readable by the sandbox user",
					"it must belong to ubuntu with mode 0600: re-run dilxc-client init with ANTHROPIC_API_KEY or "
							+ "CLAUDE_CODE_OAUTH_TOKEN set");
		}
		return failed("Agent credentials", "FAILED: no API key or OAuth token in " + file + ", and no Claude login",
				"re-run dilxc-client init with ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN set, or log in: dilxc-client login");
	}

	private CheckResult projectDirectory(InstanceDetails sandbox) {
		String directory = this.properties.projectDirectory();
		ExecResult result = asUser(sandbox, "sh", "-c", DIRECTORY_SCRIPT, "dilxc-dir", directory, "w");
		return switch (result.exitCode()) {
			case 0 -> ok("Project dir", "ok (" + directory + ")");
			case 3 -> failed("Project dir", "FAILED: " + directory + " is missing",
					"make it from the project: dilxc-client sync");
			case 4 -> failed("Project dir", "FAILED: " + directory + " is not writable by the sandbox user",
					"give it back to ubuntu: dilxc-client root, then chown -R ubuntu:ubuntu " + directory);
			default -> failed("Project dir", "FAILED: " + SandboxShell.lastLine(result.stderr()), null);
		};
	}

	private CheckResult sourceMount(InstanceDetails sandbox) {
		String name = "Source mount";
		Map<String, String> device = sandbox.devices().get("project");
		ExecResult result = asUser(sandbox, "sh", "-c", DIRECTORY_SCRIPT, "dilxc-dir", SandboxShell.PROJECT_SOURCE,
				"r");
		if (device == null || result.exitCode() == 3) {
			return failed(name, "FAILED: not mounted ("
					+ ((device == null) ? "no 'project' device" : SandboxShell.PROJECT_SOURCE + " is missing") + ")",
					"mount the project: dilxc-client init -p /path/to/project -n " + sandbox.name());
		}
		if (result.exitCode() == 4) {
			return failed(name,
					"FAILED: " + SandboxShell.PROJECT_SOURCE + " is mounted but not readable by the sandbox user",
					"the host owner of " + device.get("source") + " must be mapped to uid 1000 (raw.idmap): see "
							+ "'dilxc-client doctor --sandbox " + sandbox.name() + "'");
		}
		if (result.exitCode() != 0) {
			return failed(name, "FAILED: " + SandboxShell.lastLine(result.stderr()), null);
		}
		String readOnly = "true".equals(device.get("readonly")) ? ", read-only" : ", WRITABLE";
		return ok(name, "ok (" + device.get("source") + readOnly + ")");
	}

	// --- git-auth
	// -----------------------------------------------------------------------------------------

	CheckReport gitAuth(String name, @Nullable HostAuth auth) {
		InstanceDetails sandbox = this.catalog.requireRunning(name);
		if (!this.authForwarding.ensure(sandbox, auth).isEmpty()) {
			sandbox = this.catalog.requireRunning(name);
		}
		InstanceDetails current = sandbox;
		List<CheckResult> checks = new ArrayList<>();
		checks.add(check("SSH agent", () -> sshAgent(current)));
		checks.add(check("GitHub CLI", () -> githubCli(current)));
		return new CheckReport("Git & Forge Auth: " + sandbox.name(), checks);
	}

	private CheckResult sshAgent(InstanceDetails sandbox) {
		String name = "SSH agent";
		String startAgent = "start your SSH agent on the host: eval \"$(ssh-agent -s)\" && ssh-add";
		Map<String, String> device = sandbox.devices().get(AuthForwarding.SSH_AGENT_DEVICE);
		if (device == null) {
			return failed(name, "NOT CONFIGURED (no ssh-agent device)",
					startAgent + "; then run 'dilxc-client update'");
		}
		String listen = device.getOrDefault("listen", "unix:/tmp/ssh-agent.sock");
		String socket = listen.startsWith("unix:") ? listen.substring(5) : listen;
		ExecResult result = this.lxd.exec(sandbox.name(), SandboxShell.asUser(this.properties, this.properties.home(),
				QUICK, Map.of("SSH_AUTH_SOCK", socket), List.of("ssh-add", "-l")));
		String said = (result.stdout() + "\n" + result.stderr()).strip();
		if (result.exitCode() == 0) {
			long keys = result.stdout().lines().filter((line) -> SSH_KEY.matcher(line).matches()).count();
			return ok(name, "ok (" + keys + ((keys == 1) ? " identity" : " identities") + " available)");
		}
		if (notInstalled(result)) {
			return failed(name, "FAILED: ssh-add is not installed in the sandbox",
					"install openssh-client: dilxc-client update");
		}
		if (result.exitCode() == 1 && said.toLowerCase(java.util.Locale.ROOT).contains("no identities")) {
			return failed(name, "NO KEYS (the agent runs but holds no key)",
					"add a key on the host: ssh-add ~/.ssh/id_ed25519");
		}
		String connect = device.getOrDefault("connect", "");
		String why = connect.equals("unix:/dev/null") || connect.isEmpty()
				? "the device forwards " + (connect.isEmpty() ? "nothing" : connect)
						+ ", a placeholder: no agent ran on the host when it was set up"
				: "nothing answers on " + connect.substring(connect.indexOf(':') + 1) + " on the host ("
						+ SandboxShell.lastLine(said) + ")";
		return failed(name, "NOT AVAILABLE (" + why + ")", startAgent + "; the next dilxc-client command forwards it");
	}

	private CheckResult githubCli(InstanceDetails sandbox) {
		String name = "GitHub CLI";
		String login = "authenticate on the host: gh auth login";
		if (!sandbox.devices().containsKey(AuthForwarding.GH_CONFIG_DEVICE)) {
			return failed(name, "NOT CONFIGURED (no gh-config mount)",
					login + "; dilxc mounts ~/.config/gh once it exists");
		}
		ExecResult result = asUser(sandbox, "gh", "auth", "status");
		String said = result.stdout() + "\n" + result.stderr();
		if (result.exitCode() == 0) {
			Matcher account = GH_ACCOUNT.matcher(said);
			return ok(name, account.find()
					? "ok (authenticated as " + account.group(2) + " on " + account.group(1) + ")" : "ok");
		}
		if (notInstalled(result)) {
			return failed(name, "FAILED: gh is not installed in the sandbox",
					"update the sandbox: dilxc-client update");
		}
		return failed(name, "NOT AUTHENTICATED (" + SandboxShell.lastLine(said) + ")", login);
	}

	// --- doctor
	// ---------------------------------------------------------------------------------------------

	/**
	 * The host's readiness, and the named sandbox's if any. {@code uid} is the host user
	 * whose project files must map to the sandbox user; without it, the owner of the
	 * sandbox's project directory, else the daemon's own user.
	 */
	CheckReport doctor(@Nullable String sandboxName, @Nullable Integer uid) {
		Optional<InstanceDetails> sandbox = Optional.empty();
		String lxdDown = null;
		boolean shifts = false;
		List<CheckResult> checks = new ArrayList<>();
		try {
			LxdClient client = this.lxd.client();
			LxdServer server = this.lxd.server();
			shifts = server.idmappedMounts();
			String name = client.backend().displayName();
			checks.add(ok(name, "ok (" + name + " " + server.version() + "; " + client.choice() + ")"));
			if (server.clustered()) {
				checks.add(check("Cluster", () -> cluster(server)));
				checks.add(check("Golden image", () -> goldenImage(server)));
			}
		}
		catch (LxdException ex) {
			lxdDown = ex.getMessage();
			checks.add(failed(this.lxd.backendName(), "FAILED: " + ex.getMessage(),
					"start LXD (systemctl start lxd, or as root provisioning/host/setup-lxd.sh) or Incus "
							+ "(systemctl start incus, or provisioning/host/setup-incus.sh), and make sure the "
							+ "daemon's user may use it ('lxc list' or 'incus list' works; groups lxd, incus-admin)"));
		}
		if (sandboxName != null && !sandboxName.isBlank()) {
			InstanceName name = SandboxCatalog.instanceName(sandboxName.strip());
			if (lxdDown == null) {
				try {
					sandbox = Optional.of(this.lxd.describeInstance(name));
				}
				catch (InstanceNotFoundException ex) {
					throw new SandboxException.NotFound(name.value());
				}
			}
		}
		InstanceDetails named = sandbox.orElse(null);
		checks
			.add((lxdDown != null) ? notChecked("Storage pool", lxdDown) : check("Storage pool", () -> storage(named)));
		boolean shifted = shifts;
		checks.add(check("Id map", () -> idMap(uid, named, shifted)));
		if (sandboxName != null && !sandboxName.isBlank()) {
			if (sandbox.isEmpty()) {
				for (String check : List.of("Nesting", "Syscall intercepts", "Sandbox IPv4", "Host firewall")) {
					checks.add(notChecked(check, lxdDown));
				}
			}
			else {
				InstanceDetails found = sandbox.get();
				checks.add(check("Nesting", () -> nesting(found)));
				checks.add(check("Syscall intercepts", () -> intercepts(found)));
				checks.add(check("Sandbox IPv4", () -> sandboxIpv4(found)));
				checks.add(check("Host firewall", () -> firewall(found)));
			}
		}
		return new CheckReport("Doctor" + sandbox.map((s) -> ": host and sandbox " + s.name()).orElse(": host"),
				checks);
	}

	private CheckResult storage(@Nullable InstanceDetails sandbox) {
		String poolName = this.properties.storagePool();
		if (sandbox != null && sandbox.devices().containsKey("root")
				&& sandbox.devices().get("root").get("pool") != null) {
			poolName = sandbox.devices().get("root").get("pool");
		}
		Optional<StoragePool> pool = this.lxd.findStoragePool(poolName);
		if (pool.isEmpty()) {
			return failed("Storage pool",
					"FAILED: " + this.lxd.backendName() + " has no storage pool '" + poolName + "'",
					"create one on btrfs: " + this.lxd.clientCommand() + " storage create " + poolName
							+ " btrfs size=30GiB");
		}
		String driver = pool.get().driver();
		if (driver.equals("btrfs") || driver.equals("zfs")) {
			return ok("Storage pool", "ok (pool " + poolName + ": " + driver + ")");
		}
		return failed("Storage pool",
				"FAILED: pool " + poolName + " uses '" + driver + "': every snapshot copies the whole sandbox",
				"use a btrfs or zfs pool: " + this.lxd.clientCommand()
						+ " storage create dilxc btrfs size=30GiB, then make sandboxes on it");
	}

	private CheckResult idMap(@Nullable Integer requested, @Nullable InstanceDetails sandbox, boolean shifts)
			throws IOException {
		long uid;
		long gid;
		String whose;
		String project = (sandbox != null) ? sandbox.config().get("user.dilxc.project") : null;
		if (requested != null) {
			if (requested < 0) {
				throw new SandboxException.BadRequest("uid must be 0 or more, not " + requested);
			}
			uid = requested;
			gid = requested;
			whose = "uid " + uid;
		}
		else if (project != null && Files.exists(Path.of(project))) {
			uid = ((Number) Files.getAttribute(Path.of(project), "unix:uid")).longValue();
			gid = ((Number) Files.getAttribute(Path.of(project), "unix:gid")).longValue();
			whose = "uid " + uid + " (owner of " + project + ")";
		}
		else {
			uid = this.host.ownUid();
			gid = this.host.ownGid();
			whose = "uid " + uid + " (the daemon's user)";
		}
		if (shifts) {
			// init mounts the project shifted (shift=true): no raw.idmap, no delegation.
			return ok("Id map", "ok (" + whose + " maps to the sandbox user through shifted mounts: "
					+ this.lxd.backendName() + " shifts ids on mounts here)");
		}
		List<String> missing = new ArrayList<>();
		if (uid > Integer.MAX_VALUE || !HostIds.delegatedToRoot(Path.of(this.properties.subuidFile()), (int) uid)) {
			missing.add(this.properties.subuidFile() + " has no root:" + uid + ":1");
		}
		if (gid > Integer.MAX_VALUE || !HostIds.delegatedToRoot(Path.of(this.properties.subgidFile()), (int) gid)) {
			missing.add(this.properties.subgidFile() + " has no root:" + gid + ":1");
		}
		if (missing.isEmpty()) {
			return ok("Id map", "ok (" + whose + " may be mapped to the sandbox user: root:" + uid + ":1 in "
					+ this.properties.subuidFile() + ", root:" + gid + ":1 in " + this.properties.subgidFile() + ")");
		}
		return failed("Id map",
				"FAILED for " + whose + ": " + String.join(", ", missing)
						+ "; the sandbox user cannot own the project's files",
				"echo root:" + uid + ":1 | sudo tee -a /etc/subuid; echo root:" + gid
						+ ":1 | sudo tee -a /etc/subgid; then restart " + this.lxd.backendName()
						+ " (sudo systemctl restart " + this.lxd.backendName().toLowerCase(java.util.Locale.ROOT)
						+ ")");
	}

	private CheckResult nesting(InstanceDetails sandbox) {
		if ("true".equals(sandbox.config().get("security.nesting"))) {
			return ok("Nesting", "ok (security.nesting=true)");
		}
		String cli = this.lxd.clientCommand();
		return failed("Nesting", "FAILED: security.nesting is not set, so Docker cannot run inside", cli
				+ " config set " + sandbox.name() + " security.nesting=true && " + cli + " restart " + sandbox.name());
	}

	private CheckResult intercepts(InstanceDetails sandbox) {
		List<String> missing = new ArrayList<>();
		for (String key : List.of("security.syscalls.intercept.mknod", "security.syscalls.intercept.setxattr")) {
			if (!"true".equals(sandbox.config().get(key))) {
				missing.add(key);
			}
		}
		if (missing.isEmpty()) {
			return ok("Syscall intercepts", "ok (mknod, setxattr)");
		}
		String cli = this.lxd.clientCommand();
		return failed("Syscall intercepts",
				"FAILED: " + String.join(", ", missing) + " not set (Docker image layers may fail to unpack)",
				cli + " config set " + sandbox.name() + " " + String.join("=true ", missing) + "=true && " + cli
						+ " restart " + sandbox.name());
	}

	private CheckResult sandboxIpv4(InstanceDetails sandbox) {
		if (!sandbox.isRunning()) {
			return failed("Sandbox IPv4",
					"FAILED: not checked, the sandbox is " + sandbox.status().name().toLowerCase(java.util.Locale.ROOT),
					"start it: dilxc-client @" + sandbox.name() + " start");
		}
		CheckResult network = network(sandbox);
		return new CheckResult("Sandbox IPv4", network.ok(), network.detail(), network.fix());
	}

	private CheckResult firewall(InstanceDetails sandbox) throws IOException {
		Set<String> bridges = new LinkedHashSet<>();
		boolean hasLocalNic = false;
		for (Map<String, String> device : sandbox.devices().values()) {
			if ("nic".equals(device.get("type"))) {
				hasLocalNic = true;
				Optional.ofNullable(device.get("network"))
					.or(() -> Optional.ofNullable(device.get("parent")))
					.ifPresent(bridges::add);
			}
		}
		if (!hasLocalNic && sandbox.isRunning() && interfaces(sandbox).isEmpty()) {
			return ok("Host firewall", "ok (the sandbox has no NIC, so no bridge traffic for Docker's rules to block)");
		}
		if (bridges.isEmpty()) {
			bridges.addAll(this.host.bridges());
		}
		if (bridges.isEmpty()) {
			return ok("Host firewall", "ok (no LXD bridge on this host)");
		}
		IptablesRules rules = this.host.iptables();
		if (rules.notInstalled()) {
			return ok("Host firewall", "ok (iptables is not installed, so Docker set no iptables rules here)");
		}
		if (rules.error() != null) {
			return failed("Host firewall", "not checked: cannot read iptables (" + rules.error() + ")",
					"as root, check that 'iptables -S FORWARD' has ACCEPT rules for " + String.join(", ", bridges)
							+ " when its policy is DROP (see docs/sandboxes.md, host firewall)");
		}
		String read = Objects.requireNonNull(rules.rules(), "read, as there is no error");
		return Firewall.check(read, List.copyOf(bridges));
	}

	// --- helpers
	// --------------------------------------------------------------------------------------------

	private List<String> interfaces(InstanceDetails sandbox) {
		ExecResult result = this.lxd.exec(sandbox.name(), ExecRequest.asRoot(QUICK, "ls", "/sys/class/net"));
		return Arrays.stream(result.stdout().split("\\s+")).filter(SandboxCatalog::isSandboxInterface).toList();
	}

	private ExecResult asUser(InstanceDetails sandbox, String... command) {
		return this.lxd.exec(sandbox.name(),
				SandboxShell.asUser(this.properties, this.properties.home(), QUICK, List.of(command)));
	}

	private static boolean notInstalled(ExecResult result) {
		return result.exitCode() == 127;
	}

	/**
	 * Every member of the daemon's cluster online, since jobs wait for those that are
	 * not.
	 */
	private CheckResult cluster(LxdServer server) {
		List<ClusterMember> members = this.lxd.clusterMembers();
		List<ClusterMember> away = members.stream().filter((member) -> !member.isOnline()).toList();
		String which = server.serverName() + " of " + members.size() + " members ("
				+ String.join(", ", members.stream().map(ClusterMember::name).toList()) + ")";
		if (away.isEmpty()) {
			return ok("Cluster", "ok (this daemon's " + this.lxd.backendName() + " is " + which + ", all ONLINE)");
		}
		return failed("Cluster",
				"FAILED: " + String.join("; ", away.stream().map(ClusterMember::describe).toList())
						+ " (this daemon's is " + which + "): jobs in its sandboxes wait until it is back",
				"start the member's " + this.lxd.backendName() + " on its host ('" + this.lxd.clientCommand()
						+ " cluster list' shows the members and what the cluster says of them)");
	}

	/**
	 * The sandboxes' image is in the cluster's store, and on how many members: a member
	 * without a copy fetches it from another one at its first launch.
	 */
	private CheckResult goldenImage(LxdServer server) {
		String image = this.properties.defaultImage();
		if (!this.lxd.imageExists(image)) {
			return failed("Golden image", "FAILED: the cluster's image store has no image '" + image + "'",
					"build it through any member (provisioning/image/build-image.sh); the cluster copies it to "
							+ "the other members");
		}
		int members = this.lxd.clusterMembers().size();
		int replicas = server.imagesMinimalReplica();
		if (replicas < 0 || replicas >= members) {
			return ok("Golden image", "ok (" + image + ": every member of " + members + " keeps a copy; "
					+ "cluster.images_minimal_replica " + replicas + ")");
		}
		return ok("Golden image",
				"ok (" + image + ": the cluster keeps a copy on " + replicas + " of " + members + " members "
						+ "(cluster.images_minimal_replica); a member without one copies it from another at its "
						+ "first init, which is slower; '" + this.lxd.clientCommand()
						+ " config set cluster.images_minimal_replica -- -1' keeps it on every member)");
	}

	/**
	 * Runs one check; a check that throws becomes a failed check, so every check always
	 * runs.
	 */
	private static CheckResult check(String name, CheckBody body) {
		try {
			return body.run();
		}
		catch (SandboxException ex) {
			throw ex;
		}
		catch (Exception ex) {
			return failed(name, "FAILED: could not check (" + ex.getMessage() + ")", null);
		}
	}

	private static CheckResult notChecked(String name, @Nullable String lxdDown) {
		return failed(name, "not checked: LXD is not reachable (" + lxdDown + ")", "fix the LXD check first");
	}

	static CheckResult ok(String name, String detail) {
		return new CheckResult(name, true, detail, null);
	}

	static CheckResult failed(String name, String detail, @Nullable String fix) {
		return new CheckResult(name, false, detail, fix);
	}

	@FunctionalInterface
	interface CheckBody {

		CheckResult run() throws Exception;

	}

	/**
	 * {@code iptables -S} as read on the host: the rules, or why they could not be read.
	 */
	record IptablesRules(@Nullable String rules, @Nullable String error, boolean notInstalled) {
	}

	/**
	 * Docker sets the FORWARD policy to DROP; then an LXD bridge's forwarded traffic
	 * (DHCP replies aside) only passes where a rule accepts it (the original tool's
	 * README has a firewall section; docs/sandboxes.md has ours).
	 */
	static final class Firewall {

		private Firewall() {
		}

		static CheckResult check(String rules, List<String> bridges) {
			List<String> lines = rules.lines().map(String::strip).toList();
			boolean drop = lines.contains("-P FORWARD DROP");
			if (!drop) {
				return ok("Host firewall", "ok (FORWARD policy is not DROP)");
			}
			boolean dockerUser = lines.contains("-N DOCKER-USER");
			List<String> blocked = new ArrayList<>();
			for (String bridge : bridges) {
				boolean allowed = lines.stream()
					.anyMatch((line) -> line.startsWith("-A ") && names(line, bridge)
							&& (line.contains(" -j ACCEPT") || line.contains(" -j RETURN")));
				if (!allowed) {
					blocked.add(bridge);
				}
			}
			if (blocked.isEmpty()) {
				return ok("Host firewall",
						"ok (FORWARD policy DROP, but " + String.join(", ", bridges) + " is allowed)");
			}
			String chain = dockerUser ? "DOCKER-USER" : "FORWARD";
			StringBuilder fix = new StringBuilder();
			for (String bridge : blocked) {
				if (!fix.isEmpty()) {
					fix.append("; ");
				}
				fix.append("sudo iptables -I ")
					.append(chain)
					.append(" -i ")
					.append(bridge)
					.append(" -j ACCEPT; sudo iptables -I ")
					.append(chain)
					.append(" -o ")
					.append(bridge)
					.append(" -j ACCEPT");
			}
			fix.append(
					" (make it permanent, e.g. in /etc/ufw/after.rules; see the host firewall section of docs/sandboxes.md)");
			return failed("Host firewall",
					"FAILED: " + (dockerUser ? "Docker's " : "the host's ") + "firewall drops traffic "
							+ "forwarded for " + String.join(", ", blocked)
							+ " (FORWARD policy DROP, no ACCEPT or RETURN rule for it)",
					fix.toString());
		}

		private static boolean names(String line, String bridge) {
			String padded = line + " ";
			return padded.contains(" -i " + bridge + " ") || padded.contains(" -o " + bridge + " ");
		}

	}

	/**
	 * What the checks read on the host itself: files, the daemon's ids, bridges,
	 * iptables.
	 */
	static class HostFiles {

		static final Duration IPTABLES_TIMEOUT = Duration.ofSeconds(10);

		/**
		 * Bytes of {@code iptables -S} kept: a host with Docker has a few hundred rules.
		 */
		private static final int IPTABLES_OUTPUT = 4 * 1024 * 1024;

		private final ProcessRunner runner = new ProcessRunner();

		private final List<String> iptables;

		private final Duration iptablesTimeout;

		HostFiles() {
			this(List.of("iptables", "/usr/sbin/iptables", "/sbin/iptables"), IPTABLES_TIMEOUT);
		}

		/**
		 * Looks for {@code iptables} as each of {@code iptables} in turn, and stops one
		 * that has not answered after {@code iptablesTimeout}.
		 */
		HostFiles(List<String> iptables, Duration iptablesTimeout) {
			this.iptables = List.copyOf(iptables);
			this.iptablesTimeout = iptablesTimeout;
		}

		long ownUid() throws IOException {
			return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
		}

		long ownGid() throws IOException {
			return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:gid")).longValue();
		}

		/** Host bridges that are not Docker's. */
		List<String> bridges() throws IOException {
			Path net = Path.of("/sys/class/net");
			if (!Files.isDirectory(net)) {
				return List.of();
			}
			try (var entries = Files.list(net)) {
				return entries.filter((nic) -> Files.isDirectory(nic.resolve("bridge")))
					.map((nic) -> nic.getFileName().toString())
					.filter((nic) -> !nic.equals("docker0") && !nic.startsWith("br-"))
					.sorted()
					.toList();
			}
		}

		IptablesRules iptables() {
			for (String binary : this.iptables) {
				try {
					ProcessResult result = this.runner
						.run(ProcessCall.of(List.of(binary, "-S"), this.iptablesTimeout).keepingLast(IPTABLES_OUTPUT));
					if (result.exitCode() != 0) {
						return new IptablesRules(null, SandboxShell.lastLine(result.stderr()), false);
					}
					return new IptablesRules(result.stdout(), null, false);
				}
				catch (ProcessTimeoutException ex) {
					return new IptablesRules(null,
							binary + " -S did not answer in " + this.iptablesTimeout.toSeconds() + " s and was stopped",
							false);
				}
				catch (ProcessStartException ex) {
					if (Thread.currentThread().isInterrupted()) {
						return new IptablesRules(null, "interrupted", false);
					}
					// not at this path; try the next
				}
			}
			return new IptablesRules(null, null, true);
		}

	}

}
