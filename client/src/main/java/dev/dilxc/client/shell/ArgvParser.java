package dev.dilxc.client.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandArgument;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.CommandParser;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ParsedInput;

/**
 * Parses a command line into Spring Shell's {@link ParsedInput}, word by word, checking
 * it against the command's declared options.
 *
 * <p>
 * Why not Spring Shell's {@code DefaultCommandParser}: its non-interactive runner joins
 * the program arguments with spaces and splits them again, so a prompt loses its
 * newlines, runs of spaces and quotes; and it accepts unknown options silently. Here,
 * one-shot use hands the program arguments over untouched ({@link #parse(List)}), and
 * interactive lines are split like a POSIX shell would ({@link #tokenize(String)}).
 *
 * <p>
 * Rules: {@code --name value}, {@code --name=value}, {@code -n value}; boolean options
 * take no value ({@code --wait}, or {@code --wait=false}); a value option takes the next
 * word whatever it looks like; {@code --} ends the options, so an argument may start with
 * {@code -}; a lone {@code -} is an argument; {@code -h}/{@code --help} anywhere before
 * {@code --} asks for the command's help. A first word {@code @NAME} picks the sandbox
 * for this command line (it reaches the command as the hidden option
 * {@value #AT_SANDBOX}). A command may be named by two words ({@code schedule add}); then
 * its options and arguments follow the second. Commands that
 * {@link ClientCommand#takesVerbatimArguments() take verbatim arguments} ({@code exec},
 * {@code docker}) get every word after their name as is.
 */
public final class ArgvParser implements CommandParser {

	private static final String HELP = "help";

	/** The long name of the hidden option that carries a leading {@code @NAME}. */
	public static final String AT_SANDBOX = "at-sandbox";

	private final CommandRegistry registry;

	public ArgvParser(CommandRegistry registry) {
		this.registry = registry;
	}

	/** Parses one interactive line, split into words like a shell would. */
	@Override
	public ParsedInput parse(String input) {
		return parse(tokenize(input));
	}

	/** Parses program arguments, each taken as one word exactly as given. */
	public ParsedInput parse(List<String> argv) {
		if (argv.isEmpty()) {
			throw new UsageException("no command given; try 'dilxc-client help'");
		}
		String atSandbox = null;
		if (argv.getFirst().startsWith("@")) {
			atSandbox = argv.getFirst().substring(1);
			if (atSandbox.isEmpty()) {
				throw new UsageException("'@' needs a sandbox name right after it: dilxc-client @NAME COMMAND ...");
			}
			argv = argv.subList(1, argv.size());
			if (argv.isEmpty()) {
				throw new UsageException(
						"no command after '@" + atSandbox + "'; e.g. dilxc-client @" + atSandbox + " status");
			}
		}
		String name = argv.getFirst();
		if (name.equals("--help") || name.equals("-h")) {
			name = HELP;
		}
		Command command = this.registry.getCommandByName(name);
		// a command of two words ('schedule add') wins over its first word alone
		int first = 1;
		if (argv.size() > 1 && !isOption(argv.get(1))) {
			Command subcommand = this.registry.getCommandByName(name + " " + argv.get(1));
			if (subcommand != null) {
				command = subcommand;
				first = 2;
			}
		}
		if (command == null) {
			throw new UsageException(
					"unknown command '" + name + "'" + suggestion(name) + " (try 'dilxc-client help' for the list)");
		}
		ParsedInput.Builder builder = ParsedInput.builder().commandName(command.getName());
		if (atSandbox != null) {
			builder.addOption(CommandOption.with().longName(AT_SANDBOX).value(atSandbox).build());
		}
		if (command instanceof ClientCommand client && client.takesVerbatimArguments()) {
			for (int index = first; index < argv.size(); index++) {
				builder.addArgument(new CommandArgument(index - first, argv.get(index)));
			}
			return builder.build();
		}
		List<CommandOption> options = new ArrayList<>();
		List<String> arguments = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		boolean help = false;
		boolean onlyArguments = false;
		for (int i = first; i < argv.size(); i++) {
			String word = argv.get(i);
			if (onlyArguments || !isOption(word)) {
				arguments.add(word);
				continue;
			}
			if (word.equals("--")) {
				onlyArguments = true;
				continue;
			}
			if (word.equals("--help") || word.equals("-h")) {
				help = true;
				continue;
			}
			int equals = word.indexOf('=');
			String key = (equals >= 0) ? word.substring(0, equals) : word;
			String inlineValue = (equals >= 0) ? word.substring(equals + 1) : null;
			CommandOption declared = find(command, key);
			if (declared == null) {
				throw unknownOption(command, word);
			}
			String longName = Objects.requireNonNull(declared.longName(), "every option of ours has a long name");
			if (!seen.add(longName)) {
				throw new UsageException("option '--" + longName + "' is given twice");
			}
			String value;
			if (isBoolean(declared)) {
				value = (inlineValue != null) ? booleanValue(declared, inlineValue) : "true";
			}
			else if (inlineValue != null) {
				value = inlineValue;
			}
			else if (i + 1 < argv.size()) {
				value = argv.get(++i);
			}
			else {
				throw new UsageException("option '--" + longName + "' needs a value (see 'dilxc-client "
						+ command.getName() + " --help')");
			}
			options.add(CommandOption.with()
				.longName(longName)
				.shortName(declared.shortName())
				.type(declared.type())
				.value(value)
				.build());
		}
		if (help) {
			return ParsedInput.builder()
				.commandName(command.getName())
				.addOption(CommandOption.with().longName("help").shortName('h').value("true").build())
				.build();
		}
		options.forEach(builder::addOption);
		for (int index = 0; index < arguments.size(); index++) {
			builder.addArgument(new CommandArgument(index, arguments.get(index)));
		}
		return builder.build();
	}

