package dev.dilxc.daemon.sandboxes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import dev.dilxc.api.OperationEvent;
import dev.dilxc.api.OperationState;
import dev.dilxc.api.OperationView;
import dev.dilxc.api.ProblemTypes;
import dev.dilxc.daemon.testing.Await;

class OperationsTests {

	private final Operations operations = new Operations(Clock.systemUTC(),
			properties(Map.of("dilxc.sandboxes.keep-operations", "2")));

	@AfterEach
	void stop() {
		this.operations.stop();
	}

	static SandboxesProperties properties(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("dilxc.sandboxes",
				SandboxesProperties.class);
	}

	@Test
	void eventsAreNumberedFromOneAndAfterReturnsOnlyLaterOnes() throws Exception {
		OperationView started = this.operations.start("init", "box", Set.of(), (op) -> {
			op.step(1, 2, "first");
			op.line("output");
			op.warning("careful");
			op.step(2, 2, "second");
		});
		Operation operation = awaitEnd(started.id());

		assertThat(operation.view().state()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(operation.view().finishedAt()).isNotNull();
		assertThat(operation.eventsAfter(0)).extracting(OperationEvent::seq).containsExactly(1L, 2L, 3L, 4L);
		assertThat(operation.eventsAfter(0)).extracting(OperationEvent::kind)
			.containsExactly("step", "line", "warning", "step");
		assertThat(operation.eventsAfter(0).get(3)).satisfies((e) -> {
			assertThat(e.step()).isEqualTo(2);
			assertThat(e.steps()).isEqualTo(2);
			assertThat(e.text()).isEqualTo("second");
		});
		assertThat(operation.eventsAfter(2)).extracting(OperationEvent::text).containsExactly("careful", "second");
		assertThat(operation.eventsAfter(4)).isEmpty();
	}

	@Test
	void secondOperationOnTheSameSandboxWhileOneRunsIsRefusedBusyButOtherSandboxesRun() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		OperationView first = this.operations.start("init", "box", Set.of(),
				(op) -> release.await(30, TimeUnit.SECONDS));

		assertThatThrownBy(() -> this.operations.start("init", "box", Set.of(), (op) -> {
		})).isInstanceOfSatisfying(SandboxException.Busy.class, (ex) -> {
			assertThat(ex.problemType()).isEqualTo(ProblemTypes.SANDBOX_BUSY);
			assertThat(ex.getMessage()).contains("init operation " + first.id());
		});
		assertThat(this.operations.isBusy("box")).isTrue();
		OperationView other = this.operations.start("init", "other-box", Set.of(), (op) -> {
		});
		assertThat(awaitEnd(other.id()).view().state()).isEqualTo(OperationState.SUCCEEDED);

		release.countDown();
		awaitEnd(first.id());
		assertThat(this.operations.isBusy("box")).isFalse();
		OperationView again = this.operations.start("update", "box", Set.of(), (op) -> {
		});
		assertThat(awaitEnd(again.id()).view().state()).isEqualTo(OperationState.SUCCEEDED);
	}

	@Test
	void failureEndsFailedWithItsMessageAndUnexpectedErrorsSayTheLogHasDetails() throws Exception {
		OperationView failing = this.operations.start("init", "a", Set.of(), (op) -> {
			throw new OperationFailure("provisioning failed. Fix: this");
		});
		OperationView crashing = this.operations.start("init", "b", Set.of(), (op) -> {
			throw new IllegalStateException("boom");
		});

		assertThat(awaitEnd(failing.id()).view()).satisfies((view) -> {
			assertThat(view.state()).isEqualTo(OperationState.FAILED);
			assertThat(view.error()).isEqualTo("provisioning failed. Fix: this");
		});
		assertThat(awaitEnd(crashing.id()).view().error()).contains("IllegalStateException: boom", "log");
	}

	@Test
	void secretsAreMaskedInEveryEventAndInTheError() throws Exception {
		String secret = "sk-ant-secret-123456";
		OperationView started = this.operations.start("init", "box", Set.of(secret), (op) -> {
			op.line("the key is " + secret);
			op.warning(secret);
			throw new OperationFailure("failed with " + secret);
		});
		Operation operation = awaitEnd(started.id());

		assertThat(operation.eventsAfter(0)).extracting(OperationEvent::text)
			.containsExactly("the key is [masked]", "[masked]");
		assertThat(operation.view().error()).isEqualTo("failed with [masked]");
	}

	@Test
	void onlyTheNewestFinishedOperationsAreRemembered() throws Exception {
		long first = this.operations.start("init", "a", Set.of(), (op) -> {
		}).id();
		awaitEnd(first);
		long second = this.operations.start("init", "a", Set.of(), (op) -> {
		}).id();
		awaitEnd(second);
		long third = this.operations.start("init", "a", Set.of(), (op) -> {
		}).id();
		awaitEnd(third);

		assertThat(this.operations.find(first)).isEmpty();
		assertThat(this.operations.find(second)).isPresent();
		assertThat(this.operations.find(third)).isPresent();
		assertThat(third).isGreaterThan(second).isGreaterThan(first);
	}

	@Test
	void outputBeyondTheLimitIsCutWithOneWarningButStepsAreKept() throws Exception {
		OperationView started = this.operations.start("init", "box", Set.of(), (op) -> {
			for (int i = 0; i < Operation.MAX_EVENTS + 10; i++) {
				op.line("line " + i);
			}
			op.step(2, 2, "after the flood");
		});
		Operation operation = awaitEnd(started.id());

		var events = operation.eventsAfter(0);
		assertThat(events).filteredOn((e) -> e.kind().equals("warning"))
			.singleElement()
			.satisfies((e) -> assertThat(e.text()).contains("output cut"));
		assertThat(events.get(events.size() - 1).text()).isEqualTo("after the flood");
	}

	private Operation awaitEnd(long id) {
		Operation operation = this.operations.find(id).orElseThrow();
		Await.until("operation " + id + " to end and free its sandbox", Duration.ofSeconds(30), Duration.ofMillis(10),
				operation::view, (view) -> view.state().isTerminal() && !this.operations.isBusy(view.sandbox()));
		return operation;
	}

}
