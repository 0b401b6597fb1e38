package dev.dilxc.daemon.lxd;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * Puts a pulled copy in its place on the host without ever following a link out of it.
 * {@code lxc file
 * pull} writes a single file through a host path that is a symbolic link, and recreates
 * links as links in a recursive pull; an agent that controls the sandbox can plant
 * {@code dist/x -> /home/me/.bashrc} (or {@code ../../../.bashrc}). So the instance's
 * copy always lands first in a fresh, private staging directory next to the destination
 * (same file system), and only then:
 * <ol>
 * <li>every link in the copy must resolve, step by step and through the copy's own links,
 * to a path inside the copy itself (the pulled file or directory). LXD hands over links
 * as absolute paths in the instance: those inside the pulled path become relative links
 * into the copy; any other absolute link, a link that climbs out with {@code ..}, a loop,
 * or a pulled path that is itself a link is refused;</li>
 * <li>every path the copy would take on the host is checked without following links: an
 * existing link there is replaced only by a link (which passed rule 1); where the copy
 * has a file or a directory and the host a link, or a directory meets a file, the pull is
 * refused;</li>
 * <li>only when nothing was refused are the entries renamed into place (same file
 * system): a rename replaces a name, it never writes through it. Directories that exist
 * on both sides are merged.</li>
 * </ol>
 * A refusal names every such path, says what to do, and leaves the host as it was. The
 * destination the user named may itself be (or pass through) a link of the user's own to
 * a directory: that is where they asked the copy to go; below it, nothing is written
 * through a link.
 */
final class HostLanding {

	/** Links followed while resolving one link, as the kernel's limit. */
	private static final int MAX_HOPS = 40;

	/** Refused paths named in the message; the rest are counted. */
	private static final int NAMED = 10;

	private final Path staged;

	private final String source;

	private final List<String> problems = new ArrayList<>();

	private final List<Move> moves = new ArrayList<>();

	private HostLanding(Path staged, String source) {
		this.staged = staged;
		this.source = source;
	}

	/**
	 * Moves {@code staged} (what was pulled from {@code source}, alone in a private
	 * staging directory) to {@code target}, merging into a directory that is there;
	 * throws {@link UnsafePullException} having written nothing when a link leads out of
	 * the copy or the host has a link where the copy would go.
	 */
	static void land(Path staged, Path target, String source) throws IOException {
		HostLanding landing = new HostLanding(staged, source);
		landing.checkLinks();
		if (landing.problems.isEmpty()) {
			landing.plan(staged, target);
		}
		if (!landing.problems.isEmpty()) {
			throw landing.refusal(target);
		}
		for (Move move : landing.moves) {
			move.run();
		}
	}

	// --- rule 1: links stay inside the copy
	// --------------------------------------------------------------

	private void checkLinks() throws IOException {
		BasicFileAttributes top = Files.readAttributes(this.staged, BasicFileAttributes.class,
				LinkOption.NOFOLLOW_LINKS);
		if (top.isSymbolicLink()) {
			this.problems.add("'" + this.source + "' is itself a symbolic link (to '"
					+ Files.readSymbolicLink(this.staged) + "'): pull the file or directory it points to instead");
			return;
		}
		List<Path> links = new ArrayList<>();
		Deque<Path> pending = new ArrayDeque<>(List.of(this.staged));
		while (!pending.isEmpty()) {
			Path path = pending.pop();
			BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			if (attributes.isSymbolicLink()) {
				links.add(path);
			}
			else if (attributes.isDirectory()) {
				pending.addAll(children(path).values());
			}
			else if (!attributes.isRegularFile()) {
				this.problems.add("'" + sourcePath(path) + "' is not a regular file, directory or link");
			}
		}
		// All first, so that resolving one link can step through another that is already
		// relative.
		Map<Path, Path> given = new HashMap<>();
		for (Path link : links) {
			given.put(link, makeRelative(link));
		}
		for (Path link : links) {
			String escape = escape(link);
			if (escape != null) {
				this.problems
					.add("'" + sourcePath(link) + "' is a symbolic link to '" + given.get(link) + "', " + escape);
			}
		}
	}

	/**
	 * LXD hands a recursive pull every link as an absolute path in the instance
	 * ({@code ../a} in {@code /p/dist/sub} arrives as {@code /p/dist/a}); one inside the
	 * pulled path is turned back into a relative link, so that on the host it points into
	 * the copy. Returns the link as it came.
	 */
	private Path makeRelative(Path link) throws IOException {
		Path text = Files.readSymbolicLink(link);
		Path pulled = Path.of(this.source);
		if (!text.isAbsolute() || !text.normalize().startsWith(pulled)) {
			return text;
		}
		Path inside = pulled.relativize(text.normalize());
		Path relative = this.staged.relativize(link.getParent()).relativize(inside);
		Files.delete(link);
		Files.createSymbolicLink(link, relative.toString().isEmpty() ? Path.of(".") : relative);
		return text;
	}

