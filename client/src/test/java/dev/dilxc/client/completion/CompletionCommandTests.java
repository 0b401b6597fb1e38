package dev.dilxc.client.completion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.testing.ClientTestbed;
import dev.dilxc.client.testing.FakeDaemon.Response;
import dev.dilxc.client.testing.InProcessClient.Result;
import dev.dilxc.client.testing.Jobs;
import dev.dilxc.client.testing.Sandboxes;
import dev.dilxc.client.testing.Schedules;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The completion scripts, run by the real shells: bash's completion function called as
 * bash calls it (COMP_WORDS, COMP_CWORD, then COMPREPLY), fish's {@code complete -C}. The
 * ids and names the scripts ask {@code __complete} for come from the real command's
 * output against the fake daemon.
 */
class CompletionCommandTests {

	@RegisterExtension
	final ClientTestbed testbed = new ClientTestbed();

	private Path bashScript;

	private Path candidates;

	@BeforeEach
	void scriptsAndDaemonAnswers() throws IOException {
		this.testbed.routes().json("GET /api/jobs", 200, List.of(Jobs.queued(14, "b"), Jobs.succeeded(12, "a")));
		this.testbed.routes()
			.json("GET /api/sandboxes", 200, List.of(Sandboxes.running("web"), Sandboxes.stopped("db")));
		this.testbed.routes().json("GET /api/schedules", 200, List.of(Schedules.nightly(3, "tests", null, null)));
		Result bash = this.testbed.client().run("completion", "bash");
		assertThat(bash.exitCode()).as(bash.err()).isZero();
		this.bashScript = Files.writeString(this.testbed.dir().resolve("dilxc-client.bash"), bash.out());
		// What the script's calls to 'dilxc-client __complete KIND' print, from the real
		// command.
		this.candidates = Files.createDirectories(this.testbed.dir().resolve("candidates"));
		for (String kind : List.of("jobs", "sandboxes", "schedules")) {
			Result values = this.testbed.client().run("__complete", kind);
			assertThat(values.exitCode()).as(values.err()).isZero();
			Files.writeString(this.candidates.resolve(kind), values.out());
		}
	}

	@Test
	void completeCommandPrintsIdsAndNamesOneALine() throws IOException {
		assertThat(Files.readString(this.candidates.resolve("jobs"))).isEqualTo("14\n12\n");
		assertThat(Files.readString(this.candidates.resolve("sandboxes"))).isEqualTo("web\ndb\n");
		assertThat(Files.readString(this.candidates.resolve("schedules"))).isEqualTo("3\n");
		assertThat(this.testbed.daemon().requests()).anySatisfy(
				(request) -> assertThat(request.target()).isEqualTo("/api/jobs?limit=" + CompleteCommand.RECENT_JOBS));
	}

	@Test
	void completeCommandPrintsNothingWhenTheDaemonFails() {
		this.testbed.daemon().answer((request) -> Response.problem(500, "internal-error", "boom"));
		Result result = this.testbed.client().run("__complete", "jobs");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).isEmpty();
		assertThat(result.err()).isEmpty();
	}

	@Test
	void completionNeedsAKnownShell() {
		Result result = this.testbed.client().run("completion", "zsh");
		assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(result.err())
			.isEqualTo("dilxc-client: completion needs the shell: 'dilxc-client completion bash' or "
					+ "'dilxc-client completion fish', not 'zsh'\n");
		assertThat(this.testbed.client().run("help").out()).contains("completion").doesNotContain("__complete");
	}

	@Test
	void bashCompletesCommandNamesAndTwoWordScheduleActions() throws Exception {
		assertThat(bash("dilxc-client", "jo")).isEqualTo("job jobs");
		assertThat(bash("dilxc-client", "sch")).isEqualTo("schedule schedules");
		assertThat(bash("dilxc-client", "schedule", "r")).isEqualTo("remove resume run-now");
		assertThat(bash("dilxc-client", "@web", "sta")).isEqualTo("start status");
		assertThat(bash("dilxc-client", "help", "comp")).isEqualTo("completion");
	}

	@Test
	void bashCompletesTheOptionsOfEachCommand() throws Exception {
		assertThat(bash("dilxc-client", "status", "--")).isEqualTo("--json --help");
		assertThat(bash("dilxc-client", "schedule", "add", "--c")).contains("--cron");
		assertThat(bash("dilxc-client", "jobs", "--st")).isEqualTo("--state");
		assertThat(bash("dilxc-client", "@web", "repa")).isEqualTo("repair");
		assertThat(bash("dilxc-client", "repair", "--")).isEqualTo("--force --json --help");
	}

	@Test
	void bashCompletesJobIdsSandboxNamesAndScheduleIdsFromTheDaemon() throws Exception {
		assertThat(bash("dilxc-client", "logs", "")).isEqualTo("14 12");
		assertThat(bash("dilxc-client", "diff", "1")).isEqualTo("14 12");
		assertThat(bash("dilxc-client", "cancel", "--json", "14", "")).as("only the first argument is an id").isEmpty();
		assertThat(bash("dilxc-client", "@")).isEqualTo("@web @db");
		assertThat(bash("dilxc-client", "@w")).isEqualTo("@web");
		assertThat(bash("dilxc-client", "schedule", "pause", "")).isEqualTo("3");
	}

	@Test
	void fishCompletesCommandsOptionsAndIds() throws Exception {
		Path fish = Path.of("/usr/bin/fish");
		assertThat(fish).as("fish is needed for this test: apt-get install fish").isExecutable();
		Result script = this.testbed.client().run("completion", "fish");
		assertThat(script.exitCode()).isZero();
		Path file = Files.writeString(this.testbed.dir().resolve("dilxc-client.fish"), script.out());
		String stub = "function dilxc-client; cat " + this.candidates + "/$argv[2]; end; source " + file + "; ";
		assertThat(fishComplete(stub, "dilxc-client sch")).contains("schedule", "schedules");
		assertThat(fishComplete(stub, "dilxc-client schedule ru")).contains("run-now");
		assertThat(fishComplete(stub, "dilxc-client status --")).contains("--json");
		assertThat(fishComplete(stub, "dilxc-client logs ")).contains("14", "12");
		assertThat(fishComplete(stub, "dilxc-client @")).contains("@web", "@db");
	}

	/**
	 * Runs the bash script's function on the words, as bash does on TAB after the last
	 * one; COMPREPLY joined.
	 */
	private String bash(String... words) throws Exception {
		StringBuilder array = new StringBuilder();
		for (String word : words) {
			array.append('\'').append(word).append("' ");
		}
		String program = "dilxc-client() { cat \"" + this.candidates + "/$2\"; }\n" + "source '" + this.bashScript
				+ "'\n" + "COMP_WORDS=(" + array + ")\nCOMP_CWORD=" + (words.length - 1) + "\n"
				+ "COMP_LINE=\"${COMP_WORDS[*]}\"\nCOMP_POINT=${#COMP_LINE}\n_dilxc_client\necho \"${COMPREPLY[*]}\"\n";
		return run(List.of("bash", "-c", program)).strip();
	}

	private String fishComplete(String prelude, String line) throws Exception {
		return run(List.of("fish", "--no-config", "-c", prelude + "complete -C '" + line + "'"));
	}

	private static String run(List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(out).isZero();
		return out;
	}

}
