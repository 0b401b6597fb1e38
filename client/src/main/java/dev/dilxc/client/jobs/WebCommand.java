package dev.dilxc.client.jobs;

import java.io.PrintWriter;
import java.util.List;

import dev.dilxc.api.WebAccess;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.render.JsonOutput;
import dev.dilxc.client.shell.ClientCommand;
import dev.dilxc.client.shell.CommandInput;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.exit.ExitStatusExceptionMapper;

/**
 * {@code web [--json]}: where the daemon's read-only review pages are: the address to
 * open, token included, when {@code dilxc.web.port} is set; else how to read them over
 * the socket or turn the port on.
 */
public final class WebCommand extends ClientCommand {

	private final DaemonClient daemon;

	private final JsonOutput json;

	public WebCommand(DaemonClient daemon, JsonOutput json, ExitStatusExceptionMapper errors) {
		super("web", "Print the address of the review pages (jobs, logs, diffs, schedules) for a browser.", "[--json]",
				List.of(OptionSpec.flag("json", "print whether the port is on, the address and the socket as JSON")),
				errors);
		setNotes("""
				The address holds a secret token: open it yourself, do not share it. The pages are read-only and
				served on 127.0.0.1 only.""");
		this.daemon = daemon;
		this.json = json;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		WebAccess access = this.daemon.web();
		if (input.flag("json")) {
			this.json.print(access, out);
			return ok();
		}
		if (access.tcp()) {
			out.println(access.url());
			return ok();
		}
		out.println("The review pages are served on the daemon's socket only; read them with");
		out.println("  curl --unix-socket " + access.socket() + " http://localhost/ui/");
		out.println("For a browser, set a loopback port in ~/.config/dilxc/application.yml, e.g.");
		out.println("  dilxc:");
		out.println("    web:");
		out.println("      port: 8765");
		out.println("restart the daemon, and run 'dilxc-client web' again for the address.");
		return ok();
	}

}
