package dev.dilxc.client.shell;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Where the client reads and writes. Command output goes to {@code out}, messages about
 * it (errors, "job 12 submitted") to {@code err}, so {@code out} stays clean for pipes
 * and {@code --json}. Both are UTF-8 whatever the locale says, so prompts and agent
 * output survive a C locale.
 *
 * @param out command output
 * @param err errors and progress messages
 * @param in what {@code --prompt-file -} reads
 */
public record StandardStreams(PrintWriter out, PrintWriter err, InputStream in) {

	/** The process's stdout, stderr and stdin. */
	public static StandardStreams system() {
		PrintWriter out = new PrintWriter(
				new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), false);
		PrintWriter err = new PrintWriter(
				new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
		return new StandardStreams(out, err, System.in);
	}
}
