package dev.dilxc.daemon.system;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.dilxc.daemon.MonotonicClock;

/**
 * Daemon-wide beans: the clock everything reads "now" from (timestamps stored and shown),
 * and the monotonic clock deadlines are measured on (a job's timeout and inactivity
 * limit), which wall-clock jumps do not move.
 */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	MonotonicClock monotonicClock() {
		return MonotonicClock.SYSTEM;
	}

}
