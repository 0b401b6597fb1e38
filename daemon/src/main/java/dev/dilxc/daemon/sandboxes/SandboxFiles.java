package dev.dilxc.daemon.sandboxes;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

import dev.dilxc.api.CommandResult;
import dev.dilxc.api.FileTransferRequest;
import dev.dilxc.api.ProblemTypes;
import dev.dilxc.daemon.lxd.ExecRequest;
import dev.dilxc.daemon.lxd.InstanceDetails;
import dev.dilxc.daemon.lxd.Lxd;
import dev.dilxc.daemon.lxd.UnsafePullException;

/**
 * {@code pull} and {@code push}. Sandbox paths are taken from the working copy when
 * relative (the original glued them onto the container name and failed); a destination
 * that is a directory receives the source under its own name, as {@code cp -r} does.
 * Pushed files belong to the sandbox user. A pull never follows a link out of what it
 * copies nor writes through a link on the host (see {@link Lxd#pullFile}): the sandbox is
 * the agent's, and what it planted must not reach the user's files.
 */
@Service
class SandboxFiles {

	private static final Duration QUICK = Duration.ofSeconds(30);

	/**
	 * What a pull would meet, checked as root in the sandbox before lxc runs: $1 the
	 * path. Prints {@code missing}; or {@code link} and where it points (lxc cannot pull
	 * a lone link: it leaves an empty file and crashes); or {@code ok} and the first
	 * special files under it (lxc hangs reading a fifo). The host side never trusts this:
	 * what lands is checked again there ({@link Lxd#pullFile}).
	 */
	static final String PULL_PROBE = """
			src="$1"
			if [ -L "$src" ]; then echo link; readlink "$src"; exit 0; fi
			[ -e "$src" ] || { echo missing; exit 0; }
			echo ok
			find "$src" ! -type f ! -type d ! -type l -print 2>/dev/null | head -n 5
			""";

	private final Lxd lxd;

	private final SandboxCatalog catalog;

	private final SandboxesProperties properties;

	SandboxFiles(Lxd lxd, SandboxCatalog catalog, SandboxesProperties properties) {
		this.lxd = lxd;
		this.catalog = catalog;
		this.properties = properties;
	}

