package dev.dilxc.client.sandboxes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.dilxc.api.DaemonStatus;
import dev.dilxc.api.QuarantineView;
import dev.dilxc.api.SandboxView;
import dev.dilxc.api.SnapshotView;
import dev.dilxc.client.render.Ansi;
import dev.dilxc.client.render.Formats;
import dev.dilxc.client.render.Quarantines;
import dev.dilxc.client.render.Table;
import dev.dilxc.client.render.TerminalText;
import org.jspecify.annotations.Nullable;

/**
 * How sandboxes and snapshots look in {@code status}, {@code containers} and
 * {@code snapshots}.
 */
final class SandboxViews {

	private final Formats formats;

	SandboxViews(Formats formats) {
		this.formats = formats;
	}

	/** {@code status}: one field a line, then the snapshots. */
	List<String> status(SandboxView view) {
		List<String[]> fields = new ArrayList<>();
		fields.add(field("Sandbox", view.name() + (view.managed() ? "" : " (not made by dilxc)")));
		fields.add(field("Status", view.status()));
		if (view.member() != null || view.memberAway() != null) {
			fields.add(field("Member", member(view)));
		}
		if (view.quarantine() != null && !Quarantines.of(List.of(view.quarantine())).isEmpty()) {
			fields.add(field("Attention",
					"quarantined, no job starts in it until it is repaired: " + Quarantines.failure(view.quarantine())
							+ " — " + Quarantines.nextStep(view.quarantine(), this.formats)));
		}
		fields.add(field("IPv4",
				(view.ipv4() == null || view.ipv4().isEmpty()) ? "none" : String.join(", ", view.ipv4())));
		fields.add(field("Image", Formats.orNone(view.image())));
		fields.add(field("Created", this.formats.fullTime(view.createdAt())));
		fields.add(field("CPU", (view.cpuLimit() != null) ? view.cpuLimit() + " (limit)" : "unlimited"));
		fields.add(field("Memory", memory(view)));
		fields.add(
				field("Disk", (view.diskUsageBytes() != null) ? bytes(view.diskUsageBytes()) + " used" : Formats.NONE));
		fields.add(field("Processes", Formats.orNone(view.processes())));
		fields.add(field("Project",
				(view.projectSource() != null)
						? view.projectSource()
								+ " -> /home/ubuntu/project-src (read-only), working copy /home/ubuntu/project"
						: "none"));
		fields.add(field("Deploy",
				(view.deployPath() != null) ? view.deployPath() + " -> /mnt/deploy (read-write)" : "none"));
		int width = fields.stream().mapToInt(field -> field[0].length()).max().orElse(0) + 1;
		List<String> lines = new ArrayList<>();
		for (String[] field : fields) {
			String label = field[0] + ":";
			lines.add(label + " ".repeat(width - label.length()) + " " + TerminalText.oneLine(field[1]));
		}
		lines.add("");
		List<SnapshotView> snapshots = (view.snapshots() != null) ? view.snapshots() : List.of();
		lines.add("Snapshots:" + (snapshots.isEmpty() ? " none" : ""));
		if (!snapshots.isEmpty()) {
			snapshots(snapshots).lines().forEach(line -> lines.add("  " + line));
		}
		return lines;
	}

