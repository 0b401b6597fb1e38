package dev.dilxc.client.shell;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.daemon.DaemonFailureException;
import dev.dilxc.client.daemon.DaemonUnreachableException;
import dev.dilxc.client.daemon.InvalidRequestException;
import dev.dilxc.client.daemon.JobAlreadyFinishedException;
import dev.dilxc.client.daemon.JobNotFoundException;
import dev.dilxc.client.daemon.NotFoundException;
import org.junit.jupiter.api.Test;
import org.springframework.shell.core.command.ExitStatus;

import static org.assertj.core.api.Assertions.assertThat;

class ClientErrorsTests {

	@Test
	void toExitStatusMapsEachErrorToItsCode() {
		assertThat(code(new UsageException("bad"))).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(code(new InvalidRequestException("bad"))).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(code(new JobNotFoundException(3, "no job 3"))).isEqualTo(ExitCodes.NOT_FOUND);
		assertThat(code(new JobAlreadyFinishedException(3, "done"))).isEqualTo(ExitCodes.CONFLICT);
		assertThat(code(new DaemonUnreachableException(Path.of("/s"), "gone", null)))
			.isEqualTo(ExitCodes.DAEMON_UNREACHABLE);
		assertThat(code(new DaemonFailureException("boom"))).isEqualTo(ExitCodes.INTERNAL_ERROR);
		assertThat(code(new IllegalStateException("bug"))).isEqualTo(ExitCodes.INTERNAL_ERROR);
		assertThat(code(new NotFoundException("schedule-not-found", "no schedule 3"))).isEqualTo(ExitCodes.NOT_FOUND);
	}

	@Test
	void toExitStatusOfAMissingSchedulePointsToTheList() {
		assertThat(
				ClientErrors.toExitStatus(new NotFoundException("schedule-not-found", "no schedule 3")).description())
			.isEqualTo("no schedule 3 (list schedules with 'dilxc-client schedules')");
	}

	@Test
	void toExitStatusOfUnreachableDaemonNamesTheSocketAndTheFix() {
		ExitStatus status = ClientErrors
			.toExitStatus(new DaemonUnreachableException(Path.of("/run/dilxc.sock"), "connection refused", null));
		assertThat(status.description()).isEqualTo("cannot reach the dilxc daemon at /run/dilxc.sock "
				+ "(connection refused). Start it with 'systemctl --user start dilxc' (after deploy/install.sh) or 'dilxc-daemon', or set DILXC_SOCKET.");
	}

	@Test
	void toExitStatusOfUnexpectedErrorsNamesTheExceptionAndTheDebugSwitch() {
		ExitStatus status = ClientErrors.toExitStatus(new IllegalStateException("bug"));
		assertThat(status.description()).isEqualTo(
				"unexpected error: java.lang.IllegalStateException: bug (set DILXC_DEBUG=1 for the stack trace)");
	}

	@Test
	void applyPrintsStackTracesOnlyInDebugMode() {
		StringWriter quiet = new StringWriter();
		new ClientErrors(false, new PrintWriter(quiet)).apply(new IllegalStateException("bug"));
		assertThat(quiet.toString()).isEmpty();
		StringWriter debug = new StringWriter();
		new ClientErrors(true, new PrintWriter(debug)).apply(new IllegalStateException("bug"));
		assertThat(debug.toString()).contains("java.lang.IllegalStateException: bug").contains("\tat ");
	}

	@Test
	void exitCodeMapsSpringShellsNegativeStatuses() {
		assertThat(OneShotRunner.exitCode(ExitStatus.OK)).isZero();
		assertThat(OneShotRunner.exitCode(ExitStatus.USAGE_ERROR)).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(OneShotRunner.exitCode(ExitStatus.EXECUTION_ERROR)).isEqualTo(ExitCodes.INTERNAL_ERROR);
		assertThat(OneShotRunner.exitCode(ExitStatus.AVAILABILITY_ERROR)).isEqualTo(ExitCodes.INTERNAL_ERROR);
		assertThat(OneShotRunner.exitCode(new ExitStatus(11, "timed out"))).isEqualTo(11);
	}

	private static int code(Exception ex) {
		return ClientErrors.toExitStatus(ex).code();
	}

}
