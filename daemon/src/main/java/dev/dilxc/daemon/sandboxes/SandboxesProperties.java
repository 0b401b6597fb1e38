package dev.dilxc.daemon.sandboxes;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The conventions inside every sandbox, as in the original dilxc: user {@code ubuntu}
 * (uid 1000), the working copy in {@code /home/ubuntu/project}, the agent's environment
 * in a 0600 file.
 *
 * @param uid the user the agent runs as
 * @param gid the group the agent runs as
 * @param home that user's home directory
 * @param projectDirectory the working copy the agent works in
 * @param agentEnvFile KEY=VALUE lines loaded into the agent's environment (API key, OAuth
 * token...)
 * @param claudeExecutable the Claude Code CLI inside the sandbox
 * @param killGrace how long the agent's processes get after SIGTERM before SIGKILL
 * @param storagePool the LXD storage pool {@code init} creates sandboxes in
 * @param defaultImage the image {@code init} creates sandboxes from when the request
 * names none
 * @param subuidFile where the host's subordinate uids are (LXD needs {@code root:<uid>:1}
 * for {@code raw.idmap})
 * @param subgidFile where the host's subordinate gids are
 * @param provisionTimeout how long provisioning inside a sandbox may take
 * @param keepOperations how many finished operations (init, update) the daemon remembers
 * @param syncTimeout limit for one {@code sync}, {@code pull} or {@code push} (a large
 * project takes a while)
 */
@ConfigurationProperties("dilxc.sandboxes")
record SandboxesProperties(@DefaultValue("1000") int uid, @DefaultValue("1000") int gid,
		@DefaultValue("/home/ubuntu") String home, @DefaultValue("/home/ubuntu/project") String projectDirectory,
		@DefaultValue("/home/ubuntu/.config/dilxc/agent.env") String agentEnvFile,
		@DefaultValue("claude") String claudeExecutable, @DefaultValue("5s") Duration killGrace,
		@DefaultValue("default") String storagePool, @DefaultValue("dilxc-golden") String defaultImage,
		@DefaultValue("/etc/subuid") String subuidFile, @DefaultValue("/etc/subgid") String subgidFile,
		@DefaultValue("30m") Duration provisionTimeout, @DefaultValue("50") int keepOperations,
		@DefaultValue("30m") Duration syncTimeout) {

	SandboxesProperties {
		if (killGrace == null || killGrace.isNegative() || killGrace.toSeconds() > 60) {
			throw new IllegalArgumentException(
					"dilxc.sandboxes.kill-grace must be between 0s and 60s, not " + killGrace);
		}
		if (syncTimeout == null || syncTimeout.isZero() || syncTimeout.isNegative()) {
			throw new IllegalArgumentException(
					"dilxc.sandboxes.sync-timeout must be a positive duration such as 30m, not " + syncTimeout);
		}
	}
}
