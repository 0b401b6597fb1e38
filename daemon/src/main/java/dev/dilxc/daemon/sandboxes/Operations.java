package dev.dilxc.daemon.sandboxes;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.dilxc.api.OperationView;
import dev.dilxc.daemon.LogContext;
import dev.dilxc.daemon.leases.SandboxBusyException;
import dev.dilxc.daemon.leases.SandboxLease;
import dev.dilxc.daemon.leases.SandboxLeases;
import dev.dilxc.daemon.lxd.LxdException;

/**
 * The daemon's long sandbox operations, in memory: ids, state and events. At most one
 * operation runs per sandbox; they run on a small pool of their own threads, so a client
 * that goes away does not stop them. Only the newest
 * {@code dilxc.sandboxes.keep-operations} finished ones are remembered.
 */
@Component
class Operations {

	private static final Logger logger = LoggerFactory.getLogger(Operations.class);

	/**
	 * What an operation does; it reports through the operation and ends by returning or
	 * throwing.
	 */
	@FunctionalInterface
	interface Body {

		void run(Operation operation) throws Exception;

	}

	private final Clock clock;

	private final int keep;

	private final ExecutorService executor;

	private final Map<Long, Operation> byId = new HashMap<>();

	private final Map<String, Operation> runningBySandbox = new HashMap<>();

	private final Deque<Operation> finished = new ArrayDeque<>();

	private long lastId;

	Operations(Clock clock, SandboxesProperties properties) {
		this.clock = clock;
		this.keep = Math.max(1, properties.keepOperations());
		AtomicInteger threads = new AtomicInteger();
		ThreadFactory factory = (runnable) -> {
			Thread thread = new Thread(runnable, "dilxc-operation-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		this.executor = Executors.newFixedThreadPool(2, factory);
	}

	/**
	 * Starts an operation on a sandbox, or refuses with sandbox-busy if one is already
	 * running there. {@code secrets} are masked in everything the operation reports.
	 */
	OperationView start(String kind, String sandbox, Set<String> secrets, Body body) {
		Operation operation;
		synchronized (this) {
			Operation running = this.runningBySandbox.get(sandbox);
			if (running != null) {
				throw new SandboxException.Busy(
						"sandbox '" + sandbox + "' is busy with " + running.view().kind() + " operation " + running.id()
								+ ": wait for it to finish (dilxc-client follows it) and try again");
			}
			operation = new Operation(++this.lastId, kind, sandbox, this.clock, secrets);
			this.byId.put(operation.id(), operation);
			this.runningBySandbox.put(sandbox, operation);
		}
		this.executor.execute(() -> run(operation, body));
		return operation.view();
	}

	Optional<Operation> find(long id) {
		synchronized (this) {
			return Optional.ofNullable(this.byId.get(id));
		}
	}

	/**
	 * As {@link #start}, holding the sandbox's lease from before the operation starts
	 * until it ends, so no job is claimed on the sandbox meanwhile;
	 * {@link SandboxBusyException} if a job or operation holds it.
	 */
	OperationView startLeased(SandboxLeases leases, String kind, String sandbox, Set<String> secrets, Body body) {
		SandboxLease lease = leases.acquire(sandbox, kind);
		try {
			return start(kind, sandbox, secrets, (operation) -> {
				try {
					body.run(operation);
				}
				finally {
					leases.release(lease);
				}
			});
		}
		catch (RuntimeException ex) {
			leases.release(lease);
			throw ex;
		}
	}

	/** Whether an operation is running on the sandbox now. */
	synchronized boolean isBusy(String sandbox) {
		return this.runningBySandbox.containsKey(sandbox);
	}

	private void run(Operation operation, Body body) {
		try (LogContext log = LogContext.sandbox(operation.sandbox())) {
			body.run(operation);
			operation.succeed();
		}
		catch (OperationFailure | SandboxException ex) {
			operation.fail(ex.getMessage());
		}
		catch (LxdException ex) {
			operation.fail("LXD failed: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			operation.fail("the daemon stopped while the operation ran; run it again, it converges");
		}
		catch (Exception ex) {
			logger.error("Operation {} ({}) on sandbox {} failed unexpectedly", operation.id(), operation.view().kind(),
					operation.sandbox(), ex);
			operation.fail("the daemon failed unexpectedly (" + ex.getClass().getSimpleName() + ": " + ex.getMessage()
					+ "); its log has the details");
		}
		finally {
			if (!operation.isFinished()) {
				operation.fail("the operation ended without a result");
			}
			retire(operation);
		}
	}

	private synchronized void retire(Operation operation) {
		this.runningBySandbox.remove(operation.sandbox(), operation);
		this.finished.addLast(operation);
		while (this.finished.size() > this.keep) {
			this.byId.remove(this.finished.removeFirst().id());
		}
	}

	@PreDestroy
	void stop() {
		this.executor.shutdownNow();
	}

}