	/**
	 * {@code status}: the daemon's half, labels aligned with the sandbox's; LXD's state
	 * coloured when allowed.
	 */
	List<String> daemon(DaemonStatus status, Ansi ansi) {
		List<String> lines = new ArrayList<>();
		lines.add(daemonField("Daemon",
				"dilxc " + TerminalText.oneLine(status.version()) + ", up "
						+ Formats.duration(Duration.ofSeconds(status.uptimeSeconds())) + " (since "
						+ this.formats.fullTime(status.startedAt()) + ")"));
		// A daemon older than Incus support says nothing of its back end: it drives LXD.
		String backend = (status.lxdBackend() != null) ? TerminalText.oneLine(status.lxdBackend()) : "LXD";
		String about = (status.lxdVersion() != null && !status.lxdVersion().isEmpty())
				? backend + " " + TerminalText.oneLine(status.lxdVersion()) : "";
		if (status.lxdBackendChoice() != null) {
			about += (about.isEmpty() ? "" : "; ") + TerminalText.oneLine(status.lxdBackendChoice());
		}
		String lxd = status.lxdReachable() ? ansi.green("reachable") + (about.isEmpty() ? "" : " (" + about + ")")
				: ansi.red("NOT reachable") + ": " + TerminalText.oneLine(Formats.orNone(status.lxdError()));
		lines.add(daemonField(backend, lxd));
		if (status.cluster() != null) {
			lines.addAll(cluster(status.cluster(), ansi));
		}
		DaemonStatus.Store store = status.store();
		// PostgreSQL: several daemons may share the history, so say which runs what.
		boolean shared = store != null && !"H2".equals(store.kind());
		List<DaemonStatus.RunningJob> running = (status.runningJobs() != null) ? status.runningJobs() : List.of();
		StringBuilder jobs = new StringBuilder(status.queuedJobs() + " queued, " + running.size() + " running");
		for (int i = 0; i < running.size(); i++) {
			DaemonStatus.RunningJob job = running.get(i);
			jobs.append((i == 0) ? ": " : ", ")
				.append("#")
				.append(job.id())
				.append(" in ")
				.append(TerminalText.oneLine(job.sandbox()));
			if (job.member() != null) {
				jobs.append(" on ").append(TerminalText.oneLine(job.member()));
			}
			if (job.state() != null && job.state() != dev.dilxc.api.JobState.RUNNING) {
				jobs.append(" (").append(job.state().name().toLowerCase(java.util.Locale.ROOT)).append(")");
			}
			else if (job.startedAt() != null) {
				jobs.append(" (").append(this.formats.elapsed(job.startedAt(), null)).append(")");
			}
			if (shared && job.daemon() != null) {
				// "on" names the cluster member when there is one
				jobs.append((job.member() != null) ? " run by " : " on ").append(TerminalText.oneLine(job.daemon()));
			}
		}
		lines.add(daemonField("Jobs", jobs.toString()));
		for (QuarantineView quarantine : Quarantines.of(status.quarantined())) {
			lines.add(daemonField("Attention", Quarantines.line(quarantine, this.formats, ansi)));
		}
		for (String warning : (status.warnings() != null) ? status.warnings() : List.<String>of()) {
			lines.add(daemonField("Warning", ansi.yellow(TerminalText.oneLine(warning))));
		}
		DaemonStatus.NextSchedule next = status.nextSchedule();
		lines.add(daemonField("Next run", (next != null) ? this.formats.fullTime(next.at()) + " (schedule "
				+ next.scheduleId() + " in " + TerminalText.oneLine(next.sandbox()) + ")" : "none scheduled"));
		lines.add(daemonField("Data",
				TerminalText.oneLine(status.dataDirectory()) + " (" + bytes(status.dataDirectoryBytes()) + ")"));
		DaemonStatus.Retention retention = status.retention();
		if (shared && store != null) {
			lines.add(daemonField("Database", TerminalText.oneLine(store.kind()) + " "
					+ TerminalText.oneLine(store.location()) + " (" + bytes(status.databaseBytes()) + ")"));
			lines.add(daemonField("Daemons", daemons(store)));
		}
		else if (retention != null) {
			lines.add(daemonField("Database", bytes(status.databaseBytes())));
		}
		if (retention != null) {
			lines.add(daemonField("Retention", retention(retention)));
			lines.add(daemonField("Swept", swept(retention.lastSweep())));
		}
		DaemonStatus.Backup backup = status.newestBackup();
		lines.add(daemonField("Backup",
				(backup != null)
						? this.formats.fullTime(backup.takenAt()) + " (" + TerminalText.oneLine(backup.reason()) + ") "
								+ TerminalText.oneLine(backup.path())
						: shared ? "PostgreSQL's own (pg_dump); the daemon takes none" : "none yet"));
		lines.add(daemonField("Socket", TerminalText.oneLine(status.socket())));
		return lines;
	}

