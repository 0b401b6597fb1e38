package dev.dilxc.api;

import org.jspecify.annotations.Nullable;

/**
 * {@code init}: create a sandbox, or converge an existing one to this description. Only
 * {@code name} and {@code projectPath} are required; null means "the daemon's default"
 * (or, on a re-run, "leave as is").
 *
 * @param name the LXD instance name
 * @param projectPath absolute host path of the project, mounted read-only at
 * {@code /home/ubuntu/project-src}
 * @param deployPath absolute host path mounted read-write at {@code /mnt/deploy}, or null
 * for none
 * @param image the image alias or fingerprint to create from, or null for the daemon's
 * default
 * @param fish install fish and make it the {@code ubuntu} user's shell
 * @param cpu {@code limits.cpu} (a count), or null
 * @param memory {@code limits.memory} (e.g. {@code 8GiB}), or null
 * @param credentials the agent's credentials for {@code agent.env}, or null to keep what
 * is there
 * @param customProvisionScript the content of the user's {@code custom-provision.sh}, or
 * null for none
 * @param hostAuth the host's ssh-agent socket and gh config, for auth forwarding
 * @param target where a new sandbox goes in an LXD or Incus cluster: a member's name, or
 * {@code @group} for a cluster group; null lets the cluster place it. Ignored for an
 * existing sandbox (it stays where it is).
 */
public record InitSandboxRequest(String name, String projectPath, @Nullable String deployPath, @Nullable String image,
		boolean fish, @Nullable Integer cpu, @Nullable String memory, @Nullable AgentCredentials credentials,
		@Nullable String customProvisionScript, @Nullable HostAuth hostAuth, @Nullable String target) {

	/** A request with no cluster target (from a client older than clusters). */
	public InitSandboxRequest(String name, String projectPath, @Nullable String deployPath, @Nullable String image,
			boolean fish, @Nullable Integer cpu, @Nullable String memory, @Nullable AgentCredentials credentials,
			@Nullable String customProvisionScript, @Nullable HostAuth hostAuth) {
		this(name, projectPath, deployPath, image, fish, cpu, memory, credentials, customProvisionScript, hostAuth,
				null);
	}

}
