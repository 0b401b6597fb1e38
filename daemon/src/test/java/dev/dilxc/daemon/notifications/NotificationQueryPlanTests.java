package dev.dilxc.daemon.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dilxc.daemon.DaemonApplication;
import dev.dilxc.daemon.testing.DaemonTestProperties;
import dev.dilxc.daemon.testing.QueryPlans;
import dev.dilxc.daemon.testing.QueryPlans.Plan;

/**
 * H2's plans of the outbox's queries (an H2 store only, like QueryPlanTests: PostgreSQL's
 * planner is another matter): the sender's poll reads the rows still to send off their
 * index, not a year of delivered ones.
 */
@SpringBootTest(classes = DaemonApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class NotificationQueryPlanTests {

	@TempDir
	static Path data;

	@Autowired
	private NotificationOutbox outbox;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private DataSource dataSource;

	@Autowired
	private Clock clock;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DaemonTestProperties.register(registry, () -> data);
		registry.add("spring.quartz.auto-startup", () -> "false");
	}

	@Test
	void theSendersPollReadsOnlyTheRowsStillToSendOffItsIndex() {
		// A year of delivered notifications, whose NULL next_attempt_at sorts before
		// every row still due.
		this.jdbc.sql("""
				INSERT INTO notifications (job_id, channel, event, payload, created_at, delivered_at)
				SELECT NULL, 'WEBHOOK', 'bench.delivered', '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
				FROM SYSTEM_RANGE(1, 2000)
				""").update();
		this.jdbc.sql("ANALYZE").update();
		Plan due = singlePlan(() -> this.outbox.due(this.clock.instant(), 10));
		assertThat(due.indexCondition("NOTIFICATIONS")).contains("NEXT_ATTEMPT_AT > ");
		assertThat(due.indexSorted()).isTrue();
		assertThat(singlePlan(this.outbox::pending).indexCondition("NOTIFICATIONS")).contains("NEXT_ATTEMPT_AT > ");
		assertThat(singlePlan(() -> this.outbox.ofEvent("bench.delivered")).indexCondition("NOTIFICATIONS"))
			.contains("EVENT = ");
	}

	private Plan singlePlan(Runnable action) {
		List<Plan> plans = QueryPlans.of(this.dataSource, Set.of("NOTIFICATIONS"), action);
		assertThat(plans).singleElement().satisfies((plan) -> assertThat(plan.tableScans()).as(plan.plan()).isEmpty());
		return plans.get(0);
	}

}
