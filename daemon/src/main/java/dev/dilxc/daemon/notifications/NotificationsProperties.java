package dev.dilxc.daemon.notifications;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.dilxc.api.JobState;

/**
 * Notifications when a job ends: a webhook, a local command, or both. Checked when the
 * daemon starts, so a typo fails the start with what to fix instead of losing every
 * notification of the night.
 *
 * @param webhookUrl where to POST each finished job's summary (http or https), or none
 * @param webhookTimeout how long one POST may take (connect and answer) before it counts
 * as failed
 * @param webhookMaxAttempts how often a notification is tried before it is given up
 * @param webhookHeaders extra request headers, e.g. {@code Authorization}; their values
 * are secrets and never logged
 * @param command a local executable (absolute path) and its arguments, run with the
 * summary JSON on stdin, or none
 * @param commandTimeout how long the command may run before it is killed and counts as
 * failed
 * @param commandMaxAttempts how often the command is tried (a non-zero exit or a timeout
 * is a failed try)
 * @param backoffBase the wait after the first failed try; it doubles after each further
 * one
 * @param backoffMax the longest wait between two tries
 * @param on which outcomes notify: {@code all}, {@code failures} (all but SUCCEEDED), or
 * job states
 * @param senderEnabled whether the sender thread starts with the daemon (tests step it by
 * hand)
 */
