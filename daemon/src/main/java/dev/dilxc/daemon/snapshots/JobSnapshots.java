package dev.dilxc.daemon.snapshots;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.dilxc.daemon.lxd.InstanceName;
import dev.dilxc.daemon.lxd.InstanceSnapshot;
import dev.dilxc.daemon.lxd.Lxd;
import dev.dilxc.daemon.lxd.SnapshotExistsException;

/**
 * The snapshots the daemon takes for jobs: {@code dilxc-job-<id>} before the agent
 * starts, {@code dilxc-job-<id>-failed} (or {@code -after} for a successful job under the
 * {@code always} policy) to keep what the agent left before a restore. Retention only
 * ever touches names of this form.
 */
@Service
public class JobSnapshots {

	private static final Logger logger = LoggerFactory.getLogger(JobSnapshots.class);

	private static final DateTimeFormatter STALE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
		.withZone(ZoneOffset.UTC);

	private static final Pattern OURS = Pattern.compile("dilxc-job-(\\d+)(-failed|-after)?");

	/** A job snapshot renamed aside, and when: {@link #STALE_STAMP}. */
	private static final Pattern STALE = Pattern.compile("dilxc-job-\\d+(?:-failed|-after)?-stale-(\\d{8}T\\d{6})");

	/**
	 * {@code SandboxSnapshots}' safety snapshot before a restore (with a suffix when two
	 * fall in one second).
	 */
	private static final Pattern PRE_RESTORE = Pattern.compile("pre-restore-\\d{8}-\\d{6}(-\\d+)?");

	private final Lxd lxd;

	private final SnapshotsProperties properties;

	JobSnapshots(Lxd lxd, SnapshotsProperties properties) {
		this.lxd = lxd;
		this.properties = properties;
	}

	/** The name of the snapshot taken before job {@code jobId} runs. */
	public static String preJobName(long jobId) {
		return "dilxc-job-" + jobId;
	}

	/**
	 * Takes the pre-job snapshot. A snapshot of that name already there was left by an
	 * earlier dilxc database (job ids restart with a new one): it is renamed out of the
	 * way with a {@code -stale-<time>} suffix, never deleted. Returns what was done, for
	 * the job's history.
	 */
	public List<String> takePreJob(InstanceName sandbox, long jobId, Instant now) {
		String name = preJobName(jobId);
		List<String> steps = new ArrayList<>();
		try {
			this.lxd.createSnapshot(sandbox, name);
		}
		catch (SnapshotExistsException ex) {
			// Rare, so only then is it worth listing the snapshots.
			String suffix = "-stale-" + STALE_STAMP.format(now);
			for (InstanceSnapshot existing : this.lxd.listSnapshots(sandbox)) {
				if (existing.name().equals(name)) {
					this.lxd.renameSnapshot(sandbox, existing.name(), existing.name() + suffix);
					steps.add("renamed snapshot " + existing.name() + ", left by an earlier dilxc database, to "
							+ existing.name() + suffix);
				}
			}
			this.lxd.createSnapshot(sandbox, name);
		}
		steps.add("took snapshot " + name + " of '" + sandbox + "'");
		return steps;
	}

