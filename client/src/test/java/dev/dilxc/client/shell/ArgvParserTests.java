package dev.dilxc.client.shell;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.daemon.UnixSocketHttpClient;
import dev.dilxc.client.sandboxes.HostEnvironment;
import org.junit.jupiter.api.Test;
import org.springframework.shell.core.command.CommandArgument;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ParsedInput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ArgvParserTests {

	private final ArgvParser parser = new ArgvParser(registry());

	@Test
	void parseKeepsEachArgumentExactlyAsGiven() {
		String prompt = "  two  spaces\nnewline \"quotes\" 'single' $(cmd) `tick` \\ back \u00e9\ud83d\ude80 ";
		ParsedInput input = this.parser.parse(List.of("submit", prompt));
		assertThat(arguments(input)).containsExactly(prompt);
	}

	@Test
	void parseTakesEverythingAfterDoubleDashAsArguments() {
		ParsedInput input = this.parser.parse(List.of("submit", "--wait", "--", "-rf everything"));
		assertThat(arguments(input)).containsExactly("-rf everything");
		assertThat(option(input, "wait")).isEqualTo("true");
	}

	@Test
	void parseTakesTheNextWordAsAValueEvenIfItStartsWithADash() {
		ParsedInput input = this.parser.parse(List.of("submit", "--sandbox", "-odd-name", "prompt"));
		assertThat(option(input, "sandbox")).isEqualTo("-odd-name");
		assertThat(arguments(input)).containsExactly("prompt");
	}

	@Test
	void parseAcceptsInlineValuesAndOptionsAfterArguments() {
		ParsedInput input = this.parser.parse(List.of("submit", "prompt", "--timeout=30m", "--restore", "never"));
		assertThat(option(input, "timeout")).isEqualTo("30m");
		assertThat(option(input, "restore")).isEqualTo("never");
		assertThat(arguments(input)).containsExactly("prompt");
	}

	@Test
	void parseTreatsALoneDashAsAnArgument() {
		ParsedInput input = this.parser.parse(List.of("submit", "--prompt-file", "-"));
		assertThat(option(input, "prompt-file")).isEqualTo("-");
	}

	@Test
	void parseWhenOptionUnknownThrowsUsageNamingIt() {
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> this.parser.parse(List.of("jobs", "--stat", "RUNNING")))
			.withMessage("unknown option '--stat' for 'jobs' (options: --state, --sandbox, --all, --limit, --json)");
	}

	@Test
	void parseWhenCommandUnknownThrowsUsageSuggestingTheNearestCommand() {
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> this.parser.parse(List.of("jbos")))
			.withMessage("unknown command 'jbos'; did you mean 'jobs'? (try 'dilxc-client help' for the list)");
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> this.parser.parse(List.of("frobnicate")))
			.withMessage("unknown command 'frobnicate' (try 'dilxc-client help' for the list)");
	}

	@Test
	void parseWhenValueMissingThrowsUsage() {
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> this.parser.parse(List.of("submit", "x", "--timeout")))
			.withMessageStartingWith("option '--timeout' needs a value");
	}

	@Test
	void parseWhenOptionRepeatedThrowsUsage() {
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> this.parser.parse(List.of("submit", "--sandbox", "a", "--sandbox=b", "x")))
			.withMessage("option '--sandbox' is given twice");
	}

	@Test
	void parseWhenFlagGivenAValueOtherThanTrueOrFalseThrowsUsage() {
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> this.parser.parse(List.of("jobs", "--json=yes")))
			.withMessageContaining("takes no value");
	}

	@Test
	void parseTurnsHelpAnywhereIntoTheHelpOption() {
		ParsedInput input = this.parser.parse(List.of("submit", "--timeout", "1m", "--help"));
		assertThat(input.options()).singleElement().extracting(CommandOption::longName).isEqualTo("help");
		assertThat(this.parser.parse(List.of("--help")).commandName()).isEqualTo("help");
	}

	@Test
	void tokenizeSplitsLikeAShell() {
		assertThat(ArgvParser.tokenize("submit  --sandbox dev \"fix \\\"it\\\" now\" 'a  $b' c\\ d"))
			.containsExactly("submit", "--sandbox", "dev", "fix \"it\" now", "a  $b", "c d");
		assertThat(ArgvParser.tokenize("submit -- '-rf everything'")).containsExactly("submit", "--", "-rf everything");
		assertThat(ArgvParser.tokenize("   ")).isEmpty();
		assertThat(ArgvParser.tokenize("x \"\" ''")).containsExactly("x", "", "");
	}

	@Test
	void tokenizeWhenQuoteUnclosedThrowsUsage() {
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> ArgvParser.tokenize("submit \"oops"))
			.withMessage("unclosed double quote");
	}

	private static List<String> arguments(ParsedInput input) {
		return input.arguments().stream().map(CommandArgument::value).toList();
	}

	private static String option(ParsedInput input, String longName) {
		return input.options()
			.stream()
			.filter(option -> longName.equals(option.longName()))
			.map(CommandOption::value)
			.findFirst()
			.orElse(null);
	}

	@Test
	void parseAcceptsShortOptionAliases() {
		ParsedInput input = this.parser.parse(List.of("init", "-p", "proj", "-n", "web", "--deploy=/srv", "--fish"));
		assertThat(option(input, "project")).isEqualTo("proj");
		assertThat(option(input, "name")).isEqualTo("web");
		assertThat(option(input, "deploy")).isEqualTo("/srv");
		assertThat(option(input, "fish")).isEqualTo("true");
	}

	@Test
	void parseWhenShortAndLongFormOfAnOptionGivenThrowsUsage() {
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> this.parser.parse(List.of("init", "-p", "a", "--project", "b")))
			.withMessage("option '--project' is given twice");
	}

	@Test
	void parseTakesALeadingAtNameAsTheSandboxOfTheLine() {
		ParsedInput input = this.parser.parse(List.of("@web", "status", "--json"));
		assertThat(input.commandName()).isEqualTo("status");
		assertThat(option(input, ArgvParser.AT_SANDBOX)).isEqualTo("web");
		assertThat(option(input, "json")).isEqualTo("true");
		ParsedInput line = this.parser.parse("@api snapshot 'before upgrade'");
		assertThat(option(line, ArgvParser.AT_SANDBOX)).isEqualTo("api");
		assertThat(arguments(line)).containsExactly("before upgrade");
	}

	@Test
	void parseTakesAnAtNameOnlyAsTheFirstWord() {
		ParsedInput input = this.parser.parse(List.of("snapshot", "@web"));
		assertThat(option(input, ArgvParser.AT_SANDBOX)).isNull();
		assertThat(arguments(input)).containsExactly("@web");
	}

	@Test
	void parseGivesVerbatimCommandsEveryWordAsIs() {
		ParsedInput input = this.parser.parse(List.of("@web", "exec", "ls", "-la", "--help", "--", "-h"));
		assertThat(input.commandName()).isEqualTo("exec");
		assertThat(arguments(input)).containsExactly("ls", "-la", "--help", "--", "-h");
		assertThat(option(input, ArgvParser.AT_SANDBOX)).isEqualTo("web");
		assertThat(arguments(this.parser.parse("docker compose logs -f"))).containsExactly("compose", "logs", "-f");
	}

	@Test
	void parseResolvesAliases() {
		assertThat(this.parser.parse(List.of("health")).commandName()).isEqualTo("health-check");
	}

	@Test
	void parseFindsATwoWordCommandAndChecksItsOwnOptions() {
		ParsedInput input = this.parser.parse(List.of("@web", "schedule", "add", "--cron", "@daily", "fix", "it"));
		assertThat(input.commandName()).isEqualTo("schedule add");
		assertThat(option(input, "cron")).isEqualTo("@daily");
		assertThat(option(input, ArgvParser.AT_SANDBOX)).isEqualTo("web");
		assertThat(arguments(input)).containsExactly("fix", "it");
		assertThat(this.parser.parse(List.of("schedule", "show", "3")).commandName()).isEqualTo("schedule show");
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> this.parser.parse(List.of("schedule", "show", "--wait", "3")))
			.withMessageContaining("unknown option '--wait' for 'schedule show'");
	}

	@Test
	void parseFallsBackToTheFirstWordWhenTheSecondIsNoSubcommand() {
		ParsedInput input = this.parser.parse(List.of("schedule", "frobnicate"));
		assertThat(input.commandName()).isEqualTo("schedule");
		assertThat(arguments(input)).containsExactly("frobnicate");
		assertThat(this.parser.parse(List.of("schedule", "add", "--help")).options().getFirst().longName())
			.isEqualTo("help");
	}

	private static CommandRegistry registry() {
		var json = ClientCommands.jsonMapper();
		var streams = new StandardStreams(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
				new ByteArrayInputStream(new byte[0]));
		var daemon = new DaemonClient(new UnixSocketHttpClient(Path.of("/nonexistent/daemon.sock")), json);
		return ClientCommands.registry(daemon, json, streams, new ClientErrors(false, streams.err()), Clock.systemUTC(),
				Duration.ofMillis(10),
				new HostEnvironment(Map.of(), Path.of("/"), Path.of("/nonexistent"), () -> false));
	}

}
