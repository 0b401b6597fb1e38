package dev.dilxc.daemon.sandboxes;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

import dev.dilxc.api.QuarantineView;
import dev.dilxc.api.SandboxView;
import dev.dilxc.api.SnapshotView;
import dev.dilxc.daemon.leases.SandboxQuarantines;
import dev.dilxc.daemon.lxd.ClusterMember;
import dev.dilxc.daemon.lxd.InstanceDetails;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.lxd.InstanceNotFoundException;
import dev.dilxc.daemon.lxd.InstanceSnapshot;
import dev.dilxc.daemon.lxd.InstanceStatus;
import dev.dilxc.daemon.lxd.Lxd;
import dev.dilxc.daemon.lxd.MemberUnavailableException;

/**
 * What sandboxes exist and what they are: every LXD instance, dilxc's own marked by the
 * {@code user.dilxc.*} keys {@code init} writes. The other sandbox features and jobs use
 * {@link #requireRunning} and {@link #require} to check a sandbox before they touch it.
 */
@Service
public class SandboxCatalog {

	static final String KEY_PROJECT = "user.dilxc.project";

	static final String KEY_DEPLOY = "user.dilxc.deploy";

	static final String KEY_IMAGE = "user.dilxc.image";

	static final String KEY_FISH = "user.dilxc.fish";

	private static final Pattern JOB_SNAPSHOT = Pattern.compile("dilxc-job-(\\d+)(?:-.*)?");

	private final Lxd lxd;

	private final SandboxQuarantines quarantines;

	private final SandboxPlacement placement;

	SandboxCatalog(Lxd lxd, SandboxQuarantines quarantines, SandboxPlacement placement) {
		this.placement = placement;
		this.lxd = lxd;
		this.quarantines = quarantines;
	}

	/**
	 * A sandbox name from a request, or 400 invalid-request saying what a valid one looks
	 * like.
	 */
	public static InstanceName instanceName(String name) {
		try {
			return new InstanceName(name);
		}
		catch (IllegalArgumentException ex) {
			throw new SandboxException.BadRequest(ex.getMessage());
		}
	}

	/** Every LXD instance, by name; a quarantined one says why. */
	public List<SandboxView> list() {
		Map<String, QuarantineView> quarantined = this.quarantines.views()
			.stream()
			.collect(Collectors.toMap(QuarantineView::sandbox, (quarantine) -> quarantine));
		List<InstanceDetails> instances = this.lxd.listInstances();
		SandboxPlacement.Placement placement = clustered(instances) ? this.placement.current()
				: SandboxPlacement.Placement.NONE;
		return instances.stream()
			.map((details) -> view(details, quarantined.get(details.name().value()), placement))
			.toList();
	}

	/**
	 * One sandbox, saying why if it is quarantined; 404 sandbox-not-found if LXD has none
	 * by that name.
	 */
	public SandboxView describe(String name) {
		// Asking an away member would cost the cluster's 10 s wait and fail.
		InstanceDetails details = (this.placement.cached().away(name) != null) ? listed(name) : requireOrListed(name);
		return view(details,
				this.quarantines.find(details.name().value()).map(SandboxQuarantines.Quarantine::view).orElse(null),
				(details.location() != null) ? this.placement.current() : SandboxPlacement.Placement.NONE);
	}

	private InstanceDetails requireOrListed(String name) {
		try {
			return require(name);
		}
		catch (MemberUnavailableException ex) {
			return listed(name);
		}
	}

	/**
	 * The sandbox as the instance list has it: for one whose member is away, its name,
	 * member and status Error only.
	 */
	private InstanceDetails listed(String name) {
		return this.lxd.listInstances()
			.stream()
			.filter((instance) -> instance.name().value().equals(name))
			.findFirst()
			.orElseThrow(() -> new SandboxException.NotFound(name));
	}

