package dev.dilxc.daemon.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dilxc.daemon.testing.Await;

/**
 * The one runner of child processes, run on real programs: its deadline covers stdin,
 * output and exit, and a process past it is killed with its children.
 */
class ProcessRunnerTests {

	/** Far beyond any deadline in these tests: reaching it means the runner hung. */
	private static final Duration HANG = Duration.ofSeconds(20);

	private final ProcessRunner runner = new ProcessRunner();

	@TempDir
	Path dir;

	@Test
	void stdoutStderrAndTheExitCodeComeBackApartAndStdinReachesTheProgram() {
		ProcessResult result = this.runner.run(List.of("sh", "-c", "cat; echo oops >&2; exit 3"),
				"from stdin".getBytes(), Duration.ofSeconds(10));

		assertThat(result.exitCode()).isEqualTo(3);
		assertThat(result.stdout()).isEqualTo("from stdin");
		assertThat(result.stderr()).isEqualTo("oops\n");
		assertThat(result.command()).containsExactly("sh", "-c", "cat; echo oops >&2; exit 3");
	}

	@Test
	void environmentVariablesAreAddedToTheDaemonsOwn() {
		ProcessResult result = this.runner
			.run(ProcessCall.of(List.of("sh", "-c", "echo $DILXC_X:${PATH:+path}"), Duration.ofSeconds(10))
				.withEnvironment(Map.of("DILXC_X", "given")));

		assertThat(result.stdout()).isEqualTo("given:path\n");
	}

	@Test
	void onlyTheLastBytesOfALongOutputAreKept() {
		ProcessResult result = this.runner.run(
				ProcessCall
					.of(List.of("sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' a; echo END; echo ERR-END >&2"),
							Duration.ofSeconds(10))
					.keepingLast(8));

		assertThat(result.stdout()).isEqualTo("aaaaEND\n");
		assertThat(result.stderr()).isEqualTo("ERR-END\n");
	}

	@Test
	void aProgramThatCannotStartIsReportedByName() {
		assertThatExceptionOfType(ProcessStartException.class)
			.isThrownBy(() -> this.runner.run(List.of("/nonexistent/dilxc-tool"), new byte[0], Duration.ofSeconds(5)))
			.withMessageStartingWith("could not run '/nonexistent/dilxc-tool'");
	}

	@Test
	void aProgramThatNeverReadsALargeStdinIsStoppedAtTheDeadline() {
		byte[] megabyte = new byte[1024 * 1024];
		ProcessCall call = ProcessCall.of(List.of("sh", "-c", "echo waiting >&2; sleep 60"), Duration.ofMillis(500))
			.withStdin(megabyte);

		ProcessTimeoutException timeout = assertTimeoutPreemptively(HANG,
				() -> catchTimeout(() -> this.runner.run(call)));

		assertThat(timeout)
			.hasMessage("'sh -c echo waiting >&2; sleep 60 …' did not finish within 500 ms and was stopped");
		assertThat(timeout.stderr()).isEqualTo("waiting\n");
	}

	@Test
	void aChildThatKeepsTheOutputOpenAfterItsParentExitedCannotHoldTheCaller() throws Exception {
		Path pid = this.dir.resolve("orphan.pid");
		// The orphan holds stdout for a minute, far past HANG: a runner that waited for
		// the end of the output would fail here. Whether zt-exec reports the parent's
		// exit
		// or the deadline is its own business; the caller must have its answer.
		ProcessCall call = ProcessCall.of(List.of("sh", "-c", "sleep 60 & echo $! > '" + pid + "'; echo started"),
				Duration.ofMillis(500));
		try {
			assertTimeoutPreemptively(HANG, () -> {
				try {
					assertThat(this.runner.run(call).exitCode()).isZero();
				}
				catch (ProcessTimeoutException ex) {
					assertThat(ex).hasMessageContaining("did not finish within 500 ms");
				}
			});
		}
		finally {
			ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroyForcibly);
		}
	}

	@Test
	void aProcessPastItsDeadlineIsKilledWithItsChildren() throws Exception {
		Path pid = this.dir.resolve("child.pid");
		ProcessCall call = ProcessCall.of(List.of("sh", "-c", "sleep 60 & echo $! > '" + pid + "'; wait"),
				Duration.ofSeconds(1));

		assertTimeoutPreemptively(HANG, () -> catchTimeout(() -> this.runner.run(call)));

		long child = Long.parseLong(Files.readString(pid).strip());
		Await.until("the child sleep " + child + " to be killed", Duration.ofSeconds(10), Duration.ofMillis(50),
				() -> ProcessHandle.of(child).map((handle) -> !handle.isAlive()).orElse(true));
	}

	@Test
	void anInterruptedCallerKillsTheProcessAndKeepsItsInterruptFlag() throws Exception {
		Path pid = this.dir.resolve("own.pid");
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		AtomicReference<Boolean> flag = new AtomicReference<>();
		Thread caller = Thread.ofPlatform().start(() -> {
			try {
				this.runner.run(List.of("sh", "-c", "echo $$ > '" + pid + "'; exec sleep 60"), new byte[0],
						Duration.ofSeconds(60));
			}
			catch (RuntimeException ex) {
				thrown.set(ex);
				flag.set(Thread.currentThread().isInterrupted());
			}
		});
		Await.until("the program to start", Duration.ofSeconds(10), Duration.ofMillis(20),
				() -> Files.exists(pid) && !readQuietly(pid).isBlank());
		long process = Long.parseLong(readQuietly(pid).strip());

		caller.interrupt();
		caller.join(HANG);

		assertThat(thrown.get()).isInstanceOf(ProcessStartException.class);
		assertThat(flag.get()).isTrue();
		Await.until("sleep " + process + " to be killed", Duration.ofSeconds(10), Duration.ofMillis(50),
				() -> ProcessHandle.of(process).map((handle) -> !handle.isAlive()).orElse(true));
	}

	private static ProcessTimeoutException catchTimeout(Runnable call) {
		try {
			call.run();
		}
		catch (ProcessTimeoutException ex) {
			return ex;
		}
		throw new AssertionError("the call finished; it should have timed out");
	}

	private static String readQuietly(Path file) {
		try {
			return Files.readString(file);
		}
		catch (java.io.IOException ex) {
			return "";
		}
	}

}
