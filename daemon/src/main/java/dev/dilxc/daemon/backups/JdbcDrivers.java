package dev.dilxc.daemon.backups;

import java.nio.file.Path;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Connections for the commands that run before Spring. The drivers are loaded straight:
 * H2 and PostgreSQL are runtime dependencies only, and DriverManager may not see the
 * jar's classes.
 */
final class JdbcDrivers {

	/** What H2 adds to the name in its URL. */
	static final String H2_SUFFIX = ".mv.db";

	private JdbcDrivers() {
	}

	/**
	 * A dilxc H2 file ({@code ….mv.db}) as the daemon's settings open it (user dilxc, no
	 * password), with H2's {@code options} ({@code ;KEY=VALUE…}).
	 */
	static DataSource h2(Path file, String options) throws SQLException {
		String path = file.toAbsolutePath().toString();
		String base = path.substring(0, path.length() - H2_SUFFIX.length());
		return new SimpleDriverDataSource(driver("org.h2.Driver", "H2"), "jdbc:h2:file:" + base + options, "dilxc", "");
	}

	/** Any database, through the driver class the daemon's jar carries. */
	static DataSource dataSource(String driverClass, String name, String url, Properties properties)
			throws SQLException {
		SimpleDriverDataSource dataSource = new SimpleDriverDataSource(driver(driverClass, name), url);
		dataSource.setConnectionProperties(properties);
		return dataSource;
	}

	private static Driver driver(String className, String name) throws SQLException {
		try {
			return (Driver) Class.forName(className, true, JdbcDrivers.class.getClassLoader())
				.getDeclaredConstructor()
				.newInstance();
		}
		catch (ReflectiveOperationException ex) {
			throw new SQLException("the " + name + " driver is missing from the daemon's jar", ex);
		}
	}

}
