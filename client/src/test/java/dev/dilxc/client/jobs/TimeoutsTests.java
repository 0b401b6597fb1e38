package dev.dilxc.client.jobs;

import java.time.Duration;

import dev.dilxc.client.shell.UsageException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TimeoutsTests {

	@ParameterizedTest
	@CsvSource({ "90s, 90", "30m, 1800", "2h, 7200", "1h30m, 5400", "1h30m15s, 5415", "45m30s, 2730", "1H, 3600",
			"' 10m ', 600", "100h, 360000" })
	void parseAcceptsHoursMinutesSeconds(String text, long seconds) {
		assertThat(Timeouts.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "0", "0s", "0h0m", "-5m", "90", "1.5h", "30 m", "30min", "m", "1m1h", "soon",
			"1h 30m", "99999999999h" })
	void parseWhenNotAPositiveDurationThrowsUsage(String text) {
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> Timeouts.parse(text))
			.withMessageStartingWith("invalid --timeout '" + text + "'")
			.withMessageContaining("90s, 30m, 2h or 1h30m");
	}

	@ParameterizedTest
	@CsvSource({ "45, 45s", "90, 1m30s", "1800, 30m", "3600, 1h", "5400, 1h30m", "5415, 1h30m15s" })
	void formatIsTheInverseOfParse(long seconds, String text) {
		assertThat(Timeouts.format(seconds)).isEqualTo(text);
		assertThat(Timeouts.parse(text).toSeconds()).isEqualTo(seconds);
	}

}
