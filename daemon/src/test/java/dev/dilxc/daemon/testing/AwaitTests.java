package dev.dilxc.daemon.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AwaitTests {

	private final AtomicInteger probes = new AtomicInteger();

	@AfterEach
	void clearInterrupt() {
		Thread.interrupted();
	}

	@Test
	void untilReturnsTheFirstValueDoneAccepts() {
		int value = Await.until("the third probe", Duration.ofSeconds(5), Duration.ofMillis(1),
				this.probes::incrementAndGet, (n) -> n >= 3);

		assertThat(value).isEqualTo(3);
		assertThat(this.probes).hasValue(3);
	}

	@Test
	void untilDoesNotPauseWhenTheFirstProbeIsDone() {
		long started = System.nanoTime();

		String value = Await.until("a ready value", Duration.ofSeconds(5), Duration.ofSeconds(5), () -> "ready",
				"ready"::equals);

		assertThat(value).isEqualTo("ready");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
	}

	@Test
	void untilFailsNamingWhatWasAwaitedAndTheLastValueSeen() {
		assertThatThrownBy(() -> Await.until("job 7 to end", Duration.ofMillis(50), Duration.ofMillis(10),
				() -> List.of("RUNNING", this.probes.incrementAndGet()), (seen) -> false))
			.isInstanceOf(AssertionError.class)
			.hasMessageStartingWith("waited 50 ms for job 7 to end (polling every 10 ms); last seen: [RUNNING, ")
			.hasMessageEndingWith(this.probes.get() + "]");
	}

	@Test
	void untilLooksOnceMoreWhenTheLimitIsUp() {
		// A pause longer than the limit: the probe runs at the start and once at the end.
		Await.until("the second look", Duration.ofMillis(50), Duration.ofSeconds(10),
				() -> this.probes.incrementAndGet() == 2);

		assertThat(this.probes).hasValue(2);
	}

	@Test
	void conditionUntilFailsNamingWhatWasAwaited() {
		assertThatThrownBy(() -> Await.until("LXD to answer", Duration.ofMillis(20), Duration.ZERO, () -> false))
			.isInstanceOf(AssertionError.class)
			.hasMessage("waited 20 ms for LXD to answer (polling without a pause)");
	}

	@Test
	void whatTheProbeThrowsEndsTheWaitAtOnce() {
		assertThatThrownBy(
				() -> Await.until("a process that died", Duration.ofSeconds(30), Duration.ofMillis(10), () -> {
					this.probes.incrementAndGet();
					throw new AssertionError("the daemon exited with 1");
				}))
			.isInstanceOf(AssertionError.class)
			.hasMessage("the daemon exited with 1");
		assertThat(this.probes).hasValue(1);
	}

	@Test
	void holdsWithinSaysWhetherTheConditionCameToHold() {
		assertThat(Await.holdsWithin(Duration.ofSeconds(5), Duration.ofMillis(1),
				() -> this.probes.incrementAndGet() >= 2))
			.isTrue();
		assertThat(Await.holdsWithin(Duration.ofMillis(20), Duration.ofMillis(5), () -> false)).isFalse();
	}

	@Test
	void anInterruptEndsTheWaitAndStays() {
		Thread.currentThread().interrupt();

		assertThatThrownBy(() -> Await.until("a release", Duration.ofSeconds(30), Duration.ofMillis(10), () -> false))
			.isInstanceOf(AssertionError.class)
			.hasMessage("interrupted while waiting (at most 30 s) for a release (polling every 10 ms)");
		assertThat(Thread.currentThread().isInterrupted()).isTrue();
		assertThat(Await.holdsWithin(Duration.ofSeconds(30), Duration.ZERO, () -> false)).isFalse();
		assertThat(Thread.currentThread().isInterrupted()).isTrue();
	}

}
