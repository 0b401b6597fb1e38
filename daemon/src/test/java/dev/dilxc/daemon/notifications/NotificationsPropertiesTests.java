package dev.dilxc.daemon.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dilxc.api.JobState;

/** The notification settings' checks, their messages, and what they mean. */
class NotificationsPropertiesTests {

	@TempDir
	Path directory;

	@Test
	void defaultsNotifyEveryOutcomeOnNoChannel() {
		NotificationsProperties properties = properties(null, Map.of(), List.of(), List.of());
		assertThat(properties.webhook()).isNull();
		assertThat(properties.command()).isEmpty();
		assertThat(JobState.values()).filteredOn(JobState::isTerminal).allMatch(properties::notifies);
		assertThat(properties.notifies(JobState.RUNNING)).isFalse();
		assertThat(properties.backoff(Channel.WEBHOOK))
			.isEqualTo(new Backoff(Duration.ofSeconds(30), Duration.ofHours(1), 8));
	}

	@Test
	void onFailuresNotifiesEverythingButSuccessAndStatesMayBeListed() {
		NotificationsProperties failures = properties(null, Map.of(), List.of(), List.of("failures"));
		assertThat(failures.notifies(JobState.SUCCEEDED)).isFalse();
		assertThat(failures.notifies(JobState.FAILED)).isTrue();
		assertThat(failures.notifies(JobState.INTERRUPTED)).isTrue();
		NotificationsProperties listed = properties(null, Map.of(), List.of(), List.of("failed", " Timed-Out"));
		assertThat(JobState.values()).filteredOn(listed::notifies).containsExactly(JobState.FAILED, JobState.TIMED_OUT);
	}

	@Test
	void unknownOutcomeIsRefusedNamingTheKnownOnes() {
		assertThatThrownBy(() -> properties(null, Map.of(), List.of(), List.of("failed-only")))
			.isInstanceOf(InvalidNotificationSettingsException.class)
			.hasMessage("dilxc.notifications.on: 'failed-only' is not an outcome")
			.satisfies((ex) -> assertThat(((InvalidNotificationSettingsException) ex).action()).contains("failures")
				.contains("timed-out"));
	}

	@Test
	void webhookUrlMustBeAbsoluteHttpWithAHostAndNoCredentials() {
		assertThat(properties("https://hooks.example.com/x?t=1", Map.of(), List.of(), List.of()).webhook())
			.isEqualTo(URI.create("https://hooks.example.com/x?t=1"));
		assertThatThrownBy(() -> properties("hooks.example.com/x", Map.of(), List.of(), List.of()))
			.hasMessage("dilxc.notifications.webhook-url must be an http or https URL, not a relative one");
		assertThatThrownBy(() -> properties("http:///path", Map.of(), List.of(), List.of()))
			.hasMessage("dilxc.notifications.webhook-url has no host name");
		assertThatThrownBy(() -> properties("https://me:pw-secret@hooks.example.com/", Map.of(), List.of(), List.of()))
			.hasMessageStartingWith("dilxc.notifications.webhook-url carries a user name or password")
			.hasMessageNotContaining("pw-secret");
		assertThatThrownBy(() -> properties("https://hooks.example.com/a b?token=abc", Map.of(), List.of(), List.of()))
			.hasMessage("dilxc.notifications.webhook-url is not a valid URL: Illegal character in path at index 27")
			.hasMessageNotContaining("token");
	}

	@Test
	void headersTheDaemonSetsItselfOrBadNamesAreRefused() {
		assertThatThrownBy(
				() -> properties("https://h.example", Map.of("Content-Type", "text/plain"), List.of(), List.of()))
			.hasMessage("dilxc.notifications.webhook-headers: the daemon sets 'Content-Type' itself");
		assertThatThrownBy(() -> properties("https://h.example", Map.of("Bad Name", "x"), List.of(), List.of()))
			.hasMessage("dilxc.notifications.webhook-headers: 'Bad Name' is not a valid HTTP header name");
	}

	@Test
	void commandMustBeAnAbsolutePathToAnExecutable() throws Exception {
		Path script = Files.writeString(this.directory.resolve("hook.sh"), "#!/bin/sh\n");
		assertThatThrownBy(() -> properties(null, Map.of(), List.of(script.toString()), List.of()))
			.hasMessage("dilxc.notifications.command " + script + " is not executable")
			.satisfies((ex) -> assertThat(((InvalidNotificationSettingsException) ex).action())
				.isEqualTo("Make it executable (chmod +x " + script + ")."));
		assertThatThrownBy(
				() -> properties(null, Map.of(), List.of(this.directory.resolve("none").toString()), List.of()))
			.hasMessageEndingWith("does not exist");
		assertThat(script.toFile().setExecutable(true)).isTrue();
		assertThat(properties(null, Map.of(), List.of(script.toString(), "--quiet"), List.of()).command())
			.containsExactly(script.toString(), "--quiet");
	}

	@Test
	void backoffDoublesUpToItsMaximumLessAtMostAFifthOfJitter() {
		Backoff backoff = new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(5), 8);
		assertThat(List.of(1, 2, 3, 4, 5, 6)).map(backoff::longest)
			.containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120),
					Duration.ofSeconds(240), Duration.ofMinutes(5), Duration.ofMinutes(5));
		assertThat(backoff.delayAfter(3, () -> 0.0)).isEqualTo(Duration.ofSeconds(120));
		assertThat(backoff.delayAfter(3, () -> 0.999999)).isEqualTo(Duration.ofSeconds(96));
		assertThat(backoff.shortest(3)).isEqualTo(Duration.ofSeconds(96));
		assertThat(backoff.tryAgain(7)).isTrue();
		assertThat(backoff.tryAgain(8)).isFalse();
	}

	@Test
	void backoffMaxShorterThanItsBaseIsRefused() {
		assertThatThrownBy(() -> new NotificationsProperties(null, Duration.ofSeconds(10), 8, Map.of(), List.of(),
				Duration.ofSeconds(30), 3, Duration.ofMinutes(5), Duration.ofMinutes(1), List.of(), true))
			.hasMessage(
					"dilxc.notifications.backoff-max (PT1M) is shorter than dilxc.notifications.backoff-base (PT5M)");
	}

	private static NotificationsProperties properties(String url, Map<String, String> headers, List<String> command,
			List<String> on) {
		return new NotificationsProperties(url, Duration.ofSeconds(10), 8, headers, command, Duration.ofSeconds(30), 3,
				Duration.ofSeconds(30), Duration.ofHours(1), on, true);
	}

}
