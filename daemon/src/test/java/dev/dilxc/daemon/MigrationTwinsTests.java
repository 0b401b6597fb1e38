package dev.dilxc.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The schema is written twice, once per database (Flyway's {@code db/migration/{vendor}}
 * folders): every H2 migration has a PostgreSQL twin of the same version and name, and
 * the PostgreSQL spelling holds none of H2's types that PostgreSQL refuses
 * (docs/postgresql-notes.md). A migration added for H2 alone fails here.
 */
class MigrationTwinsTests {

	private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

	@Test
	void everyH2MigrationHasAPostgresqlTwinAndNoOther() throws IOException {
		List<String> h2 = names("h2");
		assertThat(h2).isNotEmpty().allMatch((name) -> name.matches("V\\d+__\\w+\\.sql"));
		assertThat(names("postgresql")).isEqualTo(h2);
		try (Stream<Path> flat = Files.list(MIGRATIONS)) {
			assertThat(flat.filter(Files::isRegularFile)).as("migrations outside a vendor folder are never run")
				.isEmpty();
		}
	}

	@Test
	void thePostgresqlSpellingHasNoneOfH2sOwnTypesOrStatements() throws IOException {
		for (String name : names("postgresql")) {
			String sql = Files.readString(MIGRATIONS.resolve("postgresql").resolve(name))
				.lines()
				.filter((line) -> !line.strip().startsWith("--"))
				.reduce("", (a, b) -> a + b + "\n")
				.toUpperCase(java.util.Locale.ROOT);
			assertThat(sql).as(name)
				.doesNotContain("LARGE OBJECT")
				.doesNotContainPattern("\\bIMAGE\\b")
				.doesNotContainPattern("\\bCLOB\\b")
				.doesNotContainPattern("\\bBLOB\\b")
				.doesNotContainPattern("ALTER COLUMN \\w+ SET NULL");
		}
	}

	private static List<String> names(String vendor) throws IOException {
		try (Stream<Path> files = Files.list(MIGRATIONS.resolve(vendor))) {
			return files.map((file) -> file.getFileName().toString()).sorted().toList();
		}
	}

}
