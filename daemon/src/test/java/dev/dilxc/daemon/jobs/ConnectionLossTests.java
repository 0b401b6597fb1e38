package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Which failures of an output line's write are a lost connection, tried again on a fresh
 * one, and which stop the job at once: the SQLStates PostgreSQL and pgJDBC give when the
 * server restarts or fails over, against a statement the database refused.
 */
class ConnectionLossTests {

	@Test
	void aServerThatRestartedOrCannotBeReachedIsALostConnection() {
		assertThat(OutputRecorder.connectionLost(failure("57P01"))).as("admin shutdown").isTrue();
		assertThat(OutputRecorder.connectionLost(failure("57P02"))).as("crash shutdown").isTrue();
		assertThat(OutputRecorder.connectionLost(failure("08006"))).as("connection failure").isTrue();
		assertThat(OutputRecorder.connectionLost(failure("08001"))).as("cannot connect").isTrue();
	}

	@Test
	void aRefusedStatementOrAFullDiskIsNot() {
		assertThat(OutputRecorder.connectionLost(failure("23505"))).as("unique violation").isFalse();
		assertThat(OutputRecorder.connectionLost(failure("53100"))).as("disk full").isFalse();
		assertThat(OutputRecorder.connectionLost(new DataIntegrityViolationException("no SQLException"))).isFalse();
	}

	private static RuntimeException failure(String state) {
		return new DataAccessResourceFailureException("write failed",
				new SQLException("the server said no", state, new SQLException("inner", (String) null)));
	}

}
