package dev.dilxc.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.SQLException;

import com.zaxxer.hikari.SQLExceptionOverride;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.UncategorizedSQLException;

import dev.dilxc.daemon.system.H2ConnectionEviction;

class StorageFailuresTests {

	@Test
	void aFullDiskDeepInH2sCauseChainIsNamedAsSuch() {
		// As H2 2.4 reports it: General error > MVStoreException > IOException.
		SQLException h2 = new SQLException("General error: \"org.h2.mvstore.MVStoreException: Writing to "
				+ "sun.nio.ch.FileChannelImpl@6f3187b0 failed; length 24576 at 8364032 [2.4.240/2]\" [50000-240]",
				"HY000", 50000,
				new IllegalStateException("Writing failed", new IOException("No space left on device")));
		UncategorizedSQLException spring = new UncategorizedSQLException("INSERT INTO job_output", "INSERT ...", h2);

		assertThat(StorageFailures.isStorage(spring)).isTrue();
		assertThat(StorageFailures.describe(spring))
			.isEqualTo("the database could not be written: no space left on the data directory's disk");
	}

	@Test
	void otherDatabaseFailuresGiveTheInnermostMessagesFirstLine() {
		DataAccessResourceFailureException closed = new DataAccessResourceFailureException("could not get a connection",
				new SQLException("The database has been closed [90098-240]\nmore detail", "90098", 90098));

		assertThat(StorageFailures.describe(closed))
			.isEqualTo("the database could not be written: The database has been closed [90098-240]");
		assertThat(StorageFailures.isStorage(new IllegalStateException("lxc said no"))).isFalse();
	}

	@Test
	void thePoolDropsAConnectionWhoseDatabaseH2ClosedAndKeepsItsOwnJudgementOtherwise() {
		H2ConnectionEviction eviction = new H2ConnectionEviction();

		assertThat(eviction.adjudicate(new SQLException("The database has been closed", "90098", 90098)))
			.isEqualTo(SQLExceptionOverride.Override.MUST_EVICT);
		assertThat(eviction.adjudicate(new SQLException("General error", "HY000", 50000)))
			.isEqualTo(SQLExceptionOverride.Override.MUST_EVICT);
		assertThat(eviction.adjudicate(new SQLException("Unique index or primary key violation", "23505", 23505)))
			.isEqualTo(SQLExceptionOverride.Override.CONTINUE_EVICT);
	}

}
