package dev.dilxc.api;

import org.jspecify.annotations.Nullable;

/**
 * The agent's credentials, taken from the user's environment by the client and written by
 * the daemon into the sandbox's {@code agent.env} (mode 0600, owned by {@code ubuntu}).
 * They never appear on a command line, in LXD config, in a log or in stored output;
 * {@link #toString()} masks them.
 *
 * @param anthropicApiKey {@code ANTHROPIC_API_KEY}, or null
 * @param claudeCodeOauthToken {@code CLAUDE_CODE_OAUTH_TOKEN}, or null
 */
public record AgentCredentials(@Nullable String anthropicApiKey, @Nullable String claudeCodeOauthToken) {

	public boolean isEmpty() {
		return isBlank(this.anthropicApiKey) && isBlank(this.claudeCodeOauthToken);
	}

	private static boolean isBlank(@Nullable String value) {
		return value == null || value.isBlank();
	}

	@Override
	public String toString() {
		return "AgentCredentials[anthropicApiKey=" + (isBlank(this.anthropicApiKey) ? "none" : "****")
				+ ", claudeCodeOauthToken=" + (isBlank(this.claudeCodeOauthToken) ? "none" : "****") + "]";
	}
}
