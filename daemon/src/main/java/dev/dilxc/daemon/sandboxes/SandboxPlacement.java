package dev.dilxc.daemon.sandboxes;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.dilxc.daemon.cluster.ClusterProperties;
import dev.dilxc.daemon.lxd.ClusterMember;
import dev.dilxc.daemon.lxd.InstanceDetails;
import dev.dilxc.daemon.lxd.InstanceStatus;
import dev.dilxc.daemon.lxd.Lxd;
import dev.dilxc.daemon.lxd.LxdException;
import dev.dilxc.daemon.lxd.LxdServer;

/**
 * Where sandboxes live when the daemon's LXD or Incus is a member of a cluster, and which
 * members answer. The cluster itself places instances and forwards every call for one to
 * its member; this view only lets the daemon keep jobs of an unreachable member waiting
 * (a call into it costs LXD's 10 s and then fails), watch a running job's member, claim
 * jobs of its own member first and tell users where things are.
 * <p>
 * The view is at most {@link ClusterProperties#memberCheckInterval()} old when asked with
 * {@link #current()}; {@link #cached()} never calls LXD. Outside a cluster it costs one
 * {@code /1.0} query per {@link #STANDALONE_RECHECK}.
 */
@Component
public class SandboxPlacement {

	private static final Logger logger = LoggerFactory.getLogger(SandboxPlacement.class);

	/** How long a server found not clustered is taken to stay so. */
	static final Duration STANDALONE_RECHECK = Duration.ofSeconds(30);

	/** The wait for LXD's {@code /1.0}: a health question, so short. */
	private static final Duration SERVER_TIMEOUT = Duration.ofSeconds(5);

	private final Lxd lxd;

	private final ClusterProperties properties;

	private volatile Placement placement = Placement.NONE;

	/** When {@link #placement} was taken ({@link System#nanoTime()}); 0 never. */
	private volatile long takenAt;

	private volatile boolean taken;

	private final java.util.concurrent.atomic.AtomicBoolean refreshing = new java.util.concurrent.atomic.AtomicBoolean();

	/** The last refresh failure logged, so an outage is logged once. */
	private @Nullable String failure;

	SandboxPlacement(Lxd lxd, ClusterProperties properties) {
		this.lxd = lxd;
		this.properties = properties;
	}

	/**
	 * The placement, refreshed when older than the member check interval. Outside a
	 * cluster (as last seen) the answer is the cached one at once, and a stale one is
	 * refreshed in the background every {@link #STANDALONE_RECHECK}: a host without a
	 * cluster never waits for this view, not even on a hung LXD. When LXD does not
	 * answer, the last one known.
	 */
	public Placement current() {
		Placement known = this.placement;
		Duration maxAge = known.clustered() ? this.properties.memberCheckInterval() : STANDALONE_RECHECK;
		if (this.taken && System.nanoTime() - this.takenAt < maxAge.toNanos()) {
			return known;
		}
		if (!this.taken) {
			// The first look is worth a wait: jobs claimed before it would not know where
			// their sandbox is.
			return refresh();
		}
		if (!known.clustered()) {
			refreshInBackground();
			return known;
		}
		return refresh();
	}

	/** Starts a refresh on a virtual thread unless one is under way. */
	private void refreshInBackground() {
		if (this.refreshing.compareAndSet(false, true)) {
			Thread.ofVirtual().name("dilxc-placement").start(() -> {
				try {
					refresh();
				}
				finally {
					this.refreshing.set(false);
				}
			});
		}
	}

	/** The placement as last seen, without asking LXD. */
	public Placement cached() {
		return this.placement;
	}

	/** Asks LXD now. */
	public synchronized Placement refresh() {
		try {
			LxdServer server = this.lxd.server(SERVER_TIMEOUT);
			Placement fresh = server.clustered() ? clustered(server) : Placement.NONE;
			this.placement = fresh;
			if (this.failure != null) {
				logger.info("The cluster's members answer again");
				this.failure = null;
			}
		}
		catch (LxdException ex) {
			if (!String.valueOf(ex.getMessage()).equals(this.failure)) {
				logger.warn("Could not read where sandboxes live in the cluster: {}", ex.getMessage());
				this.failure = ex.getMessage();
			}
		}
		this.takenAt = System.nanoTime();
		this.taken = true;
		return this.placement;
	}

