package dev.dilxc.daemon.backups;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One backup zip. Its name says when and why it was taken
 * ({@code dilxc-20261205T120000Z-scheduled.zip},
 * {@code dilxc-20261205T120000Z-before-V8.zip}), so {@code ls} alone tells them apart and
 * the daemon needs no index to find the newest.
 *
 * @param file the zip
 * @param takenAt when it was taken (from its name, to the second)
 * @param reason why: {@code scheduled}, {@code before-V8} (the database as it was before
 * migration V8), {@code manual}
 */
public record DatabaseBackup(Path file, Instant takenAt, String reason) {

	private static final Pattern NAME = Pattern.compile("dilxc-(\\d{8}T\\d{6}Z)-([a-zA-Z0-9.-]+)\\.zip");

	static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

	static String fileName(Instant at, String reason) {
		return "dilxc-" + STAMP.format(at) + "-" + reason + ".zip";
	}

	/**
	 * The backup {@code file} is, when its name is one the daemon gives; other files are
	 * not the daemon's.
	 */
	static Optional<DatabaseBackup> of(Path file) {
		Matcher matcher = NAME.matcher(file.getFileName().toString());
		if (!matcher.matches()) {
			return Optional.empty();
		}
		try {
			return Optional
				.of(new DatabaseBackup(file, STAMP.parse(matcher.group(1), Instant::from), matcher.group(2)));
		}
		catch (DateTimeParseException ex) {
			return Optional.empty();
		}
	}
}
