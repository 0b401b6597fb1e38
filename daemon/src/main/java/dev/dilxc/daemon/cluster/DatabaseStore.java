package dev.dilxc.daemon.cluster;

import java.util.Locale;

/**
 * Which database holds the history, told from {@code spring.datasource.url} without
 * opening it (the backups' damaged-file check must run before anything opens an H2 file).
 */
public enum DatabaseStore {

	/** One file in the data directory, one daemon: the default, no set-up. */
	H2("H2", "h2"),

	/** A server that one or several daemons share. */
	POSTGRESQL("PostgreSQL", "postgresql");

	private final String displayName;

	private final String vendor;

	DatabaseStore(String displayName, String vendor) {
		this.displayName = displayName;
		this.vendor = vendor;
	}

	/**
	 * The store a JDBC URL names; anything but H2 and PostgreSQL is refused with what to
	 * write instead.
	 */
	public static DatabaseStore of(String url) {
		String lower = url.toLowerCase(Locale.ROOT);
		if (lower.startsWith("jdbc:h2:")) {
			return H2;
		}
		if (lower.startsWith("jdbc:postgresql:")) {
			return POSTGRESQL;
		}
		throw new IllegalArgumentException(
				"spring.datasource.url must name an H2 database (the default) or a PostgreSQL one "
						+ "(jdbc:postgresql://HOST:PORT/DATABASE), not '" + withoutSecrets(url) + "'");
	}

	public String displayName() {
		return this.displayName;
	}

	/** Flyway's folder of this store's spelling of the schema. */
	String migrationLocation() {
		return "classpath:db/migration/" + this.vendor;
	}

	/**
	 * Whether other daemons may share it: they may on a server, never on an H2 file (H2
	 * locks it to one process).
	 */
	public boolean shared() {
		return this == POSTGRESQL;
	}

	/**
	 * The URL with any password or query parameters dropped, for status and messages.
	 */
	public static String withoutSecrets(String url) {
		int query = url.indexOf('?');
		String base = (query >= 0) ? url.substring(0, query) : url;
		// jdbc:postgresql://user:password@host/db is not pgJDBC's syntax, but never show
		// it
		return base.replaceAll("//[^/@]*@", "//");
	}

}
