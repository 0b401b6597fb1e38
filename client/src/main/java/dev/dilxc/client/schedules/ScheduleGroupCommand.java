package dev.dilxc.client.schedules;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.UsageException;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * {@code schedule} on its own, or with a word that is none of its commands: the usage of
 * the {@code schedule ACTION} commands ({@link dev.dilxc.client.shell.ArgvParser} runs
 * those directly).
 */
final class ScheduleGroupCommand extends ClientCommand {

	static final List<String> ACTIONS = List.of("add", "show", "pause", "resume", "remove", "run-now");

	static final String USAGE = """
			Usage: dilxc-client schedule add --cron EXPR [OPTIONS] [--] PROMPT...
			       dilxc-client schedules [--json]
			       dilxc-client schedule show ID [--json]
			       dilxc-client schedule pause ID | resume ID | remove ID
			       dilxc-client schedule run-now ID [--wait]

			Recurring jobs: every firing queues one job with the schedule's prompt and options.
			'dilxc-client schedule add --help' has the cron forms and the options.""";

	ScheduleGroupCommand(ExitStatusExceptionMapper errors) {
		super("schedule", REVIEW, "Recurring jobs: add, show, pause, resume, remove, run-now.", "ACTION ...", List.of(),
				errors);
	}

	@Override
	public String getHelp() {
		return USAGE;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		List<String> arguments = input.arguments();
		if (arguments.isEmpty()) {
			out.println(USAGE);
			return ok();
		}
		String action = arguments.getFirst();
		String hint = ACTIONS.stream()
			.filter(known -> known.startsWith(action) || action.startsWith(known) || close(known, action))
			.findFirst()
			.map(known -> "; did you mean 'schedule " + known + "'?")
			.orElse("");
		throw new UsageException("unknown schedule action '" + action + "'" + hint + " (actions: "
				+ String.join(", ", ACTIONS) + "; the list is 'dilxc-client schedules')");
	}

	/** Same length, at most one letter different, or two neighbours swapped: a typo. */
	private static boolean close(String known, String typed) {
		if (known.length() != typed.length()) {
			return false;
		}
		int differ = 0;
		for (int i = 0; i < known.length(); i++) {
			if (known.charAt(i) != typed.charAt(i)) {
				differ++;
			}
		}
		return differ <= 2;
	}

}
