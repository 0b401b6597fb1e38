package dev.dilxc.daemon.cluster;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Several daemons on one PostgreSQL database ({@link DaemonRegistry}). Nothing here
 * matters with H2, where one daemon owns the file.
 *
 * @param daemonName what this daemon is called in {@code status} and {@code jobs}; the
 * host's name when unset. Each start adds a random suffix to make the run's id.
 * @param heartbeatInterval how often this daemon renews its heartbeat, and looks for dead
 * daemons whose jobs need settling
 * @param deadAfter how old a daemon's heartbeat may be before the others declare it dead
 * and settle its jobs: several heartbeats, so a slow moment is not a death
 * @param clockSkewWarning how far this host's clock may be from the database server's
 * before {@code status} warns (schedules and timeouts assume synchronized clocks)
 * @param localClaimGrace with several daemons in front of an LXD or Incus cluster: how
 * long a queued job whose sandbox lives on another live daemon's member is left to that
 * daemon before this one claims it (that daemon saves a hop on every call of the job); 0
 * claims at once
 * @param memberCheckInterval in an LXD or Incus cluster: how often a running job looks at
 * its sandbox's member, and how old the daemon's view of the members may be when it
 * chooses jobs
 */
@ConfigurationProperties("dilxc.cluster")
public record ClusterProperties(@Nullable String daemonName, @DefaultValue("5s") Duration heartbeatInterval,
		@DefaultValue("30s") Duration deadAfter, @DefaultValue("1s") Duration clockSkewWarning,
		@DefaultValue("2s") Duration localClaimGrace, @DefaultValue("2s") Duration memberCheckInterval) {

	public ClusterProperties {
		if (daemonName != null && daemonName.isBlank()) {
			daemonName = null;
		}
		if (daemonName != null && !daemonName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
			throw new IllegalArgumentException("dilxc.cluster.daemon-name must be 1 to 63 letters, digits, '.', '_' "
					+ "or '-', starting with a letter or digit, not '" + daemonName + "'");
		}
		if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
			throw new IllegalArgumentException(
					"dilxc.cluster.heartbeat-interval must be more than 0, not " + heartbeatInterval);
		}
		if (localClaimGrace.isNegative()) {
			throw new IllegalArgumentException(
					"dilxc.cluster.local-claim-grace must be 0 or more, not " + localClaimGrace);
		}
		if (memberCheckInterval.isNegative() || memberCheckInterval.isZero()) {
			throw new IllegalArgumentException(
					"dilxc.cluster.member-check-interval must be more than 0, not " + memberCheckInterval);
		}
		if (deadAfter.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
			throw new IllegalArgumentException("dilxc.cluster.dead-after (" + deadAfter
					+ ") must be at least twice dilxc.cluster.heartbeat-interval (" + heartbeatInterval
					+ "), or a daemon between two heartbeats would be taken for dead");
		}
	}

}
