package dev.dilxc.client.jobs;

import java.math.BigDecimal;
import java.util.List;

import dev.dilxc.api.RestorePolicy;
import dev.dilxc.client.sandboxes.SandboxSelection;
import dev.dilxc.client.shell.ClientCommand.OptionSpec;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.UsageException;
import org.jspecify.annotations.Nullable;

/**
 * The options a job is made with, shared by {@code submit}, {@code claude-run} and
 * {@code schedule add}: declared once, parsed once, with the same messages everywhere.
 */
public final class JobOptions {

	public static final OptionSpec SANDBOX = OptionSpec.value("sandbox", "NAME",
			"LXD container to run in (default: the selected sandbox, else the daemon's)");

	public static final OptionSpec RESTORE = OptionSpec.value("restore", "POLICY",
			"restore the pre-job snapshot: never, on-failure (default), always");

	public static final OptionSpec TIMEOUT = OptionSpec.value("timeout", "DURATION",
			"time limit (time awake; clock jumps do not count), e.g. 90s, 30m, 2h");

	public static final OptionSpec PROMPT_FILE = OptionSpec.value("prompt-file", "PATH",
			"read the prompt from a UTF-8 file ('-' = stdin)");

	public static final OptionSpec MAX_TURNS = OptionSpec.value("max-turns", "N",
			"stop the agent after N turns (Claude Code's --max-turns)");

	public static final OptionSpec MAX_BUDGET = OptionSpec.value("max-budget-usd", "X",
			"stop the agent once it has spent X US dollars (Claude Code's --max-budget-usd)");

	public static final OptionSpec SYNC = OptionSpec.flag("sync",
			"refresh the working copy from the project before the agent starts");

	/** The budget guards and {@code --sync}, in the order the help shows them. */
	public static final List<OptionSpec> GUARDS = List.of(MAX_TURNS, MAX_BUDGET, SYNC);

	private JobOptions() {
	}

	/**
	 * {@code --sandbox}, else the sandbox the user selected with {@code @NAME},
	 * {@code DILXC_CONTAINER} or {@code .dilxc}; else null, so the daemon's configured
	 * default.
	 */
	public static @Nullable String sandbox(CommandInput input, SandboxSelection selection) {
		String sandbox = input.option("sandbox");
		if (sandbox != null && sandbox.isBlank()) {
			throw new UsageException("--sandbox needs a container name");
		}
		if (sandbox == null) {
			SandboxSelection.Selected selected = selection.resolve(input.atSandbox());
			sandbox = selected.isExplicit() ? selected.name() : null;
		}
		return sandbox;
	}

	public static @Nullable RestorePolicy restorePolicy(CommandInput input) {
		String value = input.option("restore");
		if (value == null) {
			return null;
		}
		try {
			return RestorePolicy.parse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException("invalid --restore: " + ex.getMessage(), ex);
		}
	}

	/** {@code --timeout} in seconds, or null. */
	public static @Nullable Long timeoutSeconds(CommandInput input) {
		String timeout = input.option("timeout");
		return (timeout != null) ? Timeouts.parse(timeout).toSeconds() : null;
	}

	public static @Nullable Integer maxTurns(CommandInput input) {
		return input.positiveInt("max-turns");
	}

	/** {@code --max-budget-usd}, or null. */
	public static @Nullable BigDecimal maxBudgetUsd(CommandInput input) {
		return usd(input, "max-budget-usd");
	}

	/**
	 * A US dollar amount greater than 0 ({@code 5}, {@code 0.50}, {@code $2}), or null
	 * when not given.
	 */
	public static @Nullable BigDecimal usd(CommandInput input, String option) {
		String value = input.option(option);
		if (value == null) {
			return null;
		}
		String number = value.strip();
		if (number.startsWith("$")) {
			number = number.substring(1);
		}
		if (number.matches("[0-9]{1,9}(\\.[0-9]{1,6})?|\\.[0-9]{1,6}")) {
			BigDecimal amount = new BigDecimal(number);
			if (amount.signum() > 0) {
				return amount;
			}
		}
		throw new UsageException(
				"--" + option + " must be an amount of US dollars greater than 0, like 5 or 0.50; got '" + value + "'");
	}

	/**
	 * {@code --sync} as the request carries it: true, or null for the daemon's default
	 * (no sync).
	 */
	public static @Nullable Boolean sync(CommandInput input) {
		return input.flag("sync") ? Boolean.TRUE : null;
	}

}
