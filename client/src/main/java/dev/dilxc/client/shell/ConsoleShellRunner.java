package dev.dilxc.client.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import org.springframework.shell.core.InputProvider;
import org.springframework.shell.core.InputReader;
import org.springframework.shell.core.InteractiveShellRunner;
import org.springframework.shell.core.command.CommandRegistry;

/**
 * The interactive shell ({@code dilxc-client} without arguments): reads lines from stdin,
 * splits them like a shell ({@link ArgvParser#tokenize(String)}) and runs them until
 * {@code exit}, {@code quit} or end of input.
 *
 * <p>
 * Spring Shell's {@code SystemShellRunner} needs {@code System.console()} (null when
 * stdin is not a terminal on JDK 21) and closes the console's writer after each message;
 * this one works on plain streams.
 */
public final class ConsoleShellRunner extends InteractiveShellRunner {

	/** The prompt shown before each line. */
	public static final String PROMPT = "dilxc> ";

	private final PrintWriter out;

	private final BufferedReader in;

	public ConsoleShellRunner(ArgvParser parser, CommandRegistry registry, StandardStreams streams) {
		this(parser, registry, streams.out(),
				new BufferedReader(new InputStreamReader(streams.in(), StandardCharsets.UTF_8)));
	}

	private ConsoleShellRunner(ArgvParser parser, CommandRegistry registry, PrintWriter out, BufferedReader in) {
		super(lineProvider(out, in), parser, registry);
		this.out = out;
		this.in = in;
	}

	private static InputProvider lineProvider(PrintWriter out, BufferedReader in) {
		return () -> {
			out.print(PROMPT);
			out.flush();
			String line = in.readLine();
			if (line == null) {
				out.println();
				return "exit";
			}
			return line.strip();
		};
	}

	@Override
	public void print(String message) {
		// an interactive command passes its exit code on without a description
		if (message.endsWith(": null")) {
			message = message.substring(0, message.length() - ": null".length()) + ": it exited non-zero";
		}
		this.out.println(message);
		this.out.flush();
	}

	@Override
	public void flush() {
		this.out.flush();
	}

	@Override
	public PrintWriter getWriter() {
		return this.out;
	}

	@Override
	public InputReader getReader() {
		return new InputReader() {
			@Override
			public String readInput(String prompt) throws IOException {
				ConsoleShellRunner.this.out.print(prompt);
				ConsoleShellRunner.this.out.flush();
				// null at the end of input: a confirmation must not mistake it for an
				// answer
				return ConsoleShellRunner.this.in.readLine();
			}
		};
	}

}
