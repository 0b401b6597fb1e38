package dev.dilxc.client.shell;

import java.io.PrintWriter;
import java.util.List;

import org.springframework.shell.core.command.AbstractCommand;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * Base of the client's commands: declared options (checked by {@link ArgvParser}), a
 * usage text for {@code --help}, and errors mapped by the shared
 * {@link ExitStatusExceptionMapper} ({@link ClientErrors}). Subclasses parse their input,
 * call the daemon and print; they return an {@link ExitStatus} whose code is one of
 * {@link dev.dilxc.client.ExitCodes}.
 */
public abstract class ClientCommand extends AbstractCommand {

	/** The group of the job commands in {@code help}. */
	public static final String GROUP = "Jobs";

	/** The group of the schedule and morning-review commands in {@code help}. */
	public static final String REVIEW = "Schedules & review";

	private final String synopsis;

	private final List<OptionSpec> specs;

	private String notes = "";

	private boolean internal;

	protected ClientCommand(String name, String description, String synopsis, List<OptionSpec> specs,
			ExitStatusExceptionMapper errors) {
		this(name, GROUP, description, synopsis, specs, errors);
	}

	protected ClientCommand(String name, String group, String description, String synopsis, List<OptionSpec> specs,
			ExitStatusExceptionMapper errors) {
		this(name, group, description, synopsis, specs, errors, false);
	}

	/**
	 * As above; an internal command runs but is left out of {@code help}, suggestions and
	 * completion. (Not Spring Shell's hidden flag: its lookup by name skips hidden
	 * commands, so they could not run.)
	 */
	protected ClientCommand(String name, String group, String description, String synopsis, List<OptionSpec> specs,
			ExitStatusExceptionMapper errors, boolean internal) {
		super(name, description, group, "", false);
		this.internal = internal;
		this.synopsis = synopsis;
		this.specs = specs;
		setOptions(specs.stream().map(OptionSpec::toCommandOption).toList());
		setExitStatusExceptionMapper(errors);
	}

	/**
	 * Whether {@code help}, suggestions and completion leave it out (e.g.
	 * {@code __complete}).
	 */
	public boolean isInternal() {
		return this.internal;
	}

	/** Whether a command is left out of what users are shown. */
	public static boolean isListed(org.springframework.shell.core.command.Command command) {
		return !command.isHidden() && !(command instanceof ClientCommand client && client.isInternal());
	}

	/** The options it declares (not {@code --help}), for completion. */
	public List<OptionSpec> optionSpecs() {
		return this.specs;
	}

	/**
	 * Whether every word after the command name is an argument, passed on verbatim: no
	 * options, no {@code --help}, no {@code --} (for commands that run a command line in
	 * the sandbox).
	 */
	public boolean takesVerbatimArguments() {
		return false;
	}

	/** Adds paragraphs to the {@code --help} text, after the options. */
	protected final void setNotes(String notes) {
		this.notes = notes;
	}

	@Override
	public final ExitStatus doExecute(CommandContext context) throws Exception {
		PrintWriter out = context.outputWriter();
		try {
			return run(new CommandInput(getName(), context), out);
		}
		finally {
			out.flush();
		}
	}

	/** Runs the command, printing its output to {@code out}. */
	protected abstract ExitStatus run(CommandInput input, PrintWriter out) throws Exception;

	/** The usage text printed for {@code --help} and {@code help NAME}. */
	@Override
	public String getHelp() {
		StringBuilder help = new StringBuilder();
		help.append("Usage: dilxc-client ").append(getName());
		if (!this.synopsis.isEmpty()) {
			help.append(' ').append(this.synopsis);
		}
		help.append("\n\n").append(getDescription()).append('\n');
		if (!this.specs.isEmpty() || !takesVerbatimArguments()) {
			help.append("\nOptions:\n");
		}
		int width = this.specs.stream().mapToInt(spec -> spec.label().length()).max().orElse(0);
		width = Math.max(width, "-h, --help".length());
		for (OptionSpec spec : this.specs) {
			help.append("  ").append(pad(spec.label(), width)).append("  ").append(spec.description()).append('\n');
		}
		if (!takesVerbatimArguments()) {
			help.append("  ").append(pad("-h, --help", width)).append("  show this help\n");
		}
		if (!this.notes.isEmpty()) {
			help.append('\n').append(this.notes).append('\n');
		}
		return help.toString().stripTrailing();
	}

	private static String pad(String text, int width) {
		return text + " ".repeat(Math.max(0, width - text.length()));
	}

	protected static ExitStatus ok() {
		return ExitStatus.OK;
	}

	/**
	 * One option of a command.
	 *
	 * @param longName its name without the dashes
	 * @param shortName its one-letter name ({@code -p}), or a space for none
	 * @param valueName what its value is called in the help ({@code NAME}), empty for a
	 * flag
	 * @param description one line for the help
	 */
	public record OptionSpec(String longName, char shortName, String valueName, String description) {

		/** A boolean option that takes no value. */
		public static OptionSpec flag(String longName, String description) {
			return new OptionSpec(longName, ' ', "", description);
		}

		/** An option that takes a value. */
		public static OptionSpec value(String longName, String valueName, String description) {
			return new OptionSpec(longName, ' ', valueName, description);
		}

		/** An option that takes a value, also written {@code -x VALUE}. */
		public static OptionSpec value(String longName, char shortName, String valueName, String description) {
			return new OptionSpec(longName, shortName, valueName, description);
		}

		boolean isFlag() {
			return this.valueName.isEmpty();
		}

		/** {@code --name} and, if it has one, {@code -n}. */
		public List<String> spellings() {
			return (this.shortName != ' ') ? List.of("--" + this.longName, "-" + this.shortName)
					: List.of("--" + this.longName);
		}

		String label() {
			String name = (this.shortName != ' ') ? "-" + this.shortName + ", --" + this.longName
					: "--" + this.longName;
			return name + (isFlag() ? "" : " " + this.valueName);
		}

		CommandOption toCommandOption() {
			return CommandOption.with()
				.longName(this.longName)
				.shortName(this.shortName)
				.description(this.description)
				.required(false)
				.type(isFlag() ? boolean.class : String.class)
				.build();
		}
	}

}