	private static boolean isOption(String word) {
		return word.length() > 1 && word.charAt(0) == '-';
	}

	private static @Nullable CommandOption find(Command command, String key) {
		for (CommandOption option : command.getOptions()) {
			if (option.isOptionEqual(key)) {
				return option;
			}
		}
		return null;
	}

	private static boolean isBoolean(CommandOption option) {
		return option.type() == boolean.class || option.type() == Boolean.class;
	}

	private static String booleanValue(CommandOption option, String value) {
		if (value.equals("true") || value.equals("false")) {
			return value;
		}
		throw new UsageException(
				"option '--" + option.longName() + "' takes no value, or =true / =false; got '" + value + "'");
	}

	private static UsageException unknownOption(Command command, String word) {
		String known = command.getOptions()
			.stream()
			.map(option -> "--" + option.longName())
			.collect(Collectors.joining(", "));
		String message = "unknown option '" + word + "' for '" + command.getName() + "'"
				+ (known.isEmpty() ? " (it takes none)" : " (options: " + known + ")");
		if (word.startsWith("-") && !word.startsWith("--") || word.contains(" ")) {
			message += "; to pass an argument that starts with '-', put '--' before it";
		}
		return new UsageException(message);
	}

	/** {@code ; did you mean 'jobs'?} for a near miss, else nothing. */
	private String suggestion(String name) {
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		// sorted, so that ties always give the same suggestion
		for (Command command : this.registry.getCommands()
			.stream()
			.sorted(Comparator.comparing(Command::getName))
			.toList()) {
			if (!ClientCommand.isListed(command)) {
				continue;
			}
			int distance = distance(name, command.getName());
			if (distance < bestDistance) {
				best = command.getName();
				bestDistance = distance;
			}
		}
		return (best != null && bestDistance <= Math.max(2, name.length() / 3)) ? "; did you mean '" + best + "'?" : "";
	}

	/**
	 * Edit distance counting a swap of neighbours as one edit (optimal string alignment),
	 * for suggestions.
	 */
	private static int distance(String a, String b) {
		int[][] d = new int[a.length() + 1][b.length() + 1];
		for (int i = 0; i <= a.length(); i++) {
			d[i][0] = i;
		}
		for (int j = 0; j <= b.length(); j++) {
			d[0][j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			for (int j = 1; j <= b.length(); j++) {
				int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
				d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
				if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
					d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
				}
			}
		}
		return d[a.length()][b.length()];
	}

	/**
	 * Splits an interactive line into words like a POSIX shell (without expansions):
	 * blanks separate words; {@code '...'} is literal; {@code "..."} is literal except
	 * for {@code \"}, {@code \\}, {@code \$} and {@code \`}; outside quotes a backslash
	 * takes the next character literally.
	 */
	public static List<String> tokenize(String line) {
		List<String> words = new ArrayList<>();
		StringBuilder word = new StringBuilder();
		boolean inWord = false;
		int i = 0;
		while (i < line.length()) {
			char c = line.charAt(i);
			if (c == '\'') {
				int end = line.indexOf('\'', i + 1);
				if (end < 0) {
					throw new UsageException("unclosed single quote");
				}
				word.append(line, i + 1, end);
				inWord = true;
				i = end + 1;
			}
			else if (c == '"') {
				i = doubleQuoted(line, i + 1, word);
				inWord = true;
			}
			else if (c == '\\') {
				if (i + 1 < line.length()) {
					word.append(line.charAt(i + 1));
				}
				inWord = true;
				i += 2;
			}
			else if (Character.isWhitespace(c)) {
				if (inWord) {
					words.add(word.toString());
					word.setLength(0);
					inWord = false;
				}
				i++;
			}
			else {
				word.append(c);
				inWord = true;
				i++;
			}
		}
		if (inWord) {
			words.add(word.toString());
		}
		return words;
	}

	private static int doubleQuoted(String line, int start, StringBuilder word) {
		int i = start;
		while (i < line.length()) {
			char c = line.charAt(i);
			if (c == '"') {
				return i + 1;
			}
			if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
				word.append(line.charAt(i + 1));
				i += 2;
			}
			else {
				word.append(c);
				i++;
			}
		}
		throw new UsageException("unclosed double quote");
	}

}