	private Placement clustered(LxdServer server) {
		Map<String, ClusterMember> members = new TreeMap<>();
		for (ClusterMember member : this.lxd.clusterMembers()) {
			members.put(member.name(), member);
		}
		Map<String, String> locations = new TreeMap<>();
		Map<String, InstanceStatus> statuses = new TreeMap<>();
		Set<String> managed = new java.util.TreeSet<>();
		for (InstanceDetails instance : this.lxd.listInstances()) {
			String name = instance.name().value();
			if (instance.location() != null) {
				locations.put(name, instance.location());
			}
			statuses.put(name, instance.status());
			// The list gives an instance of a member that is away with its name, location
			// and status Error only: counted as dilxc's, since it cannot be told.
			if (instance.config().containsKey(SandboxCatalog.KEY_PROJECT)
					|| (instance.status() == InstanceStatus.ERROR && instance.config().isEmpty())) {
				managed.add(name);
			}
		}
		return new Placement(server.serverName(), members, locations, statuses, managed);
	}

	/**
	 * The cluster as seen at one moment.
	 *
	 * @param thisMember the member the daemon talks to; empty outside a cluster
	 * @param members every member by name; empty outside a cluster
	 * @param locations each instance's member, by instance name
	 * @param statuses each instance's status
	 * @param managed the instances dilxc made ({@code init})
	 */
	public record Placement(String thisMember, Map<String, ClusterMember> members, Map<String, String> locations,
			Map<String, InstanceStatus> statuses, Set<String> managed) {

		/** Outside a cluster (or before LXD answered). */
		public static final Placement NONE = new Placement("", Map.of(), Map.of(), Map.of(), Set.of());

		public Placement {
			members = Map.copyOf(members);
			locations = Map.copyOf(locations);
			statuses = Map.copyOf(statuses);
			managed = Set.copyOf(managed);
		}

		public boolean clustered() {
			return !this.members.isEmpty();
		}

		/** The member holding the sandbox, when the cluster says. */
		public Optional<String> memberOf(String sandbox) {
			return Optional.ofNullable(this.locations.get(sandbox));
		}

		public Optional<ClusterMember> member(String name) {
			return Optional.ofNullable(this.members.get(name));
		}

		/**
		 * Why calls for the sandbox cannot be answered now (its member is not online, or
		 * the member holding it does not report it), or null when they can or the sandbox
		 * is unknown.
		 */
		public @Nullable String away(String sandbox) {
			String location = this.locations.get(sandbox);
			if (location == null) {
				return null;
			}
			ClusterMember member = this.members.get(location);
			if (member != null && !member.isOnline()) {
				return "its cluster member " + member.describe();
			}
			if (this.statuses.get(sandbox) == InstanceStatus.ERROR) {
				// A member that just died is ONLINE until the cluster misses its
				// heartbeats, but its instances already show status Error.
				return "its cluster member " + location + " does not report it (status Error: the member is "
						+ "unreachable or just went away)";
			}
			return null;
		}

		/** {@link #away} for each of these sandboxes that is away, by sandbox. */
		public Map<String, String> away(java.util.Collection<String> sandboxes) {
			Map<String, String> away = new LinkedHashMap<>();
			for (String sandbox : sandboxes) {
				String why = away(sandbox);
				if (why != null) {
					away.put(sandbox, why);
				}
			}
			return away;
		}

		/** Whether the sandbox lives on the daemon's own member. */
		public boolean local(String sandbox) {
			return this.thisMember.equals(this.locations.get(sandbox));
		}

		/** The managed sandboxes on each member, by member name. */
		public Map<String, List<String>> sandboxesByMember() {
			Map<String, List<String>> byMember = new TreeMap<>();
			this.members.keySet().forEach((name) -> byMember.put(name, new java.util.ArrayList<>()));
			for (String sandbox : new java.util.TreeSet<>(this.managed)) {
				String location = this.locations.get(sandbox);
				if (location != null) {
					byMember.computeIfAbsent(location, (name) -> new java.util.ArrayList<>()).add(sandbox);
				}
			}
			return byMember;
		}

	}

}
