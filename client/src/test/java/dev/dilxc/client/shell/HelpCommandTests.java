package dev.dilxc.client.shell;

import java.nio.file.Path;
import java.util.List;

import dev.dilxc.client.testing.InProcessClient;
import dev.dilxc.client.testing.InProcessClient.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class HelpCommandTests {

	@TempDir
	Path dir;

	@Test
	void helpListsEveryCommandOfTheOriginalInItsGroupAndTheSelectionRules() {
		Result result = new InProcessClient(this.dir.resolve("d.sock")).run("help");
		assertThat(result.exitCode()).isZero();
		String out = result.out();
		List<String> groups = List.of("Jobs:", "Schedules & review:", "Sandbox setup:", "Lifecycle:", "Interactive:",
				"Files:", "Snapshots:", "Docker & ports:", "Checks & maintenance:",
				"Sandbox selection (first match wins):");
		assertThat(out).containsSubsequence(groups);
		for (String command : List.of("init", "update", "shell", "root", "start", "stop", "restart", "status", "login",
				"claude", "claude-run", "claude-resume", "sync", "exec", "pull", "push", "snapshot", "restore",
				"snapshots", "snapshot-delete", "logs", "docker", "proxy", "containers", "health-check", "git-auth",
				"customize", "destroy", "doctor", "submit", "jobs", "job", "cancel", "schedule add", "schedules",
				"schedule show", "schedule pause", "schedule resume", "schedule remove", "schedule run-now", "report",
				"diff", "retry", "resume")) {
			assertThat(out).as(command).containsPattern("(?m)^  " + command.replace("-", "\\-") + " +\\S");
		}
		assertThat(out).contains("logs (no ID)", "DILXC_CONTAINER", ".dilxc", "docker-lxc", "Exit codes: 0 ok; 1 ");
		assertThat(out).doesNotContainPattern("(?m)^  schedule +Recurring");
		assertThat(out.substring(out.indexOf("Schedules & review:"), out.indexOf("Sandbox setup:")))
			.containsSubsequence("schedule add", "schedules", "schedule show", "report", "diff", "retry", "resume");
		assertThat(out.substring(out.indexOf("Interactive:"), out.indexOf("Files:"))).containsSubsequence("shell",
				"root", "login", "claude", "claude-run", "claude-resume", "exec");
	}

	@Test
	void helpOfACommandShowsShortOptionsAndNotes() {
		InProcessClient client = new InProcessClient(this.dir.resolve("d.sock"));
		assertThat(client.run("help", "init").out()).contains("-p, --project PATH", "-n, --name NAME",
				"-d, --deploy PATH", "ANTHROPIC_API_KEY");
		assertThat(client.run("logs", "--help").out()).contains("'logs' alone follows the Docker logs");
		assertThat(client.run("help", "health").out()).startsWith("Usage: dilxc-client health-check");
		assertThat(client.run("help", "exec").out()).contains("'dilxc-client exec ls -la' runs ls -la")
			.doesNotContain("--help");
	}

}