	/**
	 * Why the link at {@code link} leads out of the copy, or null when it stays inside.
	 */
	private @Nullable String escape(Path link) throws IOException {
		Path text = Files.readSymbolicLink(link);
		if (text.isAbsolute()) {
			return "outside '" + this.source + "'";
		}
		Deque<String> at = components(this.staged.relativize(link.getParent()));
		Deque<String> todo = components(text);
		int hops = 0;
		while (!todo.isEmpty()) {
			String name = todo.pop();
			if (name.isEmpty() || name.equals(".")) {
				continue;
			}
			if (name.equals("..")) {
				if (at.isEmpty()) {
					return "outside '" + this.source + "'";
				}
				at.removeLast();
				continue;
			}
			at.addLast(name);
			Path step = this.staged.resolve(String.join("/", at));
			if (Files.isSymbolicLink(step)) {
				if (++hops > MAX_HOPS) {
					return "which loops";
				}
				Path next = Files.readSymbolicLink(step);
				if (next.isAbsolute()) {
					return "outside '" + this.source + "' (through '" + sourcePath(step) + "')";
				}
				at.removeLast();
				Deque<String> spliced = components(next);
				spliced.addAll(todo);
				todo = spliced;
			}
		}
		return null;
	}

	// --- rule 2: nothing on the host is written through
	// -------------------------------------------------

	private void plan(Path incoming, Path destination) throws IOException {
		plan(incoming, destination, false);
	}

	/**
	 * {@code inside}: the destination's parent is a directory of the copy's that was
	 * checked not to be a link.
	 */
	private void plan(Path incoming, Path destination, boolean inside) throws IOException {
		BasicFileAttributes in = Files.readAttributes(incoming, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		BasicFileAttributes there;
		try {
			there = Files.readAttributes(destination, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			this.moves.add(new Move(incoming, destination, inside));
			return;
		}
		if (there.isSymbolicLink()) {
			if (in.isSymbolicLink()) {
				this.moves.add(new Move(incoming, destination, inside));
			}
			else {
				this.problems.add("'" + destination + "' on the host is a symbolic link (to '"
						+ Files.readSymbolicLink(destination)
						+ "') and pull never writes through a link: remove it ('rm " + destination
						+ "') or pull somewhere else");
			}
			return;
		}
		if (there.isDirectory()) {
			if (!in.isDirectory()) {
				this.problems
					.add("'" + destination + "' on the host is a directory, and '" + sourcePath(incoming) + "' is not");
				return;
			}
			for (var child : children(incoming).entrySet()) {
				plan(child.getValue(), destination.resolve(child.getKey()), true);
			}
			return;
		}
		if (in.isDirectory()) {
			this.problems
				.add("'" + destination + "' on the host is a file, and '" + sourcePath(incoming) + "' a directory");
			return;
		}
		this.moves.add(new Move(incoming, destination, inside));
	}

	// --- rule 3: renames
	// ----------------------------------------------------------------------------------

	/**
	 * One rename into place; {@code checkParent} for a parent inside the copy, which must
	 * still be no link.
	 */
	private record Move(Path from, Path to, boolean checkParent) {

		void run() throws IOException {
			if (this.checkParent) {
				Path parent = Objects.requireNonNull(this.to.getParent(), "a parent inside the copy");
				if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
					throw new IOException("'" + parent + "' on the host is no longer a directory (replaced by a "
							+ "link while pulling?): the pull stopped there");
				}
			}
			try {
				Files.move(this.from, this.to, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException ex) {
				throw new IOException("could not move '" + this.from + "' to '" + this.to + "' in one rename", ex);
			}
		}
	}

	// --- helpers
	// ------------------------------------------------------------------------------------------

	private UnsafePullException refusal(Path target) {
		List<String> named = this.problems.subList(0, Math.min(NAMED, this.problems.size()));
		String more = (this.problems.size() > NAMED) ? "; and " + (this.problems.size() - NAMED) + " more" : "";
		return new UnsafePullException("pull of '" + this.source + "' refused, nothing was written to '" + target
				+ "': " + String.join("; ", named) + more
				+ ". Links are copied only when they point inside what is pulled, "
				+ "and pull never writes through a link on the host: remove or replace such a link in the sandbox "
				+ "('dilxc-client exec rm PATH'), or on the host, or pull into a new directory", this.problems);
	}

	private String sourcePath(Path staged) {
		Path relative = this.staged.relativize(staged);
		return relative.toString().isEmpty() ? this.source : this.source + "/" + relative;
	}

	/** Children by name, sorted, so that refusals come in a stable order. */
	private static TreeMap<String, Path> children(Path directory) throws IOException {
		TreeMap<String, Path> children = new TreeMap<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
			for (Path entry : entries) {
				children.put(entry.getFileName().toString(), entry);
			}
		}
		return children;
	}

	private static Deque<String> components(Path path) {
		Deque<String> names = new ArrayDeque<>();
		for (Path name : path) {
			if (!name.toString().isEmpty()) {
				names.addLast(name.toString());
			}
		}
		return names;
	}

}
