package dev.dilxc.daemon.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dilxc.api.JobHistoryEntry;
import dev.dilxc.api.JobState;
import dev.dilxc.api.RestorePolicy;
import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.cluster.DaemonRegistry;
import dev.dilxc.daemon.leases.SandboxLeases;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.TestStore;

/**
 * Several daemons on one PostgreSQL database, seen from one of them: another daemon's
 * rows are written as that daemon would write them, and the worker's look for dead
 * daemons is stepped by hand. Always PostgreSQL (H2 has one daemon by construction); no
 * LXD (the sandboxes do not exist, so settling a job quarantines its sandbox, as recovery
 * does when LXD cannot be reached).
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SharedStoreRecoveryTests {

	@TempDir
	static Path data;

	@Autowired
	private JobWorker worker;

	@Autowired
	private JobRepository jobs;

	@Autowired
	private DaemonRegistry daemons;

	@Autowired
	private SandboxLeases leases;

	@Autowired
	private JdbcClient jdbc;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		String url = TestStore.newDatabase();
		registry.add("spring.datasource.url", () -> url);
		registry.add("spring.datasource.username", () -> "postgres");
		registry.add("spring.datasource.password", () -> "");
		registry.add("dilxc.lxd.executable", () -> "/nonexistent/lxc");
		registry.add("spring.quartz.auto-startup", () -> "false");
		registry.add("dilxc.cluster.dead-after", () -> "30s");
	}

	@Test
	void aLiveDaemonsRunningJobIsLeftAlone() {
		String other = otherDaemon("live-peer", 0);
		long id = runningOn(other, "shared-live");

		assertThat(this.worker.settleDeadDaemonsJobs()).isEmpty();

		assertThat(this.jobs.find(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);
		assertThat(this.daemons.live()).extracting(DaemonRegistry.Member::id).contains(other, this.daemons.self().id());
	}

	@Test
	void anotherDaemonsRunningJobsAreNotThisDaemonsShareOfTheLimit() {
		String other = otherDaemon("busy-peer", 0);
		runningOn(other, "shared-busy-1");
		runningOn(other, "shared-busy-2");
		long mine = this.jobs.insert("shared-mine", "mine", RestorePolicy.NEVER, 60, Instant.now());

		assertThat(this.jobs.claim(this.jobs.find(mine).orElseThrow(), Instant.now())).isTrue();

		assertThat(this.jobs.countActive()).as("dilxc.jobs.max-concurrent-jobs counts this daemon's jobs").isEqualTo(1);
	}

	@Test
	void aDaemonSilentLongerThanDeadAfterIsDeclaredDeadAndItsJobSettledOnceHere() {
		String other = otherDaemon("dead-peer", 3600);
		long id = runningOn(other, "shared-dead");

		assertThat(this.worker.settleDeadDaemonsJobs()).containsExactly(id);
		assertThat(this.worker.settleDeadDaemonsJobs()).as("settled once").isEmpty();

		JobRow job = this.jobs.find(id).orElseThrow();
		assertThat(job.state()).isEqualTo(JobState.INTERRUPTED);
		assertThat(job.reason()).startsWith("daemon " + other + " died while the job was RUNNING")
			.contains("it was not re-run");
		assertThat(job.daemonId()).as("the settling daemon adopted it").isEqualTo(this.daemons.self().id());
		List<JobHistoryEntry> history = this.jobs.history(id);
		assertThat(history).filteredOn((entry) -> "RECOVERY".equals(entry.event()))
			.singleElement()
			.satisfies((entry) -> assertThat(entry.detail()).contains(other)
				.contains("daemon " + this.daemons.self().id() + " settles it"));
		assertThat(this.leases.holder("shared-dead")).as("the job's lease went with its end").isEmpty();
		assertThat(this.daemons.live()).extracting(DaemonRegistry.Member::id).doesNotContain(other);
		assertThat(this.jdbc.sql("SELECT stop_reason FROM daemons WHERE id = :id")
			.param("id", other)
			.query(String.class)
			.single()).startsWith("declared dead by " + this.daemons.self().id());
	}

	@Test
	void anOrphanIsAdoptedByExactlyOneOfManyConcurrentAttempts() throws Exception {
		String other = otherDaemon("raced-peer", 3600);
		long id = runningOn(other, "shared-race");
		JobRow orphan = this.jobs.find(id).orElseThrow();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Callable<Boolean>> attempts = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				attempts.add(() -> this.jobs.adopt(orphan));
			}
			long won = 0;
			for (Future<Boolean> attempt : pool.invokeAll(attempts)) {
				won += attempt.get() ? 1 : 0;
			}
			assertThat(won).isEqualTo(1);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.jobs.find(id).orElseThrow().daemonId()).isEqualTo(this.daemons.self().id());
	}

	@Test
	void operationLeasesOfADeadDaemonAreReleasedAndALiveDaemonsKept() {
		String dead = otherDaemon("lease-dead", 3600);
		String live = otherDaemon("lease-live", 0);
		operationLease("shared-lease-dead", dead);
		operationLease("shared-lease-live", live);
		this.leases.holding("shared-lease-mine", "sync", () -> {
			this.worker.settleDeadDaemonsJobs();

			assertThat(this.leases.holder("shared-lease-dead")).isEmpty();
			assertThat(this.leases.holder("shared-lease-live")).isPresent();
			assertThat(this.leases.holder("shared-lease-mine")).as("this daemon's own").isPresent();
		});
	}

	@Test
	void theDaemonRowCarriesItsHeartbeatOnTheDatabasesClock() {
		Instant before = this.daemons.live()
			.stream()
			.filter((member) -> member.id().equals(this.daemons.self().id()))
			.findFirst()
			.orElseThrow()
			.heartbeatAt();

		assertThat(this.daemons.beat()).isTrue();

		Instant after = this.daemons.live()
			.stream()
			.filter((member) -> member.id().equals(this.daemons.self().id()))
			.findFirst()
			.orElseThrow()
			.heartbeatAt();
		assertThat(after).isAfterOrEqualTo(before);
		assertThat(Math.abs(this.daemons.clockSkew().toMillis())).as("one host, one clock").isLessThan(1000);
	}

	/** Registers another daemon run whose last heartbeat was {@code secondsAgo}. */
	private String otherDaemon(String name, int secondsAgo) {
		String id = name + ":0000" + Integer.toHexString(name.hashCode() & 0xff);
		this.jdbc.sql("""
				INSERT INTO daemons (id, name, host, pid, version, started_at, heartbeat_at)
				VALUES (:id, :name, 'other-host', 4242, 'test', CURRENT_TIMESTAMP - make_interval(secs => :ago),
				  CURRENT_TIMESTAMP - make_interval(secs => :ago))
				""").param("id", id).param("name", name).param("ago", secondsAgo).update();
		return id;
	}

	/** A job that daemon {@code daemon} claimed and runs, as its claim would write it. */
	private long runningOn(String daemon, String sandbox) {
		Instant now = Instant.now();
		long id = this.jobs.insert(sandbox, "run elsewhere", RestorePolicy.NEVER, 60, now);
		this.jdbc
			.sql("""
					UPDATE jobs SET state = 'RUNNING', active_sandbox = sandbox, daemon_id = :daemon, started_at = CURRENT_TIMESTAMP
					WHERE id = :id
					""")
			.param("daemon", daemon)
			.param("id", id)
			.update();
		this.jdbc.sql("""
				INSERT INTO sandbox_leases (sandbox, kind, job_id, purpose, taken_at, token)
				VALUES (:sandbox, 'JOB', :id, :purpose, CURRENT_TIMESTAMP, :token)
				""")
			.param("sandbox", sandbox)
			.param("id", id)
			.param("purpose", "job " + id)
			.param("token", "t" + id)
			.update();
		return id;
	}

	private void operationLease(String sandbox, String daemon) {
		this.jdbc.sql("""
				INSERT INTO sandbox_leases (sandbox, kind, job_id, purpose, taken_at, token, daemon_id)
				VALUES (:sandbox, 'OPERATION', NULL, 'restore', CURRENT_TIMESTAMP, :token, :daemon)
				""").param("sandbox", sandbox).param("token", "op-" + sandbox).param("daemon", daemon).update();
	}

}
