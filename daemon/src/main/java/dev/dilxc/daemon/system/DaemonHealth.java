package dev.dilxc.daemon.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import dev.dilxc.api.DaemonStatus;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.daemon.backups.DatabaseBackups;
import dev.dilxc.daemon.cluster.ClusterProperties;
import dev.dilxc.daemon.cluster.DaemonRegistry;
import dev.dilxc.daemon.cluster.DatabaseStore;
import dev.dilxc.daemon.jobs.FreeSpace;
import dev.dilxc.daemon.jobs.JobQueue;
import dev.dilxc.daemon.jobs.Retention;
import dev.dilxc.daemon.leases.SandboxQuarantines;
import dev.dilxc.daemon.lxd.ClusterMember;
import dev.dilxc.daemon.lxd.Lxd;
import dev.dilxc.daemon.lxd.LxdClient;
import dev.dilxc.daemon.lxd.LxdException;
import dev.dilxc.daemon.lxd.LxdServer;
import dev.dilxc.daemon.sandboxes.SandboxPlacement;
import dev.dilxc.daemon.schedules.NextFiring;

/**
 * Gathers {@link DaemonStatus}: every part answers from the database or the disk, except
 * one short LXD query.
 */
@Component
class DaemonHealth {

	/**
	 * H2's file for the database {@code application.properties} names
	 * ({@code ${dilxc.data-dir}/dilxc}).
	 */
	static final String DATABASE_FILE = "dilxc.mv.db";

	private final JobQueue jobs;

	private final NextFiring schedules;

	private final SandboxQuarantines quarantines;

	private final Lxd lxd;

	private final DatabaseBackups backups;

	private final Retention retention;

	private final StatusProperties properties;

	private final Clock clock;

	private final Instant startedAt;

	private final String version;

	private final Path dataDirectory;

	private final Path socket;

	private final FreeSpace freeSpace;

	private final DaemonRegistry daemons;

	private final ClusterProperties cluster;

	private final String databaseUrl;

	private final SandboxPlacement placement;

	/**
	 * The pool {@code init} makes sandboxes in: the one whose free space status watches.
	 */
	private final String storagePool;

	DaemonHealth(JobQueue jobs, NextFiring schedules, SandboxQuarantines quarantines, Lxd lxd, DatabaseBackups backups,
			Retention retention, StatusProperties properties, Clock clock,
			@Value("${dilxc.data-dir}") Path dataDirectory, @Value("${dilxc.socket}") Path socket, FreeSpace freeSpace,
			@Value("${dilxc.sandboxes.storage-pool:default}") String storagePool, DaemonRegistry daemons,
			ClusterProperties cluster, @Value("${spring.datasource.url}") String databaseUrl,
			SandboxPlacement placement) {
		this.placement = placement;
		this.daemons = daemons;
		this.cluster = cluster;
		this.databaseUrl = databaseUrl;
		this.retention = retention;
		this.freeSpace = freeSpace;
		this.storagePool = storagePool;
		this.jobs = jobs;
		this.schedules = schedules;
		this.quarantines = quarantines;
		this.lxd = lxd;
		this.backups = backups;
		this.properties = properties;
		this.clock = clock;
		this.startedAt = clock.instant();
		this.version = version();
		this.dataDirectory = dataDirectory;
		this.socket = socket;
	}

	static String version() {
		String version = DaemonHealth.class.getPackage().getImplementationVersion();
		return (version != null) ? version : "dev";
	}

