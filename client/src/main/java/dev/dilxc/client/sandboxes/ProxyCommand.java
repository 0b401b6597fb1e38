package dev.dilxc.client.sandboxes;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.dilxc.api.ProxyRequest;
import dev.dilxc.api.ProxyView;
import dev.dilxc.client.render.JsonOutput;
import dev.dilxc.client.render.Table;
import dev.dilxc.client.render.TerminalText;
import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.UsageException;
import org.springframework.shell.core.command.ExitStatus;

/**
 * {@code proxy add|list|rm}: TCP ports of the sandbox forwarded to the host (LXD proxy
 * devices).
 */
final class ProxyCommand extends SandboxCommand {

	static final String USAGE = """
			Usage: dilxc-client proxy add CONTAINER_PORT [HOST_PORT] [--public]
			       dilxc-client proxy list [--json]
			       dilxc-client proxy rm HOST_PORT
			       dilxc-client proxy rm all

			Forwards a TCP port of the sandbox to the host. HOST_PORT defaults to CONTAINER_PORT.
			The host side listens on 127.0.0.1; --public listens on 0.0.0.0, open to your network.
			In an LXD or Incus cluster it listens on the host of the member that holds the sandbox,
			not necessarily this one: 'proxy list' says which.

			Examples:
			  dilxc-client proxy add 3000         # localhost:3000 -> sandbox port 3000
			  dilxc-client proxy add 8080 9090    # localhost:9090 -> sandbox port 8080
			  dilxc-client proxy list
			  dilxc-client proxy rm 3000
			  dilxc-client proxy rm all""";

	private final JsonOutput json;

	ProxyCommand(SandboxContext context, JsonOutput json) {
		super("proxy", DOCKER, "Forward sandbox ports to the host: add, list (ls), rm.",
				"add CONTAINER_PORT [HOST_PORT] [--public] | list | rm HOST_PORT|all",
				List.of(OptionSpec.flag("public", "add: listen on 0.0.0.0 instead of 127.0.0.1"),
						OptionSpec.flag("json", "list: print the proxies as a JSON array")),
				context);
		this.json = json;
	}

	@Override
	public String getHelp() {
		return USAGE;
	}

	@Override
	protected ExitStatus run(CommandInput input, PrintWriter out) {
		List<String> arguments = input.arguments();
		String action = arguments.isEmpty() ? "help" : arguments.getFirst();
		List<String> rest = arguments.subList(Math.min(1, arguments.size()), arguments.size());
		if (!action.equals("add") && input.flag("public")) {
			throw new UsageException("--public goes with 'proxy add'");
		}
		if (!(action.equals("list") || action.equals("ls")) && input.flag("json")) {
			throw new UsageException("--json goes with 'proxy list'");
		}
		return switch (action) {
			case "add" -> add(input, rest, out);
			case "list", "ls" -> list(input, rest, out);
			case "rm", "remove" -> remove(input, rest, out);
			case "help" -> {
				out.println(USAGE);
				yield ok();
			}
			default -> throw new UsageException(
					"unknown proxy action '" + action + "': use add, list or rm (see 'dilxc-client proxy help')");
		};
	}

	private ExitStatus add(CommandInput input, List<String> rest, PrintWriter out) {
		if (rest.isEmpty() || rest.size() > 2) {
			throw new UsageException("usage: dilxc-client proxy add CONTAINER_PORT [HOST_PORT] [--public]");
		}
		int containerPort = port(rest.getFirst(), "container port");
		Integer hostPort = (rest.size() > 1) ? port(rest.get(1), "host port") : null;
		boolean publicBind = input.flag("public");
		ProxyView proxy = daemon().addProxy(sandbox(input), new ProxyRequest(containerPort, hostPort, publicBind));
		out.println("Proxy added: " + listener(proxy) + " → sandbox port " + proxy.containerPort() + " ("
				+ proxy.device() + ")");
		if (publicBind) {
			streams().err()
				.println("Warning: port " + proxy.hostPort()
						+ " listens on all host interfaces: anyone who can reach this machine can connect");
		}
		return ok();
	}

	private ExitStatus list(CommandInput input, List<String> rest, PrintWriter out) {
		if (!rest.isEmpty()) {
			throw new UsageException("'proxy list' takes no arguments, got: " + String.join(" ", rest));
		}
		String sandbox = sandbox(input);
		List<ProxyView> proxies = daemon().proxies(sandbox);
		if (input.flag("json")) {
			this.json.print(proxies, out);
		}
		else if (proxies.isEmpty()) {
			out.println("no port proxies on sandbox '" + sandbox + "'");
		}
		else {
			Table table = new Table(List.of("HOST", "CONTAINER", "DEVICE"), Set.of());
			for (ProxyView proxy : proxies) {
				table.row(List.of(listener(proxy), Integer.toString(proxy.containerPort()), proxy.device()));
			}
			table.lines().forEach(out::println);
		}
		return ok();
	}

	private ExitStatus remove(CommandInput input, List<String> rest, PrintWriter out) {
		if (rest.size() != 1) {
			throw new UsageException("usage: dilxc-client proxy rm HOST_PORT, or dilxc-client proxy rm all");
		}
		String sandbox = sandbox(input);
		if (rest.getFirst().equals("all")) {
			List<ProxyView> removed = daemon().removeAllProxies(sandbox);
			if (removed.isEmpty()) {
				out.println("No proxies to remove");
			}
			else {
				out.println("Removed " + removed.size() + ((removed.size() == 1) ? " proxy: " : " proxies: ")
						+ removed.stream().map(ProxyView::device).collect(Collectors.joining(", ")));
			}
			return ok();
		}
		int hostPort = port(rest.getFirst(), "host port");
		daemon().removeProxy(sandbox, hostPort);
		out.println("Proxy removed: proxy-tcp-" + hostPort);
		return ok();
	}

	/**
	 * Where the host side listens: {@code 127.0.0.1:8080}, in a cluster
	 * {@code 127.0.0.1:8080 on member2 (10.42.0.12)} (the member holding the sandbox).
	 */
	private static String listener(ProxyView proxy) {
		String listener = proxy.listenAddress() + ":" + proxy.hostPort();
		if (proxy.member() == null) {
			return listener;
		}
		return listener + " on " + TerminalText.oneLine(proxy.member())
				+ ((proxy.memberAddress() != null) ? " (" + TerminalText.oneLine(proxy.memberAddress()) + ")" : "");
	}

	/**
	 * A port 1-65535 in plain decimal: no sign, no leading zero (the original read
	 * {@code 010} as 8).
	 */
	static int port(String value, String label) {
		if (value.matches("[1-9][0-9]{0,4}")) {
			int port = Integer.parseInt(value);
			if (port <= 65535) {
				return port;
			}
		}
		throw new UsageException("invalid " + label + " '" + value + "': must be a number between 1 and 65535");
	}

}
