package dev.dilxc.daemon.process;

import org.zeroturnaround.exec.StartedProcess;

/**
 * A started long-running process whose output reaches its consumers line by line. The
 * caller owns its deadline: it waits on {@link #process()} and destroys it when needed.
 */
public final class StreamingProcess {

	private final StartedProcess process;

	private final LineSplitter stdout;

	private final LineSplitter stderr;

	StreamingProcess(StartedProcess process, LineSplitter stdout, LineSplitter stderr) {
		this.process = process;
		this.stdout = stdout;
		this.stderr = stderr;
	}

	public StartedProcess process() {
		return this.process;
	}

	/** Delivers any last line that had no newline; call once the process has ended. */
	public void flush() {
		this.stdout.close();
		this.stderr.close();
	}

}