	DaemonStatus status() {
		Instant now = this.clock.instant();
		String lxdVersion = null;
		String lxdError = null;
		LxdClient client = null;
		boolean clustered = false;
		try {
			client = this.lxd.client();
			LxdServer server = this.lxd.server(this.properties.lxdTimeout());
			lxdVersion = server.version();
			clustered = server.clustered();
		}
		catch (LxdException ex) {
			lxdError = ex.getMessage();
		}
		List<JobView> active = this.jobs.active();
		List<DaemonStatus.RunningJob> running = active.stream().map(DaemonHealth::running).toList();
		DaemonStatus.Store store = store(active);
		List<String> warnings = new ArrayList<>(this.freeSpace.warnings(lxdError == null ? this.storagePool : null));
		if (Math.abs(store.clockSkewMillis()) > this.cluster.clockSkewWarning().toMillis()) {
			warnings.add("this host's clock is " + Math.abs(store.clockSkewMillis()) + " ms "
					+ ((store.clockSkewMillis() > 0) ? "ahead of" : "behind")
					+ " the PostgreSQL server's; the daemons sharing it assume synchronized clocks (schedules, "
					+ "timeouts): keep time with NTP (e.g. systemd-timesyncd or chrony)");
		}
		DaemonStatus.Cluster cluster = clustered ? cluster(warnings) : null;
		long databaseBytes = this.daemons.databaseBytes();
		return new DaemonStatus(this.version, this.startedAt,
				Math.max(0, Duration.between(this.startedAt, now).toSeconds()), lxdError == null, lxdVersion, lxdError,
				this.jobs.queueDepth(), running, this.schedules.next().orElse(null), this.dataDirectory.toString(),
				size(this.dataDirectory), this.socket.toString(), this.quarantines.views(), warnings,
				this.backups.newest()
					.map((backup) -> new DaemonStatus.Backup(backup.file().toString(), backup.takenAt(),
							backup.reason()))
					.orElse(null),
				(databaseBytes >= 0) ? databaseBytes : fileSize(this.dataDirectory.resolve(DATABASE_FILE)),
				this.retention.status(), (client != null) ? client.backend().displayName() : null,
				(client != null) ? client.choice() : null, store, cluster);
	}

	/**
	 * The cluster's members with the sandboxes each holds and the queued jobs waiting for
	 * them; a warning per member that is not online.
	 */
	private DaemonStatus.@Nullable Cluster cluster(List<String> warnings) {
		SandboxPlacement.Placement placement = this.placement.current();
		if (!placement.clustered()) {
			return null;
		}
		Map<String, Long> queued = this.jobs.list(JobState.QUEUED, null, 1000)
			.stream()
			.collect(Collectors.groupingBy(JobView::sandbox, Collectors.counting()));
		Map<String, List<String>> sandboxes = placement.sandboxesByMember();
		List<DaemonStatus.ClusterMember> members = new ArrayList<>();
		for (ClusterMember member : placement.members().values()) {
			List<String> held = sandboxes.getOrDefault(member.name(), List.of());
			int waiting = held.stream().mapToInt((sandbox) -> queued.getOrDefault(sandbox, 0L).intValue()).sum();
			members.add(new DaemonStatus.ClusterMember(member.name(), member.status(), member.message(),
					member.address(), held.size(), waiting));
			if (!member.isOnline() && !held.isEmpty()) {
				warnings.add("cluster member " + member.describe() + ": its sandboxes (" + String.join(", ", held)
						+ ") cannot be reached" + ((waiting > 0)
								? "; " + waiting + " queued job(s) wait for them and start once it is back" : ""));
			}
		}
		return new DaemonStatus.Cluster(placement.thisMember(), members);
	}

	private DaemonStatus.Store store(List<JobView> active) {
		DatabaseStore kind = this.daemons.store();
		List<DaemonStatus.Daemon> live = this.daemons.live()
			.stream()
			.map((member) -> new DaemonStatus.Daemon(member.id(), member.host(), member.startedAt(),
					member.heartbeatAt(),
					(int) active.stream().filter((job) -> member.id().equals(job.daemon())).count()))
			.toList();
		String location = kind.shared() ? DatabaseStore.withoutSecrets(this.databaseUrl)
				: this.dataDirectory.resolve(DATABASE_FILE).toString();
		long skew = kind.shared() ? this.daemons.clockSkew().toMillis() : 0;
		return new DaemonStatus.Store(kind.displayName(), location, this.daemons.self().id(), live, skew);
	}

	private static DaemonStatus.RunningJob running(JobView job) {
		return new DaemonStatus.RunningJob(job.id(), job.sandbox(), job.state(), job.startedAt(), job.daemon(),
				job.member());
	}

	/**
	 * Bytes of every regular file under {@code root}; files that vanish mid-walk (H2's
	 * temp files) count as 0.
	 */
	static long size(Path root) {
		if (!Files.isDirectory(root)) {
			return 0;
		}
		try (Stream<Path> paths = Files.walk(root)) {
			return paths.mapToLong(DaemonHealth::fileSize).sum();
		}
		catch (IOException | UncheckedIOException ex) {
			return 0;
		}
	}

	private static long fileSize(Path path) {
		try {
			BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
			return attributes.isRegularFile() ? attributes.size() : 0;
		}
		catch (IOException ex) {
			return 0;
		}
	}

}