	/** The sandbox's LXD details; 404 sandbox-not-found if there is none. */
	public InstanceDetails require(String name) {
		InstanceName instance = instanceName(name);
		try {
			return this.lxd.describeInstance(instance);
		}
		catch (InstanceNotFoundException ex) {
			throw new SandboxException.NotFound(name);
		}
	}

	/**
	 * The sandbox, which must exist and run; else sandbox-not-found or
	 * sandbox-not-running, with the fix.
	 */
	public InstanceDetails requireRunning(String name) {
		InstanceDetails details = require(name);
		if (!details.isRunning()) {
			throw new SandboxException.NotRunning(name, details.status().name());
		}
		return details;
	}

	/**
	 * The job a snapshot belongs to ({@code dilxc-job-N}, {@code -failed},
	 * {@code -after}...), or null.
	 */
	public static @Nullable Long jobId(String snapshot) {
		Matcher matcher = JOB_SNAPSHOT.matcher(snapshot);
		return matcher.matches() ? Long.valueOf(matcher.group(1)) : null;
	}

	public static SnapshotView snapshotView(InstanceSnapshot snapshot) {
		return new SnapshotView(snapshot.name(), snapshot.createdAt(), jobId(snapshot.name()));
	}

	/**
	 * Whether a network interface inside the sandbox is the sandbox's own link to the
	 * host, as opposed to one that software inside made for itself (Docker's
	 * {@code docker0}, {@code br-*} and {@code veth*}): the original's status showed
	 * docker0's address as the sandbox's until it filtered on eth0.
	 */
	static boolean isSandboxInterface(String name) {
		return !name.isBlank() && !name.equals("lo")
				&& !name.matches("docker\\d*|br-.*|veth.*|virbr.*|cni.*|flannel.*");
	}

	/**
	 * The sandbox's own IPv4 addresses ({@code ADDR (IFACE)}), without those of bridges
	 * made inside it.
	 */
	static List<String> sandboxIpv4(InstanceDetails details) {
		return details.ipv4().stream().filter((address) -> {
			int open = address.lastIndexOf(" (");
			return open < 0 || isSandboxInterface(address.substring(open + 2, address.length() - 1));
		}).toList();
	}

	private static boolean clustered(List<InstanceDetails> instances) {
		return instances.stream().anyMatch((details) -> details.location() != null);
	}

	static SandboxView view(InstanceDetails details, @Nullable QuarantineView quarantine) {
		return view(details, quarantine, SandboxPlacement.Placement.NONE);
	}

	/**
	 * The sandbox as the API shows it; in a cluster with its member, and why that member
	 * cannot be reached when it cannot (from {@code placement}'s member states and the
	 * instance's own status).
	 */
	static SandboxView view(InstanceDetails details, @Nullable QuarantineView quarantine,
			SandboxPlacement.Placement placement) {
		String member = details.location();
		String memberAway = null;
		if (member != null) {
			ClusterMember state = placement.member(member).orElse(null);
			if (state != null && !state.isOnline()) {
				memberAway = state.describe();
			}
			else if (details.status() == InstanceStatus.ERROR) {
				memberAway = member + " does not report it (unreachable, or it just went away)";
			}
		}
		Map<String, String> config = details.config();
		String image = config.get(KEY_IMAGE);
		if (image == null && config.get("volatile.base_image") != null) {
			String fingerprint = config.get("volatile.base_image");
			image = fingerprint.substring(0, Math.min(12, fingerprint.length()));
		}
		return new SandboxView(details.name().value(), details.status().name(), config.containsKey(KEY_PROJECT), image,
				config.get(KEY_PROJECT), blankToNull(config.get(KEY_DEPLOY)), sandboxIpv4(details),
				config.get("limits.cpu"), config.get("limits.memory"), details.memoryUsageBytes(),
				details.diskUsageBytes(), details.processes(), details.createdAt(),
				details.snapshots().stream().map(SandboxCatalog::snapshotView).toList(), quarantine, member,
				memberAway);
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

}
