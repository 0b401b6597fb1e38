package dev.dilxc.daemon.schedules;

import java.time.Duration;
import java.time.ZoneId;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.dilxc.api.OverlapPolicy;

/**
 * Schedules: the defaults a {@code schedule add} gets when it names none.
 *
 * @param catchUp after the daemon was down across a schedule's slot, the latest missed
 * slot is still run once if it is at most this old; older ones are recorded as missed
 * @param overlap what a firing does while the schedule's previous run is still queued or
 * running
 * @param timeZone the zone a cron expression is read in when the schedule names none;
 * empty for the system's
 */
@ConfigurationProperties("dilxc.schedules")
record SchedulesProperties(@DefaultValue("6h") Duration catchUp, @DefaultValue("skip") OverlapPolicy overlap,
		@DefaultValue("") @Nullable String timeZone) {

	SchedulesProperties {
		if (catchUp.isNegative()) {
			throw new IllegalArgumentException("dilxc.schedules.catch-up must not be negative, not " + catchUp);
		}
		zone(timeZone);
	}

	ZoneId zone() {
		return zone(this.timeZone);
	}

	private static ZoneId zone(@Nullable String timeZone) {
		try {
			return (timeZone == null || timeZone.isBlank()) ? ZoneId.systemDefault() : ZoneId.of(timeZone.strip());
		}
		catch (java.time.DateTimeException ex) {
			throw new IllegalArgumentException(
					"dilxc.schedules.time-zone '" + timeZone + "' is not a zone: use an IANA "
							+ "name such as Europe/Berlin or UTC, or leave it empty for the system's zone");
		}
	}
}