	/**
	 * The LXD or Incus cluster: which member this daemon talks to, then every member with
	 * its state (coloured when allowed), address, sandboxes, the queued jobs waiting for
	 * them and what the cluster says of it.
	 */
	private static List<String> cluster(DaemonStatus.Cluster cluster, Ansi ansi) {
		List<DaemonStatus.ClusterMember> members = (cluster.members() != null) ? cluster.members() : List.of();
		long away = members.stream().filter((member) -> !member.isOnline()).count();
		List<String> lines = new ArrayList<>();
		lines.add(daemonField("Cluster",
				members.size() + ((members.size() == 1) ? " member" : " members") + ", this daemon on "
						+ TerminalText.oneLine(Formats.orNone(cluster.member()))
						+ ((away > 0) ? "; " + ansi.red(away + " not online") : "")));
		if (members.isEmpty()) {
			return lines;
		}
		Table table = new Table(List.of("MEMBER", "STATUS", "ADDRESS", "SANDBOXES", "QUEUED", "MESSAGE"), Set.of(3, 4));
		for (DaemonStatus.ClusterMember member : members) {
			table.row(List.of(Formats.orNone(member.name()), Formats.orNone(member.status()),
					Formats.orNone(member.address()), Integer.toString(member.sandboxes()),
					Integer.toString(member.queuedJobs()), Formats.orNone(member.message())));
		}
		table.style(1, (cell) -> switch (cell.strip()) {
			case "ONLINE" -> ansi.green(cell);
			case "EVACUATED" -> ansi.yellow(cell);
			default -> ansi.red(cell);
		});
		table.lines().forEach((line) -> lines.add(" ".repeat(11) + line));
		return lines;
	}

	/**
	 * The {@code dilxc.retention.*} settings in words:
	 * {@code jobs 90d, at most 1000 per sandbox; output ... 14d}.
	 */
	/** The live daemons sharing the store: this one first, each with its running jobs. */
	static String daemons(DaemonStatus.Store store) {
		List<DaemonStatus.Daemon> daemons = (store.daemons() != null) ? store.daemons() : List.of();
		StringBuilder text = new StringBuilder(daemons.size() + " live");
		List<DaemonStatus.Daemon> ordered = new ArrayList<>(daemons);
		ordered
			.sort(java.util.Comparator.comparing((DaemonStatus.Daemon daemon) -> !daemon.id().equals(store.daemon())));
		for (int i = 0; i < ordered.size(); i++) {
			DaemonStatus.Daemon daemon = ordered.get(i);
			text.append((i == 0) ? ": " : ", ").append(TerminalText.oneLine(daemon.id()));
			List<String> notes = new ArrayList<>();
			if (daemon.id().equals(store.daemon())) {
				notes.add("this one");
			}
			if (!daemon.host().isEmpty() && !daemon.id().startsWith(daemon.host() + ":")) {
				notes.add("on " + TerminalText.oneLine(daemon.host()));
			}
			if (daemon.runningJobs() > 0) {
				notes.add(daemon.runningJobs() + " running");
			}
			if (!notes.isEmpty()) {
				text.append(" (").append(String.join(", ", notes)).append(")");
			}
		}
		return text.toString();
	}

	static String retention(DaemonStatus.Retention retention) {
		return "jobs " + ((retention.maxAgeSeconds() > 0) ? days(retention.maxAgeSeconds()) : "forever") + ", "
				+ ((retention.maxJobsPerSandbox() > 0) ? "at most " + retention.maxJobsPerSandbox() + " per sandbox"
						: "any number per sandbox")
				+ "; output, diffs and transcripts "
				+ ((retention.bulkMaxAgeSeconds() > 0) ? days(retention.bulkMaxAgeSeconds()) : "as long as the job");
	}

	private String swept(DaemonStatus.@Nullable Sweep sweep) {
		if (sweep == null) {
			return "not yet since the daemon started";
		}
		return this.formats.fullTime(sweep.at()) + ": deleted " + sweep.jobsDeleted() + " job(s), pruned the output of "
				+ sweep.jobsPruned() + ", deleted " + sweep.notificationsDeleted() + " notification(s) and "
				+ sweep.scheduleEventsDeleted() + " schedule event(s)"
				+ ((sweep.error() != null) ? "; stopped early: " + TerminalText.oneLine(sweep.error()) : "");
	}

