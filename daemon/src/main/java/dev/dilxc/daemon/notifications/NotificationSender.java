package dev.dilxc.daemon.notifications;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.dilxc.daemon.StorageFailures;

/**
 * Delivers due outbox rows: each try runs on its own virtual thread (so a hanging
 * receiver holds up only its own notification), then the row is marked delivered, due
 * again after the backoff, or given up once its tries are used. The daemon's loop calls
 * {@link #dispatch()}, woken when a job ends or a try finishes; tests call
 * {@link #pollOnce()}, which waits for the tries it started.
 */
@Component
class NotificationSender implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(NotificationSender.class);

	/**
	 * How often the loop looks at the outbox when nothing wakes it and nothing falls due
	 * sooner.
	 */
	private static final Duration IDLE_POLL = Duration.ofSeconds(5);

	private static final int BATCH = 20;

	private final NotificationOutbox outbox;

	private final NotificationsProperties properties;

	private final JsonMapper json;

	private final Clock clock;

	private final @Nullable WebhookClient webhook;

	private final @Nullable CommandHook command;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	/** Notifications being tried now, by outbox row. */
	private final Map<Long, CompletableFuture<Attempt>> inFlight = new ConcurrentHashMap<>();

	private final Semaphore wakeUp = new Semaphore(0);

	private volatile boolean active;

	private @Nullable Thread loop;

	/**
	 * One try.
	 *
	 * @param notification the row as it was before the try
	 * @param delivery how the try went
	 * @param nextAttemptAt when it is tried again, or null (delivered or given up)
	 */
	record Attempt(Notification notification, Delivery delivery, @Nullable Instant nextAttemptAt) {
	}

	NotificationSender(NotificationOutbox outbox, NotificationsProperties properties, JsonMapper json, Clock clock) {
		this.outbox = outbox;
		this.properties = properties;
		this.json = json;
		this.clock = clock;
		this.webhook = (properties.webhook() != null)
				? new WebhookClient(properties.webhook(), properties.webhookTimeout(), properties.webhookHeaders())
				: null;
		this.command = (!properties.command().isEmpty())
				? new CommandHook(properties.command(), properties.commandTimeout()) : null;
	}

	/**
	 * Starts one try of every notification due now that is not being tried already, each
	 * on its own virtual thread, and returns at once: a receiver that hangs holds up only
	 * its own notification.
	 */
	synchronized List<CompletableFuture<Attempt>> dispatch() {
		List<CompletableFuture<Attempt>> started = new ArrayList<>();
		for (Notification notification : this.outbox.due(this.clock.instant(), BATCH + this.inFlight.size())) {
			if (this.inFlight.containsKey(notification.id())) {
				continue;
			}
			CompletableFuture<Attempt> attempt = new CompletableFuture<>();
			// Registered before it starts, so a try that ends at once is never left in
			// the map.
			this.inFlight.put(notification.id(), attempt);
			this.executor.execute(() -> {
				Attempt done = null;
				Throwable failure = null;
				try {
					done = attempt(notification);
				}
				catch (InterruptedException ex) {
					// Shutting down: the try is abandoned and stays due (it was not
					// counted).
				}
				catch (RuntimeException | Error ex) {
					logger.error("Delivering the notification of {} failed unexpectedly; it stays due",
							notification.subject(), ex);
					failure = ex;
				}
				// Out of the map before anyone waiting hears of it, so their next round
				// may try it again.
				this.inFlight.remove(notification.id());
				if (done != null) {
					attempt.complete(done);
				}
				else if (failure != null) {
					attempt.completeExceptionally(failure);
				}
				else {
					attempt.cancel(false);
				}
				wake();
			});
			started.add(attempt);
		}
		return started;
	}

	/**
	 * Tries every notification due now once and waits for the tries; returns how each
	 * went (tests step this).
	 */
	List<Attempt> pollOnce() throws InterruptedException {
		List<Attempt> attempts = new ArrayList<>();
		for (CompletableFuture<Attempt> attempt : dispatch()) {
			try {
				attempts.add(attempt.get());
			}
			catch (ExecutionException | java.util.concurrent.CancellationException ex) {
				// Logged where it happened; the notification stays due.
			}
		}
		return attempts;
	}

	private Attempt attempt(Notification notification) throws InterruptedException {
		String via = describe(notification.channel());
		Delivery delivery = switch (notification.channel()) {
			case WEBHOOK -> (this.webhook != null) ? this.webhook.post(notification)
					: Delivery.failed("dilxc.notifications.webhook-url is no longer set");
			case COMMAND -> (this.command != null) ? this.command.run(notification.payload(), environment(notification))
					: Delivery.failed("dilxc.notifications.command is no longer set");
		};
		int attempts = notification.attempts() + 1;
		Instant now = this.clock.instant();
		Backoff backoff = this.properties.backoff(notification.channel());
		boolean configured = (notification.channel() == Channel.WEBHOOK) ? this.webhook != null : this.command != null;
		if (delivery.delivered()) {
			this.outbox.delivered(notification.id(), attempts, now);
			logger.info("Notified {} by {} (attempt {}): {}", notification.subject(), via, attempts, delivery.detail());
			return new Attempt(notification, delivery, null);
		}
		if (configured && backoff.tryAgain(attempts)) {
			Instant next = now.plus(backoff.delayAfter(attempts, ThreadLocalRandom.current()::nextDouble));
			this.outbox.retryAt(notification.id(), attempts, next, delivery.detail());
			logger.warn("Notifying {} by {} failed (attempt {} of {}): {}; trying again at {}", notification.subject(),
					via, attempts, backoff.maxAttempts(), delivery.detail(), next.truncatedTo(ChronoUnit.SECONDS));
			return new Attempt(notification, delivery, next);
		}
		this.outbox.gaveUp(notification.id(), attempts, now, delivery.detail());
		logger.error("Gave up notifying {} by {} after {} attempt(s): {}", notification.subject(), via, attempts,
				delivery.detail());
		return new Attempt(notification, delivery, null);
	}

	private String describe(Channel channel) {
		return switch (channel) {
			case WEBHOOK -> "webhook" + ((this.webhook != null) ? " " + this.webhook.target() : "");
			case COMMAND -> "command" + ((this.command != null) ? " " + this.command.executable() : "");
		};
	}

	/**
	 * What the command finds in its environment: the event, the job (empty for a
	 * quarantine no job caused), its state, and the sandbox.
	 */
	private Map<String, String> environment(Notification notification) {
		JsonNode payload = this.json.readTree(notification.payload());
		JsonNode job = payload.path("job");
		String sandbox = job.path("sandbox").asString(payload.path("quarantine").path("sandbox").asString(""));
		return Map.of("DILXC_EVENT", notification.event(), "DILXC_JOB_ID",
				(notification.jobId() != null) ? String.valueOf(notification.jobId()) : "", "DILXC_JOB_STATE",
				job.path("state").asString(""), "DILXC_SANDBOX", sandbox);
	}

	/** Makes the loop look at the outbox now (a job just ended). */
	void wake() {
		this.wakeUp.release();
	}

	@Override
	public void start() {
		this.active = true;
		if (!this.properties.senderEnabled()) {
			return;
		}
		this.loop = Thread.ofPlatform().name("dilxc-notifications").daemon(true).start(this::loop);
	}

	/** The poll failure last logged, so an outage is logged once. */
	private @Nullable String pollFailure;

	private void loop() {
		while (this.active) {
			try {
				dispatch();
				this.pollFailure = null;
				this.wakeUp.tryAcquire(untilNextDue().toMillis(), TimeUnit.MILLISECONDS);
				this.wakeUp.drainPermits();
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException ex) {
				// Once per incident: a full disk must not turn into a stack trace every
				// poll.
				String failure = StorageFailures.isStorage(ex) ? StorageFailures.describe(ex)
						: String.valueOf(ex.getMessage());
				if (!failure.equals(this.pollFailure)) {
					logger.error("Notification sender poll failed, retrying: {}", failure,
							StorageFailures.isStorage(ex) ? null : ex);
					this.pollFailure = failure;
				}
				try {
					Thread.sleep(IDLE_POLL);
				}
				catch (InterruptedException interrupted) {
					return;
				}
			}
		}
	}

	/**
	 * Until the next notification not being tried falls due (a finished try wakes the
	 * loop anyway).
	 */
	private Duration untilNextDue() {
		Instant now = this.clock.instant();
		Duration wait = this.outbox.pending()
			.entrySet()
			.stream()
			.filter((row) -> !this.inFlight.containsKey(row.getKey()))
			.map((row) -> Duration.between(now, row.getValue()))
			.min(Duration::compareTo)
			.orElse(IDLE_POLL);
		if (wait.isNegative() || wait.isZero()) {
			return Duration.ofMillis(1);
		}
		return (wait.compareTo(IDLE_POLL) > 0) ? IDLE_POLL : wait;
	}

	/** Stops the loop; a try in flight is abandoned and stays due for the next start. */
	@Override
	public void stop() {
		this.active = false;
		if (this.loop != null) {
			this.loop.interrupt();
			try {
				this.loop.join(Duration.ofSeconds(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		// Tries in flight are interrupted and stay due; wait for them so none writes
		// after the database closes.
		this.executor.shutdownNow();
		try {
			if (!this.executor.awaitTermination(5, TimeUnit.SECONDS)) {
				logger.warn(
						"Some notification tries were still ending at shutdown; they are tried again at the next start");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.webhook != null) {
			this.webhook.close();
		}
	}

	/**
	 * Starts before the job worker and stops after it (the worker's phase is
	 * {@code DEFAULT_PHASE - 4096}), so jobs that end while the daemon shuts down are
	 * still recorded while the sender runs.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4097;
	}

	@Override
	public boolean isRunning() {
		return this.active;
	}

}