@ConfigurationProperties("dilxc.notifications")
record NotificationsProperties(@Nullable String webhookUrl, @DefaultValue("10s") Duration webhookTimeout,
		@DefaultValue("8") int webhookMaxAttempts, Map<String, String> webhookHeaders, List<String> command,
		@DefaultValue("30s") Duration commandTimeout, @DefaultValue("3") int commandMaxAttempts,
		@DefaultValue("30s") Duration backoffBase, @DefaultValue("1h") Duration backoffMax,
		@DefaultValue("all") List<String> on, @DefaultValue("true") boolean senderEnabled) {

	private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

	/**
	 * Set by the client (or by HTTP itself); a configured value would be refused or sent
	 * twice.
	 */
	private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-length", "host", "connection",
			"expect", "upgrade", "transfer-encoding", "user-agent");

	private static final String PREFIX = "dilxc.notifications.";

	NotificationsProperties {
		webhookUrl = (webhookUrl == null || webhookUrl.isBlank()) ? null : webhookUrl.strip();
		webhookHeaders = (webhookHeaders != null) ? Map.copyOf(webhookHeaders) : Map.of();
		command = (command != null) ? command.stream().filter((part) -> part != null).toList() : List.of();
		if (command.size() == 1 && command.get(0).isBlank()) {
			command = List.of();
		}
		on = (on != null && !on.isEmpty()) ? List.copyOf(on) : List.of("all");
		if (webhookUrl != null) {
			checkWebhookUrl(webhookUrl);
		}
		webhookHeaders.forEach(NotificationsProperties::checkHeader);
		if (!command.isEmpty()) {
			checkCommand(command.get(0));
		}
		positive("webhook-timeout", webhookTimeout);
		positive("command-timeout", commandTimeout);
		positive("backoff-base", backoffBase);
		positive("backoff-max", backoffMax);
		if (backoffMax.compareTo(backoffBase) < 0) {
			throw new InvalidNotificationSettingsException(
					PREFIX + "backoff-max (" + backoffMax + ") is shorter than " + PREFIX + "backoff-base ("
							+ backoffBase + ")",
					"Set backoff-max to at least backoff-base, e.g. backoff-base=30s and backoff-max=1h.");
		}
		atLeastOne("webhook-max-attempts", webhookMaxAttempts);
		atLeastOne("command-max-attempts", commandMaxAttempts);
		outcomes(on);
	}

	/** The webhook's address, or null when none is set. */
	@Nullable URI webhook() {
		return (this.webhookUrl != null) ? URI.create(this.webhookUrl) : null;
	}

	/** Whether a job that ended in {@code state} is notified. */
	boolean notifies(JobState state) {
		return outcomes(this.on).contains(state);
	}

	/**
	 * The backoff of a channel: the same waits for both, each channel with its own number
	 * of tries.
	 */
	Backoff backoff(Channel channel) {
		int attempts = (channel == Channel.WEBHOOK) ? this.webhookMaxAttempts : this.commandMaxAttempts;
		return new Backoff(this.backoffBase, this.backoffMax, attempts);
	}

	/**
	 * The URL without path, query or credentials: what logs and errors may show (a
	 * Slack-style webhook URL is itself a secret, and a token often rides in the query).
	 */
	static String redacted(URI url) {
		return url.getScheme() + "://" + url.getHost() + ((url.getPort() >= 0) ? ":" + url.getPort() : "");
	}

	private static void checkWebhookUrl(String value) {
		String fix = "Set " + PREFIX
				+ "webhook-url to an absolute http:// or https:// URL, e.g. https://hooks.example.com/dilxc, "
				+ "or leave it unset for no webhook.";
		URI url;
		try {
			url = new URI(value);
		}
		catch (URISyntaxException ex) {
			// The value itself is not repeated: it may carry a token.
			throw new InvalidNotificationSettingsException(
					PREFIX + "webhook-url is not a valid URL: " + ex.getReason() + " at index " + ex.getIndex(), fix);
		}
		String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(Locale.ROOT) : null;
		if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
			throw new InvalidNotificationSettingsException(PREFIX + "webhook-url must be an http or https URL, not "
					+ ((scheme == null) ? "a relative one" : "'" + scheme + ":'"), fix);
		}
		if (url.getHost() == null || url.getHost().isBlank()) {
			throw new InvalidNotificationSettingsException(PREFIX + "webhook-url has no host name", fix);
		}
		if (url.getRawUserInfo() != null) {
			throw new InvalidNotificationSettingsException(
					PREFIX + "webhook-url carries a user name or password, which "
							+ "would be logged with the URL and is not sent by the HTTP client",
					"Remove it from the URL and send it as a header instead, e.g. " + PREFIX
							+ "webhook-headers.Authorization=Basic <base64 of user:password>.");
		}
	}

	private static void checkHeader(String name, String value) {
		String fix = "Use " + PREFIX + "webhook-headers.<Name>=<value>, e.g. " + PREFIX
				+ "webhook-headers.Authorization=Bearer <token>.";
		if (!HEADER_NAME.matcher(name).matches()) {
			throw new InvalidNotificationSettingsException(
					PREFIX + "webhook-headers: '" + name + "' is not a valid HTTP header name", fix);
		}
		if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
			throw new InvalidNotificationSettingsException(
					PREFIX + "webhook-headers: the daemon sets '" + name + "' itself",
					"Remove " + PREFIX + "webhook-headers." + name + ".");
		}
		// The value is never echoed: it is usually a token.
		if (value == null || value.isEmpty() || value.chars().anyMatch((c) -> c == '\r' || c == '\n' || c == 0)) {
			throw new InvalidNotificationSettingsException(
					PREFIX + "webhook-headers." + name + " is empty or contains a line break", fix);
		}
	}

	private static void checkCommand(String executable) {
		String fix = "Set " + PREFIX + "command[0] to the absolute path of an executable file (arguments follow as "
				+ "command[1], command[2], ...), or leave it unset for no command.";
		Path path = Path.of(executable);
		if (!path.isAbsolute()) {
			throw new InvalidNotificationSettingsException(
					PREFIX + "command '" + executable + "' is not an absolute path (the daemon's PATH is not yours)",
					fix);
		}
		if (!Files.isRegularFile(path)) {
			throw new InvalidNotificationSettingsException(PREFIX + "command " + executable + " does not exist", fix);
		}
		if (!Files.isExecutable(path)) {
			throw new InvalidNotificationSettingsException(PREFIX + "command " + executable + " is not executable",
					"Make it executable (chmod +x " + executable + ").");
		}
	}

	private static void positive(String name, Duration value) {
		if (value.isZero() || value.isNegative()) {
			throw new InvalidNotificationSettingsException(PREFIX + name + " must be positive, not " + value,
					"Give a duration such as 10s, 5m or 1h.");
		}
	}

	private static void atLeastOne(String name, int value) {
		if (value < 1) {
			throw new InvalidNotificationSettingsException(PREFIX + name + " must be at least 1, not " + value,
					"Give the number of tries, e.g. 8.");
		}
	}

	private static Set<JobState> outcomes(List<String> on) {
		EnumSet<JobState> states = EnumSet.noneOf(JobState.class);
		for (String value : on) {
			String word = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
			switch (word) {
				case "ALL" -> states.addAll(terminal());
				case "FAILURES" -> terminal().stream().filter((s) -> s != JobState.SUCCEEDED).forEach(states::add);
				default -> {
					JobState state = null;
					for (JobState candidate : terminal()) {
						if (candidate.name().equals(word)) {
							state = candidate;
						}
					}
					if (state == null) {
						throw new InvalidNotificationSettingsException(PREFIX + "on: '" + value + "' is not an outcome",
								"Use all, failures, or job states: succeeded, failed, timed-out, "
										+ "cancelled, interrupted (comma-separated).");
					}
					states.add(state);
				}
			}
		}
		return states;
	}

	private static List<JobState> terminal() {
		return EnumSet.allOf(JobState.class).stream().filter(JobState::isTerminal).toList();
	}
}