	private static String days(long seconds) {
		return (seconds % 86_400 == 0) ? (seconds / 86_400) + "d" : Formats.duration(Duration.ofSeconds(seconds));
	}

	/** Padded to the width of the sandbox section's longest label, {@code Processes:}. */
	private static String daemonField(String label, String value) {
		String name = label + ":";
		return name + " ".repeat(Math.max(1, 11 - name.length())) + value;
	}

	/**
	 * {@code containers}: every sandbox, the active one marked; in an LXD or Incus
	 * cluster, the member holding each ({@code (away)} when it cannot be reached).
	 */
	Table sandboxes(List<SandboxView> views, String active) {
		boolean cluster = views.stream().anyMatch((view) -> view.member() != null || view.memberAway() != null);
		List<String> headers = new ArrayList<>(List.of("NAME", "STATUS", "MANAGED", "IPV4", ""));
		if (cluster) {
			headers.add(2, "MEMBER");
		}
		Table table = new Table(headers, Set.of());
		for (SandboxView view : views) {
			List<String> row = new ArrayList<>(List.of(view.name(), Formats.orNone(view.status()),
					view.managed() ? "yes" : "no",
					(view.ipv4() == null || view.ipv4().isEmpty()) ? Formats.NONE : String.join(", ", view.ipv4()),
					view.name().equals(active) ? "(active)" : ""));
			if (cluster) {
				row.add(2, Formats.orNone(view.member()) + ((view.memberAway() != null) ? " (away)" : ""));
			}
			table.row(row);
		}
		return table;
	}

	/**
	 * {@code containers}, after the table: one line per cluster member that cannot be
	 * reached, with why and the sandboxes it holds (nothing outside a cluster).
	 */
	static List<String> membersAway(List<SandboxView> views) {
		Map<String, List<String>> sandboxes = new LinkedHashMap<>();
		for (SandboxView view : views) {
			if (view.memberAway() != null) {
				String member = (view.member() != null) ? "member " + TerminalText.oneLine(view.member())
						: "the member";
				sandboxes
					.computeIfAbsent(member + " cannot be reached (" + TerminalText.oneLine(view.memberAway()) + ")",
							(key) -> new ArrayList<>())
					.add(TerminalText.oneLine(view.name()));
			}
		}
		List<String> lines = new ArrayList<>();
		sandboxes.forEach((away, names) -> lines.add("Warning: " + away + ": " + String.join(", ", names)
				+ ((names.size() == 1) ? " and its jobs wait" : " and their jobs wait") + " until it is back"));
		return lines;
	}

	/** The cluster member holding the sandbox, and why it cannot be reached if so. */
	private static String member(SandboxView view) {
		String member = Formats.orNone(view.member());
		return (view.memberAway() != null)
				? member + ", cannot be reached: " + view.memberAway() + " (its jobs wait until it is back)" : member;
	}

	/** Snapshots, oldest first. */
	Table snapshots(List<SnapshotView> snapshots) {
		Table table = new Table(List.of("NAME", "TAKEN", "JOB"), Set.of(2));
		for (SnapshotView snapshot : snapshots) {
			table.row(List.of(snapshot.name(), this.formats.fullTime(snapshot.createdAt()),
					Formats.orNone(snapshot.jobId())));
		}
		return table;
	}

	private static String memory(SandboxView view) {
		String used = (view.memoryUsageBytes() != null) ? bytes(view.memoryUsageBytes()) + " used" : null;
		String limit = (view.memoryLimit() != null) ? view.memoryLimit() + " limit" : "no limit";
		return (used != null) ? used + " of " + limit : limit;
	}

	/** {@code 512 B}, {@code 3.4 MiB}, {@code 1.2 GiB}. */
	static String bytes(@Nullable Long bytes) {
		if (bytes == null) {
			return Formats.NONE;
		}
		String[] units = { "B", "KiB", "MiB", "GiB", "TiB" };
		double value = bytes;
		int unit = 0;
		while (value >= 1024 && unit < units.length - 1) {
			value /= 1024;
			unit++;
		}
		return (unit == 0) ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
	}

	private static String[] field(String name, String value) {
		return new String[] { name, value };
	}

}