	CommandResult push(String name, @Nullable FileTransferRequest request) {
		InstanceDetails sandbox = this.catalog.requireRunning(name);
		if (request == null) {
			throw new SandboxException.BadRequest(
					"push needs a body: {\"hostPath\": \"/abs/path\", \"sandboxPath\": \"dest\"}");
		}
		Path source = hostPath(request.hostPath(), "push",
				"the host file or directory to push, e.g. 'dilxc-client push ./fixtures data/'");
		if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
			throw new SandboxException.BadRequest("host path '" + source + "' does not exist: nothing to push");
		}
		if (!Files.isReadable(source)) {
			throw new SandboxException.BadRequest("host path '" + source + "' is not readable by the daemon");
		}
		String destination = blank(request.sandboxPath()) ? this.properties.projectDirectory() + "/"
				: sandboxPath(request.sandboxPath());
		// The port copies like cp -r; the target is worked out here only to tell the user
		// where it went.
		String target = isDirectory(sandbox, destination) ? join(destination, source.getFileName().toString())
				: withoutSlash(destination);
		try {
			this.lxd.pushFile(sandbox.name(), source, destination, this.properties.uid(), this.properties.gid());
		}
		catch (IllegalArgumentException ex) {
			throw new SandboxException.BadRequest(ex.getMessage());
		}
		return new CommandResult(0, "", "Pushed " + source + " -> " + target);
	}

	CommandResult pull(String name, @Nullable FileTransferRequest request) {
		InstanceDetails sandbox = this.catalog.requireRunning(name);
		if (request == null || blank(request.sandboxPath())) {
			throw new SandboxException.BadRequest("say what to pull, e.g. 'dilxc-client pull dist/ ./dist' "
					+ "(relative paths are taken from " + this.properties.projectDirectory() + ")");
		}
		String source = withoutSlash(sandboxPath(request.sandboxPath()));
		Path destination = hostPath(request.hostPath(), "pull", "where on the host to put it (the client sends the "
				+ "absolute path of its current directory when none is given)");
		List<String> probe = this.lxd
			.exec(sandbox.name(), ExecRequest.asRoot(QUICK, "sh", "-c", PULL_PROBE, "dilxc-pull", source))
			.stdout()
			.lines()
			.toList();
		String kind = probe.isEmpty() ? "missing" : probe.get(0);
		if (kind.equals("missing")) {
			throw new SandboxException.Missing(ProblemTypes.NOT_FOUND, "there is no '" + source + "' in sandbox '"
					+ sandbox.name() + "' ('dilxc-client exec ls " + parent(source) + "' shows what is there)");
		}
		if (kind.equals("link")) {
			String to = (probe.size() > 1) ? probe.get(1) : "";
			throw new SandboxException.Conflict("'" + source + "' in sandbox '" + sandbox.name()
					+ "' is a symbolic link (to '" + to + "'), and pull never copies a link on its own: pull what it "
					+ "points to instead (e.g. 'dilxc-client pull " + to + "')");
		}
		if (probe.size() > 1) {
			throw new SandboxException.Conflict("'" + source + "' in sandbox '" + sandbox.name() + "' holds "
					+ String.join(", ", probe.subList(1, probe.size()).stream().map((p) -> "'" + p + "'").toList())
					+ ", which " + ((probe.size() > 2) ? "are" : "is") + " no regular file, directory or link (a fifo, "
					+ "socket or device; lxc would hang on a fifo): pull copies only those; remove it in the sandbox "
					+ "('dilxc-client exec rm PATH') or pull a directory without it");
		}
		Path target = Files.isDirectory(destination) ? destination.resolve(Path.of(source).getFileName().toString())
				: destination;
		try {
			this.lxd.pullFile(sandbox.name(), source, destination);
		}
		catch (IllegalArgumentException ex) {
			throw new SandboxException.BadRequest(ex.getMessage());
		}
		catch (UnsafePullException ex) {
			throw new SandboxException.Conflict(ex.getMessage());
		}
		return new CommandResult(0, "", "Pulled " + source + " -> " + target);
	}

	private String sandboxPath(String path) {
		if (path.indexOf('\0') >= 0) {
			throw new SandboxException.BadRequest("the sandbox path contains a NUL byte");
		}
		return SandboxShell.resolve(this.properties, path);
	}

	private static Path hostPath(String path, String command, String what) {
		if (blank(path)) {
			throw new SandboxException.BadRequest(command + " needs hostPath: " + what);
		}
		if (path.indexOf('\0') >= 0 || !path.startsWith("/")) {
			throw new SandboxException.BadRequest("host path '" + path + "' must be absolute (the client resolves "
					+ "relative paths against its working directory)");
		}
		return Path.of(path).normalize();
	}

	private boolean isDirectory(InstanceDetails sandbox, String path) {
		return path.endsWith("/") || test(sandbox, "-d", path);
	}

	private boolean test(InstanceDetails sandbox, String flag, String path) {
		return this.lxd.exec(sandbox.name(), ExecRequest.asRoot(QUICK, "test", flag, path)).exitCode() == 0;
	}

	private static String join(String directory, String name) {
		String parent = withoutSlash(directory);
		return parent.equals("/") ? "/" + name : parent + "/" + name;
	}

	private static String withoutSlash(String path) {
		return (path.length() > 1 && path.endsWith("/")) ? path.substring(0, path.length() - 1) : path;
	}

	private static String parent(String path) {
		Path parent = Path.of(path).getParent();
		return (parent != null) ? parent.toString() : "/";
	}

	private static boolean blank(String value) {
		return value == null || value.isBlank();
	}

}