	/**
	 * Keeps the sandbox's current state as a snapshot, then restores the pre-job
	 * snapshot. Returns what was done, in words, one entry per step, for the job's
	 * history. A keep-snapshot of that name taken after the pre-job snapshot is from this
	 * job's own restore that a crash cut short: it is the agent's state and stays; one
	 * taken before it was left by an earlier database and is renamed aside.
	 */
	public List<String> keepStateAndRestore(InstanceName sandbox, long jobId, boolean succeeded, Instant now) {
		List<String> steps = new ArrayList<>();
		String pre = preJobName(jobId);
		String kept = pre + (succeeded ? "-after" : "-failed");
		List<InstanceSnapshot> snapshots = this.lxd.listSnapshots(sandbox);
		Instant preTaken = snapshots.stream()
			.filter((s) -> s.name().equals(pre))
			.map(InstanceSnapshot::createdAt)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("snapshot " + pre + " of '" + sandbox + "' is gone"));
		InstanceSnapshot earlier = snapshots.stream().filter((s) -> s.name().equals(kept)).findFirst().orElse(null);
		if (earlier != null && earlier.createdAt().isAfter(preTaken)) {
			// A restore of this very job that a crash cut short: that snapshot is the
			// agent's state.
			steps.add("kept earlier snapshot " + kept + " as the state the agent left");
		}
		else {
			if (earlier != null) {
				String stale = kept + "-stale-" + STALE_STAMP.format(now);
				this.lxd.renameSnapshot(sandbox, kept, stale);
				steps.add("renamed snapshot " + kept + ", left by an earlier dilxc database, to " + stale);
			}
			this.lxd.createSnapshot(sandbox, kept);
			steps.add("kept the state the agent left as snapshot " + kept);
		}
		this.lxd.restoreSnapshot(sandbox, pre);
		steps.add("restored sandbox '" + sandbox + "' to snapshot " + pre);
		return steps;
	}

	/**
	 * Whether the pre-job snapshot of a job exists (a restarted daemon checks before
	 * restoring).
	 */
	public boolean hasPreJob(InstanceName sandbox, long jobId) {
		return this.lxd.listSnapshots(sandbox).stream().anyMatch((s) -> s.name().equals(preJobName(jobId)));
	}

	/**
	 * Deletes the snapshots of all but the newest {@code keepPerSandbox} jobs in the
	 * sandbox, job snapshots renamed aside more than {@code staleMaxAge} before
	 * {@code now}, and all but the newest {@code keepPreRestore} pre-restore snapshots.
	 * Returns the names deleted. Snapshots the daemon did not name are left alone.
	 */
	public List<String> applyRetention(InstanceName sandbox, Instant now) {
		Map<Long, List<String>> byJob = new TreeMap<>();
		List<InstanceSnapshot> preRestore = new ArrayList<>();
		List<String> doomed = new ArrayList<>();
		for (InstanceSnapshot snapshot : this.lxd.listSnapshots(sandbox)) {
			Matcher matcher = OURS.matcher(snapshot.name());
			Matcher stale = STALE.matcher(snapshot.name());
			if (matcher.matches()) {
				byJob.computeIfAbsent(Long.parseLong(matcher.group(1)), (id) -> new ArrayList<>()).add(snapshot.name());
			}
			else if (stale.matches() && !this.properties.staleMaxAge().isZero()
					&& Duration.between(setAsideAt(stale.group(1), now), now)
						.compareTo(this.properties.staleMaxAge()) > 0) {
				doomed.add(snapshot.name());
			}
			else if (PRE_RESTORE.matcher(snapshot.name()).matches()) {
				preRestore.add(snapshot);
			}
		}
		List<Long> jobs = new ArrayList<>(byJob.keySet());
		for (Long job : jobs.subList(0, Math.max(0, jobs.size() - this.properties.keepPerSandbox()))) {
			doomed.addAll(byJob.get(job));
		}
		// Newest first by LXD's own creation time (the names' stamps are in the daemon's
		// zone, which may change).
		preRestore.sort(Comparator.comparing(InstanceSnapshot::createdAt).reversed());
		preRestore.stream().skip(this.properties.keepPreRestore()).forEach((snapshot) -> doomed.add(snapshot.name()));
		List<String> deleted = new ArrayList<>();
		for (String name : doomed) {
			this.lxd.deleteSnapshot(sandbox, name);
			deleted.add(name);
		}
		if (!deleted.isEmpty()) {
			logger.info("Retention deleted {} snapshot(s) of sandbox {}: {}", deleted.size(), sandbox, deleted);
		}
		return deleted;
	}

	/**
	 * When a snapshot was renamed aside, from its stamp; one that does not parse counts
	 * as just now (kept).
	 */
	private static Instant setAsideAt(String stamp, Instant now) {
		try {
			return STALE_STAMP.parse(stamp, Instant::from);
		}
		catch (DateTimeException ex) {
			return now;
		}
	}

}
