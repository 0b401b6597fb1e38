package dev.dilxc.daemon.system;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The daemon's health report ({@code GET /api/system/status}).
 *
 * @param lxdTimeout how long the report waits for LXD to answer before it calls LXD
 * unreachable; short, so {@code dilxc-client status} still answers quickly when LXD hangs
 * or is down
 */
@ConfigurationProperties("dilxc.status")
record StatusProperties(@DefaultValue("3s") Duration lxdTimeout) {

	StatusProperties {
		if (lxdTimeout == null || lxdTimeout.isZero() || lxdTimeout.isNegative()) {
			throw new IllegalArgumentException(
					"dilxc.status.lxd-timeout must be a positive duration such as 3s, not " + lxdTimeout);
		}
	}
}
