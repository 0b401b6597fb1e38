package dev.dilxc.daemon.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

import dev.dilxc.daemon.cluster.DatabaseStore;
import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.lxd.Lxd;
import dev.dilxc.daemon.lxd.LxdException;
import dev.dilxc.daemon.lxd.StorageSpace;
import dev.dilxc.daemon.sandboxes.SandboxPlacement;

/**
 * Free space where a job writes: the data directory's disk (its output, history and diff
 * go to the database) and the sandbox's LXD storage pool (its snapshot and the agent's
 * work). A job is refused before its snapshot when either is below its minimum
 * ({@code dilxc.jobs.min-free-data}, {@code dilxc.jobs.min-free-pool}), rather than
 * started to fail half-way; {@code status} warns from twice the minimum. A pool read in
 * the last 10 seconds with at least twice its minimum free is not read again.
 */
@Component
public class FreeSpace {

	private final Lxd lxd;

	private final JobsProperties properties;

	private final Path dataDirectory;

	/** A sandbox's root pool hardly ever changes: asked once per sandbox, not per job. */
	private final Map<InstanceName, String> pools = new ConcurrentHashMap<>();

	/**
	 * The last reading of each pool, so {@code status} costs no {@code lxc} call of its
	 * own most times.
	 */
	private final Map<String, Reading> readings = new ConcurrentHashMap<>();

	/** How old a pool reading {@code status} may show: a warning, not a decision. */
	private static final long READING_MAX_AGE_NANOS = java.time.Duration.ofSeconds(30).toNanos();

	/**
	 * How old a pool reading well clear of the minimum may be for a job's start: a few
	 * seconds, in which no agent writes gigabytes.
	 */
	private static final long AMPLE_READING_MAX_AGE_NANOS = java.time.Duration.ofSeconds(10).toNanos();

	private record Reading(StorageSpace space, long atNanos) {
	}

	/**
	 * Whether the history (and so every output line) is written to the data directory's
	 * disk: with PostgreSQL it is the server's disk, which the daemon cannot see.
	 */
	private final boolean historyOnDataDirectory;

	/** In a cluster, each member has its own share of a pool: the sandbox's is read. */
	private final SandboxPlacement placement;

	FreeSpace(Lxd lxd, JobsProperties properties, @Value("${dilxc.data-dir}") Path dataDirectory, DatabaseStore store,
			SandboxPlacement placement) {
		this.placement = placement;
		this.historyOnDataDirectory = store == DatabaseStore.H2;
		this.lxd = lxd;
		this.properties = properties;
		this.dataDirectory = dataDirectory;
	}

	/**
	 * Why a job may not start in {@code sandbox} for lack of space, or empty when there
	 * is enough.
	 */
	Optional<String> shortage(InstanceName sandbox) {
		long minData = this.historyOnDataDirectory ? this.properties.minFreeData().toBytes() : 0;
		if (minData > 0) {
			long free = dataDirectoryFree();
			if (free >= 0 && free < minData) {
				return Optional.of("the data directory " + this.dataDirectory + " has " + human(free)
						+ " free, below the " + "minimum of " + human(minData)
						+ " (dilxc.jobs.min-free-data), so the job's output could not be "
						+ "stored: free space on that disk (or lower the minimum)");
			}
		}
		long minPool = this.properties.minFreePool().toBytes();
		if (minPool > 0) {
			String pool = this.pools.computeIfAbsent(sandbox, (name) -> this.lxd.rootPool(name).orElse(""));
			if (!pool.isEmpty()) {
				String member = this.placement.cached().memberOf(sandbox.value()).orElse(null);
				StorageSpace space = recentAmple(pool, member, minPool).orElseGet(() -> read(pool, member));
				if (space.totalBytes() > 0 && space.freeBytes() < minPool) {
					return Optional.of("the " + this.lxd.backendName() + " storage pool '" + pool + "' of sandbox "
							+ sandbox + ((member != null) ? " on cluster member " + member : "") + " has "
							+ human(space.freeBytes()) + " free, below the minimum of " + human(minPool)
							+ " (dilxc.jobs.min-free-pool), so the job's snapshot and the agent's work could not be "
							+ "written: free space in the pool (old snapshots: dilxc-client snapshots; "
							+ this.lxd.clientCommand() + " storage info " + pool + ") or lower the minimum");
				}
			}
		}
		return Optional.empty();
	}

