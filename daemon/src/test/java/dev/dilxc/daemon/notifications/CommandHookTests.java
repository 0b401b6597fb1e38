package dev.dilxc.daemon.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The local notification command run for real: whatever it does with its stdin, the
 * sender's thread gets its answer by the timeout.
 */
class CommandHookTests {

	private static final Duration HANG = Duration.ofSeconds(20);

	@Test
	void aHookThatNeverReadsALargePayloadIsKilledAtItsTimeoutAndReportedWithItsStderr() {
		CommandHook hook = new CommandHook(List.of("sh", "-c", "echo 'stuck on the network' >&2; sleep 60"),
				Duration.ofMillis(500));
		String payload = "{\"job\":\"" + "x".repeat(1024 * 1024) + "\"}";

		Delivery delivery = assertTimeoutPreemptively(HANG, () -> hook.run(payload, Map.of()));

		assertThat(delivery.delivered()).isFalse();
		assertThat(delivery.detail()).isEqualTo("sh did not finish within 500 ms (dilxc.notifications.command-timeout)"
				+ " and was killed; stderr: stuck on the network");
	}

	@Test
	void aHooksStderrIsCutToItsLastBytes() throws Exception {
		CommandHook hook = new CommandHook(
				List.of("sh", "-c", "head -c 100000 /dev/zero | tr '\\0' e >&2; " + "echo ' the end' >&2; exit 4"),
				Duration.ofSeconds(10));

		Delivery delivery = hook.run("{}", Map.of());

		assertThat(delivery.delivered()).isFalse();
		assertThat(delivery.detail()).startsWith("sh exited with 4; stderr: eee").endsWith("eee the end");
		assertThat(delivery.detail()).hasSizeLessThan(CommandHook.STDERR_TAIL + 50);
	}

	@Test
	void aHookThatCannotStartIsAFailedTryNamingIt() throws Exception {
		CommandHook hook = new CommandHook(List.of("/nonexistent/notify-me"), Duration.ofSeconds(5));

		Delivery delivery = hook.run("{}", Map.of());

		assertThat(delivery.delivered()).isFalse();
		assertThat(delivery.detail()).startsWith("cannot start /nonexistent/notify-me: ");
	}

}
