package dev.dilxc.client.shell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.dilxc.client.ExitCodes;
import dev.dilxc.client.render.TerminalText;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.InputReader;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.ParsedInput;

/**
 * Runs exactly one command from the program arguments and returns the process exit code.
 *
 * <p>
 * Replaces Spring Shell's {@code NonInteractiveShellRunner}, which (in 4.0.1) re-splits
 * the joined arguments, logs errors instead of reporting them, and always lets the
 * process exit 0 (or 1 with a stack trace). Here every outcome is an {@link ExitStatus}
 * with one of {@link ExitCodes}, and a failure prints one line,
 * {@code dilxc-client: <what went wrong>}, to stderr.
 */
public final class OneShotRunner {

	private final ArgvParser parser;

	private final CommandRegistry registry;

	private final ClientErrors errors;

	private final StandardStreams streams;

	public OneShotRunner(ArgvParser parser, CommandRegistry registry, ClientErrors errors, StandardStreams streams) {
		this.parser = parser;
		this.registry = registry;
		this.errors = errors;
		this.streams = streams;
	}

	/** Runs the command {@code argv} names; returns its exit code. */
	public int run(List<String> argv) {
		ExitStatus status;
		try {
			ParsedInput input = this.parser.parse(argv);
			Command command = this.registry.getCommandByName(input.commandName());
			if (command == null) {
				throw new UsageException("unknown command '" + input.commandName() + "'");
			}
			status = command.execute(new CommandContext(input, this.registry, this.streams.out(), lineReader()));
		}
		catch (Exception ex) {
			status = this.errors.apply(ex);
		}
		finally {
			this.streams.out().flush();
		}
		int code = exitCode(status);
		String description = status.description();
		if (code != ExitCodes.OK && description != null && !description.isBlank()) {
			this.streams.err().println("dilxc-client: " + TerminalText.oneLine(description));
		}
		this.streams.err().flush();
		return code;
	}

	/**
	 * Reads answers (destroy's confirmation) from stdin, a byte at a time so nothing
	 * after the line is taken from a command that reads stdin later; the prompt goes to
	 * stderr, keeping stdout clean. Returns null at the end of input.
	 */
	private InputReader lineReader() {
		return new InputReader() {
			// Spring Shell declares a line, but only CommandInput.readLine reads this
			// one, and it takes null as the
			// end of input (as ConsoleShellRunner's reader also answers).
			@Override
			@SuppressWarnings("NullAway")
			public @Nullable String readInput(String prompt) throws IOException {
				OneShotRunner.this.streams.err().print(prompt);
				OneShotRunner.this.streams.err().flush();
				return readLine(OneShotRunner.this.streams.in());
			}
		};
	}

	static @Nullable String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1 && b != '\n') {
			line.write(b);
		}
		if (b == -1 && line.size() == 0) {
			return null;
		}
		String text = line.toString(StandardCharsets.UTF_8);
		return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
	}

	/**
	 * The process exit code for a status: ours as is, Spring Shell's negative ones
	 * mapped.
	 */
	static int exitCode(ExitStatus status) {
		int code = status.code();
		if (code >= 0 && code <= 255) {
			return code;
		}
		if (code == ExitStatus.USAGE_ERROR.code()) {
			return ExitCodes.BAD_INPUT;
		}
		return ExitCodes.INTERNAL_ERROR;
	}

}
