package dev.dilxc.daemon.lxd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.daemon.process.ProcessRunner;

/**
 * LXD 5.0's "Failed to retrieve PID of executing child process" race, played by a
 * stand-in for {@code lxc} that loses it a given number of times: the exec is asked
 * again, at most {@link CliLxd#EXEC_ATTEMPTS} times in all.
 */
class ExecPidRaceTests {

	@TempDir
	Path dir;

	@Test
	void anExecThatLostLxdsPidRaceIsRunAgainAndItsResultIsTheSecondRunsAnswer() throws Exception {
		CliLxd lxd = lxcLosing(1);

		ExecResult result = lxd.exec(new InstanceName("box"), ExecRequest.asRoot(Duration.ofSeconds(10), "true"));

		assertThat(result.exitCode()).isZero();
		assertThat(result.stdout()).isEqualTo("ran\n");
		assertThat(Files.readAllLines(this.dir.resolve("calls"))).hasSize(2);
	}

	@Test
	void racesLostOnEveryTryAreReportedAsLxdsError() throws Exception {
		CliLxd lxd = lxcLosing(CliLxd.EXEC_ATTEMPTS + 1);

		assertThatExceptionOfType(LxdException.class)
			.isThrownBy(() -> lxd.exec(new InstanceName("box"), ExecRequest.asRoot(Duration.ofSeconds(10), "true")))
			.withMessageContaining(CliLxd.EXEC_PID_RACE);
		assertThat(Files.readAllLines(this.dir.resolve("calls"))).hasSize(CliLxd.EXEC_ATTEMPTS);
	}

	private CliLxd lxcLosing(int times) throws Exception {
		Path script = this.dir.resolve("lxc");
		Files.writeString(script, """
				#!/bin/sh
				echo "$*" >> '%1$s/calls'
				if [ "$(wc -l < '%1$s/calls')" -le %2$d ]; then
				  echo 'Error: %3$s' >&2
				  exit 1
				fi
				echo ran
				""".formatted(this.dir, times, CliLxd.EXEC_PID_RACE));
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
		return new CliLxd(
				new ProcessRunner(), new LxdProperties(LxdProperties.BackendChoice.AUTO, script.toString(),
						Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10)),
				JsonMapper.builder().build());
	}

}
