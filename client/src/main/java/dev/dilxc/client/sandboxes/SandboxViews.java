package dev.dilxc.client.sandboxes;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.dilxc.api.SandboxView;
import dev.dilxc.api.SnapshotView;
import dev.dilxc.client.render.Formats;
import dev.dilxc.client.render.Table;
import dev.dilxc.client.render.TerminalText;
import org.jspecify.annotations.Nullable;

/** How sandboxes and snapshots look in {@code status}, {@code containers} and {@code snapshots}. */
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
		fields.add(field("IPv4", (view.ipv4() == null || view.ipv4().isEmpty()) ? "none" : String.join(", ", view.ipv4())));
		fields.add(field("Image", Formats.orNone(view.image())));
		fields.add(field("Created", this.formats.fullTime(view.createdAt())));
		fields.add(field("CPU", (view.cpuLimit() != null) ? view.cpuLimit() + " (limit)" : "unlimited"));
		fields.add(field("Memory", memory(view)));
		fields.add(field("Disk", (view.diskUsageBytes() != null) ? bytes(view.diskUsageBytes()) + " used" : Formats.NONE));
		fields.add(field("Processes", Formats.orNone(view.processes())));
		fields.add(field("Project", (view.projectSource() != null)
				? view.projectSource() + " -> /home/ubuntu/project-src (read-only), working copy /home/ubuntu/project"
				: "none"));
		fields.add(field("Deploy", (view.deployPath() != null) ? view.deployPath() + " -> /mnt/deploy (read-write)" : "none"));
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

	/** {@code containers}: every sandbox, the active one marked. */
	Table sandboxes(List<SandboxView> views, String active) {
		Table table = new Table(List.of("NAME", "STATUS", "MANAGED", "IPV4", ""), Set.of());
		for (SandboxView view : views) {
			table.row(List.of(view.name(), Formats.orNone(view.status()), view.managed() ? "yes" : "no",
					(view.ipv4() == null || view.ipv4().isEmpty()) ? Formats.NONE : String.join(", ", view.ipv4()),
					view.name().equals(active) ? "(active)" : ""));
		}
		return table;
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