	/**
	 * Warnings for {@code status}: the data directory, and {@code pool}, when either has
	 * less than twice its minimum free; an LXD that does not answer gives no pool warning
	 * (status says LXD is away).
	 */
	public List<String> warnings(@Nullable String pool) {
		List<String> warnings = new ArrayList<>();
		long minData = this.historyOnDataDirectory ? this.properties.minFreeData().toBytes() : 0;
		long free = dataDirectoryFree();
		if (minData > 0 && free >= 0 && free < 2 * minData) {
			warnings.add("the data directory's disk has " + human(free) + " free; jobs are refused below "
					+ human(minData) + " (dilxc.jobs.min-free-data)");
		}
		long minPool = this.properties.minFreePool().toBytes();
		if (minPool > 0 && pool != null && !pool.isBlank()) {
			try {
				Reading last = this.readings.get(pool);
				StorageSpace space = (last != null && System.nanoTime() - last.atNanos() < READING_MAX_AGE_NANOS)
						? last.space() : read(pool);
				if (space.totalBytes() > 0 && space.freeBytes() < 2 * minPool) {
					warnings.add("the " + this.lxd.backendName() + " storage pool '" + pool + "' has "
							+ human(space.freeBytes()) + " free; jobs are refused below " + human(minPool)
							+ " (dilxc.jobs.min-free-pool)");
				}
			}
			catch (LxdException ex) {
				// Not this check's to report.
			}
		}
		return warnings;
	}

	/**
	 * A reading of the pool from the last few seconds that left it well clear of its
	 * minimum (at least twice as much free): back-to-back jobs ask {@code lxc} once, not
	 * each, while a pool nearer its minimum is read afresh for every job.
	 */
	private Optional<StorageSpace> recentAmple(String pool, @Nullable String member, long minPool) {
		Reading last = this.readings.get(readingKey(pool, member));
		if (last == null || System.nanoTime() - last.atNanos() >= AMPLE_READING_MAX_AGE_NANOS) {
			return Optional.empty();
		}
		StorageSpace space = last.space();
		return (space.totalBytes() > 0 && space.freeBytes() >= 2 * minPool) ? Optional.of(space) : Optional.empty();
	}

	private static String readingKey(String pool, @Nullable String member) {
		return (member != null) ? pool + "@" + member : pool;
	}

	private StorageSpace read(String pool) {
		return read(pool, null);
	}

	private StorageSpace read(String pool, @Nullable String member) {
		StorageSpace space = this.lxd.storagePoolSpace(pool, member);
		this.readings.put(readingKey(pool, member), new Reading(space, System.nanoTime()));
		return space;
	}

	/**
	 * Whether the data directory's disk has less free than
	 * {@code dilxc.jobs.min-free-data} (never, when 0).
	 */
	boolean dataDirectoryShort() {
		long min = this.historyOnDataDirectory ? this.properties.minFreeData().toBytes() : 0;
		long free = dataDirectoryFree();
		return min > 0 && free >= 0 && free < min;
	}

	/** Usable bytes on the data directory's file system, or -1 when it cannot be told. */
	long dataDirectoryFree() {
		try {
			return Files.getFileStore(this.dataDirectory).getUsableSpace();
		}
		catch (IOException ex) {
			return -1;
		}
	}

	static String human(long bytes) {
		if (bytes >= DataSize.ofGigabytes(1).toBytes()) {
			return String.format(java.util.Locale.ROOT, "%.1f GB", bytes / (double) DataSize.ofGigabytes(1).toBytes());
		}
		if (bytes >= DataSize.ofMegabytes(1).toBytes()) {
			return (bytes / DataSize.ofMegabytes(1).toBytes()) + " MB";
		}
		return (bytes / 1024) + " KB";
	}

}
