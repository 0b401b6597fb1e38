package dev.dilxc.client.sandboxes;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import dev.dilxc.api.DaemonStatus;
import dev.dilxc.api.SandboxView;
import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.testing.ClientTestbed;
import dev.dilxc.client.testing.FakeDaemon;
import dev.dilxc.client.testing.InProcessClient.Result;
import dev.dilxc.client.testing.Sandboxes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class LifecycleCommandsTests {

	private static final JsonMapper JSON = ClientCommands.jsonMapper();

	@RegisterExtension
	final ClientTestbed testbed = new ClientTestbed();

	@Test
	void startPostsToTheDefaultSandboxAndPrintsItsState() {
		this.testbed.routes().json("POST /api/sandboxes/docker-lxc/start", 200, Sandboxes.running("docker-lxc"));
		Result result = this.testbed.client().run("start");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("Sandbox 'docker-lxc' started (RUNNING)\n");
		assertThat(this.testbed.daemon().onlyRequest().method()).isEqualTo("POST");
	}

	@Test
	void stopAndRestartUseTheAtNameGivenFirst() {
		this.testbed.routes().json("POST /api/sandboxes/web/stop", 200, Sandboxes.stopped("web"));
		this.testbed.routes().json("POST /api/sandboxes/web/restart", 200, Sandboxes.running("web"));
		assertThat(this.testbed.client().run("@web", "stop").out()).isEqualTo("Sandbox 'web' stopped (STOPPED)\n");
		assertThat(this.testbed.client().run("@web", "restart").out()).isEqualTo("Sandbox 'web' restarted (RUNNING)\n");
		assertThat(this.testbed.daemon().requests()).extracting(FakeDaemon.Request::target)
			.containsExactly("/api/sandboxes/web/stop", "/api/sandboxes/web/restart");
	}

	@Test
	void commandsUseThePointerFileOfTheCurrentDirectory() throws IOException {
		Files.writeString(this.testbed.dir().resolve(".dilxc"), "proj-box\r\n");
		this.testbed.routes().json("POST /api/sandboxes/proj-box/start", 200, Sandboxes.running("proj-box"));
		assertThat(this.testbed.client().run("start").exitCode()).isZero();
		assertThat(this.testbed.daemon().onlyRequest().target()).isEqualTo("/api/sandboxes/proj-box/start");
	}

	@Test
	void commandsUseDilxcContainerOverThePointerFile() throws IOException {
		Files.writeString(this.testbed.dir().resolve(".dilxc"), "proj-box\n");
		this.testbed.routes().json("POST /api/sandboxes/env-box/start", 200, Sandboxes.running("env-box"));
		assertThat(this.testbed.client().env("DILXC_CONTAINER", "env-box").run("start").exitCode()).isZero();
		assertThat(this.testbed.daemon().onlyRequest().target()).isEqualTo("/api/sandboxes/env-box/start");
	}

	@Test
	void atAloneOrWithoutACommandIsBadInput() {
		Result alone = this.testbed.client().run("@", "status");
		assertThat(alone.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(alone.err())
			.isEqualTo("dilxc-client: '@' needs a sandbox name right after it: " + "dilxc-client @NAME COMMAND ...\n");
		Result noCommand = this.testbed.client().run("@web");
		assertThat(noCommand.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(noCommand.err()).contains("no command after '@web'");
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void badNameFromThePointerFileIsBadInputNamingTheFile() throws IOException {
		Files.writeString(this.testbed.dir().resolve(".dilxc"), "has space\n");
		Result result = this.testbed.client().run("status");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).startsWith("dilxc-client: bad sandbox name 'has space' from .dilxc at "
				+ this.testbed.dir().resolve(".dilxc") + ": only letters, digits and hyphens are allowed");
		assertThat(this.testbed.daemon().requests()).isEmpty();
	}

	@Test
	void statusNamesTheBackEndTheDaemonDrivesAndWhy() {
		this.testbed.routes()
			.json("GET /api/system/status", 200, Sandboxes.daemonStatusOnIncus("auto: only incus is installed"));
		this.testbed.routes().json("GET /api/sandboxes/web", 200, Sandboxes.running("web"));
		Result result = this.testbed.client().run("@web", "status");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).contains("\nIncus:     reachable (Incus 6.0.4; auto: only incus is installed)\n")
			.doesNotContain("LXD");
		StatusCommand.StatusReport report = JSON.readValue(this.testbed.client().run("@web", "status", "--json").out(),
				StatusCommand.StatusReport.class);
		assertThat(report.daemon().lxdBackend()).isEqualTo("Incus");
		assertThat(report.daemon().lxdBackendChoice()).isEqualTo("auto: only incus is installed");
	}

	@Test
	void statusOnASharedPostgresqlNamesTheDatabaseTheLiveDaemonsAndWhereEachJobRuns() {
		this.testbed.routes().json("GET /api/system/status", 200, Sandboxes.daemonStatusOnPostgresql());
		this.testbed.routes().json("GET /api/sandboxes/web", 200, Sandboxes.running("web"));

		Result result = this.testbed.client().run("@web", "status");

		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).contains("\nJobs:      1 queued, 1 running: #12 in web (3m30s) on build-2:81d0e4\n",
				"\nDatabase:  PostgreSQL jdbc:postgresql://db.internal:5432/dilxc (9.1 MiB)\n",
				"\nDaemons:   3 live: build-1:3f9a2c (this one), build-2:81d0e4 (1 running), ci:c27b55 (on ci-host)\n",
				"\nBackup:    PostgreSQL's own (pg_dump); the daemon takes none\n");
		StatusCommand.StatusReport report = JSON.readValue(this.testbed.client().run("@web", "status", "--json").out(),
				StatusCommand.StatusReport.class);
		assertThat(report.daemon().store().daemons()).hasSize(3);
		assertThat(report.daemon().runningJobs().get(0).daemon()).isEqualTo("build-2:81d0e4");
	}

	@Test
	void statusInAClusterListsTheMembersAndSaysWhereEachJobRuns() {
		this.testbed.routes()
			.json("GET /api/system/status", 200, Sandboxes.daemonStatusInCluster(Sandboxes.daemonStatus()));
		this.testbed.routes().json("GET /api/sandboxes/web", 200, Sandboxes.running("web"));

		Result result = this.testbed.client().run("@web", "status");

		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).startsWith(
				"""
						Daemon:    dilxc 0.5.0, up 2h05m (since 2026-11-27 07:55:00)
						LXD:       reachable (LXD 5.0.2)
						Cluster:   3 members, this daemon on member1; 1 not online
						           MEMBER   STATUS   ADDRESS     SANDBOXES  QUEUED  MESSAGE
						           member1  ONLINE   10.42.0.11          2       0  Fully operational
						           member2  ONLINE   10.42.0.12          1       0  Fully operational
						           member3  OFFLINE  10.42.0.13          1       2  No heartbeat for 31s (2026-11-27 10:04:29 +0000 UTC)
						Jobs:      2 queued, 1 running: #12 in web on member2 (3m30s)
						Next run:  2026-11-27 11:00:00 (schedule 3 in web)
						""");
		Result tty = this.testbed.client().terminal(true).run("@web", "status");
		assertThat(tty.out()).contains("; \u001b[31m1 not online\u001b[0m\n",
				"member1  \u001b[32mONLINE\u001b[0m   10.42.0.11", "member3  \u001b[31mOFFLINE\u001b[0m  10.42.0.13");
		StatusCommand.StatusReport report = JSON.readValue(this.testbed.client().run("@web", "status", "--json").out(),
				StatusCommand.StatusReport.class);
		assertThat(report.daemon().cluster().members()).extracting(DaemonStatus.ClusterMember::queuedJobs)
			.containsExactly(0, 0, 2);
		assertThat(report.daemon().runningJobs().getFirst().member()).isEqualTo("member2");
	}

	@Test
	void statusInAClusterOnASharedPostgresqlSaysWhichMemberAndWhichDaemonRunEachJob() {
		this.testbed.routes()
			.json("GET /api/system/status", 200, Sandboxes.daemonStatusInCluster(Sandboxes.daemonStatusOnPostgresql()));
		this.testbed.routes().json("GET /api/sandboxes/web", 200, Sandboxes.running("web"));

		Result result = this.testbed.client().run("@web", "status");

		assertThat(result.out())
			.contains("\nJobs:      2 queued, 1 running: #12 in web on member2 (3m30s) run by build-2:81d0e4\n");
	}

	@Test
	void statusPrintsTheDaemonThenStateAddressResourcesMountsAndSnapshots() {
		this.testbed.routes().json("GET /api/system/status", 200, Sandboxes.daemonStatus());
		this.testbed.routes().json("GET /api/sandboxes/web", 200, Sandboxes.running("web"));
		Result result = this.testbed.client().run("@web", "status");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo(
				"""
						Daemon:    dilxc 0.5.0, up 2h05m (since 2026-11-27 07:55:00)
						LXD:       reachable (LXD 5.0.2)
						Jobs:      1 queued, 1 running: #12 in web (3m30s)
						Next run:  2026-11-27 11:00:00 (schedule 3 in web)
						Data:      /home/me/.local/share/dilxc (12.4 MiB)
						Database:  9.1 MiB
						Retention: jobs 90d, at most 1000 per sandbox; output, diffs and transcripts 14d
						Swept:     2026-11-27 08:56:00: deleted 12 job(s), pruned the output of 40, deleted 3 notification(s) and 5 schedule event(s)
						Backup:    2026-11-27 03:00:00 (scheduled) /home/me/.local/share/dilxc/backups/dilxc-20261127T030000Z-scheduled.zip
						Socket:    /run/user/1000/dilxc/daemon.sock

						Sandbox:   web
						Status:    RUNNING
						IPv4:      10.0.3.5 (eth0)
						Image:     dilxc-golden
						Created:   2026-11-20 08:30:00
						CPU:       2 (limit)
						Memory:    1.2 GiB used of 8GiB limit
						Disk:      3.4 GiB used
						Processes: 42
						Project:   /home/me/proj -> /home/ubuntu/project-src (read-only), working copy /home/ubuntu/project
						Deploy:    none

						Snapshots:
						  NAME            TAKEN                JOB
						  clean-baseline  2026-11-20 09:30:00    -
						  dilxc-job-7     2026-11-20 09:30:00    7
						""");
		assertThat(this.testbed.daemon().requests()).extracting(FakeDaemon.Request::target)
			.containsExactly("/api/system/status", "/api/sandboxes/web");
		StatusCommand.StatusReport report = JSON.readValue(this.testbed.client().run("@web", "status", "--json").out(),
				StatusCommand.StatusReport.class);
		assertThat(report.daemon().databaseBytes()).isEqualTo(9_543_210L);
		assertThat(report.daemon().retention()).isEqualTo(Sandboxes.daemonStatus().retention());
	}

	@Test
	void statusSaysWhichSandboxesNeedAttentionWhatFailedAndHowToRepair() {
		this.testbed.routes()
			.json("GET /api/system/status", 200,
					Sandboxes.daemonStatus(Sandboxes.quarantine("web"), Sandboxes.quarantine("db")));
		this.testbed.routes().json("GET /api/sandboxes/web", 200, Sandboxes.quarantined("web"));
		Result result = this.testbed.client().run("@web", "status");
		assertThat(result.exitCode()).isZero();
		String failure = "RESTORE failed for job 12: restoring dilxc-job-12 failed: Error: Instance is busy …";
		assertThat(result.out()).contains(
				"""
						Jobs:      1 queued, 1 running: #12 in web (3m30s)
						Attention: sandbox web needs attention: %1$s — next retry 2026-11-27 10:05:00; 'dilxc-client repair @web'
						Attention: sandbox db needs attention: %1$s — next retry 2026-11-27 10:05:00; 'dilxc-client repair @db'
						Next run:  2026-11-27 11:00:00 (schedule 3 in web)
						"""
					.formatted(failure),
				"""
						Sandbox:   web
						Status:    RUNNING
						Attention: quarantined, no job starts in it until it is repaired: %s — next retry 2026-11-27 10:05:00; 'dilxc-client repair @web'
						IPv4:      10.0.3.5 (eth0)
						"""
					.formatted(failure));
		Result tty = this.testbed.client().terminal(true).run("@web", "status");
		assertThat(tty.out()).contains("Attention: sandbox web \u001b[33mneeds attention\u001b[0m: RESTORE failed");
		StatusCommand.StatusReport report = JSON.readValue(this.testbed.client().run("@web", "status", "--json").out(),
				StatusCommand.StatusReport.class);
		assertThat(report.daemon().quarantined()).containsExactly(Sandboxes.quarantine("web"),
				Sandboxes.quarantine("db"));
		assertThat(report.sandbox().quarantine()).isEqualTo(Sandboxes.quarantine("web"));
	}

	@Test
	void statusWarnsAboutLittleFreeSpaceBeforeJobsAreRefused() {
		String warning = "the LXD storage pool 'default' has 1.2 GB free; jobs are refused below 1.0 GB (dilxc.jobs.min-free-pool)";
		this.testbed.routes().json("GET /api/system/status", 200, Sandboxes.daemonStatusWarning(warning));
		this.testbed.routes().json("GET /api/sandboxes/web", 200, Sandboxes.running("web"));
		Result result = this.testbed.client().run("@web", "status");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).contains("""
				Jobs:      1 queued, 1 running: #12 in web (3m30s)
				Warning:   %s
				Next run:  2026-11-27 11:00:00 (schedule 3 in web)
				""".formatted(warning));
		Result tty = this.testbed.client().terminal(true).run("@web", "status");
		assertThat(tty.out()).contains("Warning:   \u001b[33mthe LXD storage pool");
		StatusCommand.StatusReport report = JSON.readValue(this.testbed.client().run("@web", "status", "--json").out(),
				StatusCommand.StatusReport.class);
		assertThat(report.daemon().warnings()).containsExactly(warning);
	}

	@Test
	void statusSaysWhyLxdIsDownInRedOnlyOnATerminal() {
		this.testbed.routes().json("GET /api/system/status", 200, Sandboxes.daemonStatusLxdDown());
		this.testbed.routes().json("GET /api/sandboxes/web", 200, Sandboxes.running("web"));
		Result piped = this.testbed.client().run("@web", "status");
		assertThat(piped.out())
			.contains(
					"LXD:       NOT reachable: could not run 'lxc' (is LXD installed? " + "set dilxc.lxd.executable)\n",
					"Jobs:      0 queued, 0 running\n", "Next run:  none scheduled\n", "Backup:    none yet\n")
			.doesNotContain("\u001b[");
		Result tty = this.testbed.client().terminal(true).run("@web", "status");
		assertThat(tty.out()).contains("LXD:       \u001b[31mNOT reachable\u001b[0m: could not run");
		Result noColor = this.testbed.client().terminal(true).env("NO_COLOR", "1").run("@web", "status");
		assertThat(noColor.out()).contains("LXD:       NOT reachable: could not run").doesNotContain("\u001b[");
	}

	@Test
	void statusOfAMissingDefaultSandboxIsANoteAfterTheDaemon() {
		this.testbed.routes().json("GET /api/system/status", 200, Sandboxes.daemonStatus());
		this.testbed.routes()
			.on("GET /api/sandboxes/docker-lxc",
					FakeDaemon.Response.problem(404, "sandbox-not-found", "sandbox 'docker-lxc' does not exist"));
		Result result = this.testbed.client().run("status");
		assertThat(result.exitCode()).isZero();
		assertThat(result.err()).isEmpty();
		assertThat(result.out()).startsWith("Daemon:    dilxc 0.5.0")
			.endsWith(
					"\nSandbox:   docker-lxc (none yet)\nNote:      there is no sandbox 'docker-lxc' (the default) yet: "
							+ "create it with 'dilxc-client init', or pick another with @NAME, DILXC_CONTAINER or a .dilxc file\n");
		Result json = this.testbed.client().run("status", "--json");
		assertThat(json.exitCode()).isZero();
		StatusCommand.StatusReport report = JSON.readValue(json.out(), StatusCommand.StatusReport.class);
		assertThat(report.daemon()).isEqualTo(Sandboxes.daemonStatus());
		assertThat(report.sandbox()).isNull();
		assertThat(report.note()).contains("no sandbox 'docker-lxc'");
	}

	@Test
	void statusOfAMissingNamedSandboxIsStillNotFound() {
		this.testbed.routes().json("GET /api/system/status", 200, Sandboxes.daemonStatus());
		this.testbed.routes()
			.on("GET /api/sandboxes/ghost",
					FakeDaemon.Response.problem(404, "sandbox-not-found", "sandbox 'ghost' does not exist"));
		Result result = this.testbed.client().env("DILXC_CONTAINER", "ghost").run("status");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
		assertThat(result.out()).isEmpty();
		assertThat(result.err()).isEqualTo("dilxc-client: sandbox 'ghost' does not exist\n");
	}

	@Test
	void statusOfAStoppedForeignSandboxSaysSo() {
		this.testbed.routes().json("GET /api/system/status", 200, Sandboxes.daemonStatus());
		this.testbed.routes().json("GET /api/sandboxes/other", 200, Sandboxes.stopped("other"));
		Result result = this.testbed.client().run("@other", "status");
		assertThat(result.out()).contains("Sandbox:   other (not made by dilxc)\n", "Status:    STOPPED\n",
				"IPv4:      none\n", "CPU:       unlimited\n", "Memory:    no limit\n", "Snapshots: none\n");
	}

	@Test
	void statusJsonPrintsTheDaemonAndTheSandboxWireRecords() {
		this.testbed.routes().json("GET /api/system/status", 200, Sandboxes.daemonStatus());
		this.testbed.routes().json("GET /api/sandboxes/web", 200, Sandboxes.running("web"));
		Result result = this.testbed.client().run("@web", "status", "--json");
		assertThat(result.exitCode()).isZero();
		StatusCommand.StatusReport report = JSON.readValue(result.out(), StatusCommand.StatusReport.class);
		assertThat(report.daemon()).isEqualTo(Sandboxes.daemonStatus());
		assertThat(report.sandbox()).isEqualTo(Sandboxes.running("web"));
		assertThat(report.note()).isNull();
	}

	@Test
	void containersMarksTheSelectedSandboxActive() throws IOException {
		Files.writeString(this.testbed.dir().resolve(".dilxc"), "web\n");
		this.testbed.routes()
			.json("GET /api/sandboxes", 200, List.of(Sandboxes.running("web"), Sandboxes.stopped("other")));
		Result result = this.testbed.client().run("containers");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo("""
				NAME   STATUS   MANAGED  IPV4
				web    RUNNING  yes      10.0.3.5 (eth0)  (active)
				other  STOPPED  no       -
				""");
	}

	@Test
	void containersInAClusterShowTheMemberHoldingEachSandboxAndWarnAboutMembersAway() throws IOException {
		Files.writeString(this.testbed.dir().resolve(".dilxc"), "web\n");
		String away = "OFFLINE: No heartbeat for 31s";
		this.testbed.routes()
			.json("GET /api/sandboxes", 200,
					List.of(Sandboxes.onMember(Sandboxes.running("web"), "member1", null),
							Sandboxes.onMember(Sandboxes.stopped("db"), "member3", away),
							Sandboxes.onMember(Sandboxes.stopped("cache"), "member3", away),
							Sandboxes.onMember(Sandboxes.stopped("other"), "member2", null)));

		Result result = this.testbed.client().run("containers");

		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEqualTo(
				"""
						NAME   STATUS   MEMBER          MANAGED  IPV4
						web    RUNNING  member1         yes      10.0.3.5 (eth0)  (active)
						db     STOPPED  member3 (away)  no       -
						cache  STOPPED  member3 (away)  no       -
						other  STOPPED  member2         no       -
						Warning: member member3 cannot be reached (OFFLINE: No heartbeat for 31s): db, cache and their jobs wait until it is back
						""");
		SandboxView[] json = JSON.readValue(this.testbed.client().run("containers", "--json").out(),
				SandboxView[].class);
		assertThat(json[1].member()).isEqualTo("member3");
		assertThat(json[1].memberAway()).isEqualTo(away);
	}

	@Test
	void statusInAClusterNamesTheMemberHoldingTheSandboxAndWhyItIsAway() {
		this.testbed.routes().json("GET /api/system/status", 200, Sandboxes.daemonStatus());
		this.testbed.routes()
			.json("GET /api/sandboxes/web", 200, Sandboxes.onMember(Sandboxes.running("web"), "member2", null));
		this.testbed.routes()
			.json("GET /api/sandboxes/db", 200,
					Sandboxes.onMember(Sandboxes.stopped("db"), "member3", "OFFLINE: No heartbeat for 31s"));

		Result reachable = this.testbed.client().run("@web", "status");
		Result away = this.testbed.client().run("@db", "status");

		assertThat(reachable.out()).contains("""

				Sandbox:   web
				Status:    RUNNING
				Member:    member2
				IPv4:      10.0.3.5 (eth0)
				""");
		assertThat(away.out()).contains("""
				Status:    STOPPED
				Member:    member3, cannot be reached: OFFLINE: No heartbeat for 31s (its jobs wait until it is back)
				IPv4:      none
				""");
	}

	@Test
	void containersJsonPrintsTheArray() {
		this.testbed.routes().json("GET /api/sandboxes", 200, List.of(Sandboxes.stopped("other")));
		Result result = this.testbed.client().run("containers", "--json");
		assertThat(JSON.readValue(result.out(), SandboxView[].class)).containsExactly(Sandboxes.stopped("other"));
	}

	@Test
	void extraArgumentsAreBadInput() {
		Result result = this.testbed.client().run("start", "web");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err()).isEqualTo("dilxc-client: 'start' takes no arguments, got: web\n");
	}

}
