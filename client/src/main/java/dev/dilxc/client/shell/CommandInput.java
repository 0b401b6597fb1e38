package dev.dilxc.client.shell;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.CommandArgument;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandOption;

/**
 * Typed access to a parsed command line, turning bad values into {@link UsageException}s
 * that name the option and show what is accepted.
 */
public final class CommandInput {

	private final String command;

	private final CommandContext context;

	public CommandInput(String command, CommandContext context) {
		this.command = command;
		this.context = context;
	}

	/** The value of {@code --longName}, or null when it was not given. */
	public @Nullable String option(String longName) {
		CommandOption option = this.context.getOptionByLongName(longName);
		return (option != null) ? option.value() : null;
	}

	/**
	 * Whether boolean option {@code --longName} was given (and not as {@code =false}).
	 */
	public boolean flag(String longName) {
		return "true".equals(option(longName));
	}

	/**
	 * The value of {@code --longName} as a number of at least 1, or null when it was not
	 * given.
	 */
	public @Nullable Integer positiveInt(String longName) {
		String value = option(longName);
		if (value == null) {
			return null;
		}
		try {
			int number = Integer.parseInt(value.trim());
			if (number >= 1) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new UsageException("--" + longName + " must be a whole number of at least 1, got '" + value + "'");
	}

	/** The sandbox named by a leading {@code @NAME}, or null when the line had none. */
	public @Nullable String atSandbox() {
		return option(ArgvParser.AT_SANDBOX);
	}

	/**
	 * Shows {@code prompt} and reads one line the user types, or null when there is no
	 * more input (end of file, or no way to read).
	 */
	public @Nullable String readLine(String prompt) {
		try {
			return this.context.inputReader().readInput(prompt);
		}
		catch (UnsupportedOperationException ex) {
			return null;
		}
		catch (Exception ex) {
			throw new UsageException("cannot read the answer: " + ex.getMessage(), ex);
		}
	}

	/** The positional arguments, in order. */
	public List<String> arguments() {
		return this.context.parsedInput().arguments().stream().map(CommandArgument::value).toList();
	}

	/**
	 * The single argument, a job id; a usage error if it is missing, extra or not a
	 * number.
	 */
	public long jobId() {
		return singleId("job", "jobs");
	}

	/**
	 * The single argument, a schedule id; a usage error if it is missing, extra or not a
	 * number.
	 */
	public long scheduleId() {
		return singleId("schedule", "schedules");
	}

	private long singleId(String what, String listCommand) {
		List<String> arguments = arguments();
		if (arguments.isEmpty()) {
			throw new UsageException("missing " + what + " id: dilxc-client " + this.command + " ID (see 'dilxc-client "
					+ listCommand + "')");
		}
		if (arguments.size() > 1) {
			throw new UsageException("'" + this.command + "' takes one " + what + " id, got " + arguments.size()
					+ " arguments: " + String.join(" ", arguments));
		}
		return id(arguments.getFirst(), what);
	}

	/**
	 * {@code text} as the id of a {@code what} ({@code job}), a positive number; else a
	 * usage error.
	 */
	public static long id(String text, String what) {
		try {
			long id = Long.parseLong(text.trim());
			if (id >= 1) {
				return id;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new UsageException(what + " id must be a positive number, got '" + text + "'");
	}

	/** A usage error unless there are no positional arguments. */
	public void noArguments() {
		List<String> arguments = arguments();
		if (!arguments.isEmpty()) {
			throw new UsageException("'" + this.command + "' takes no arguments, got: " + String.join(" ", arguments));
		}
	}

}
