package dev.dilxc.daemon;

import java.util.HashMap;
import java.util.Map;

import org.slf4j.MDC;

/**
 * Tags the current thread's log lines with the job and sandbox they concern (MDC keys
 * {@value #JOB_ID} and {@value #SANDBOX}; {@code logging.pattern.correlation} prints them
 * as {@code [job 12 web]}), so one job's lines can be picked out of the journal with
 * {@code grep '\[job 12 '}. Closing puts back what was there before.
 */
public final class LogContext implements AutoCloseable {

	public static final String JOB_ID = "jobId";

	public static final String SANDBOX = "sandbox";

	private final Map<String, String> previous = new HashMap<>();

	private LogContext(Map<String, String> values) {
		values.forEach((key, value) -> {
			this.previous.put(key, MDC.get(key));
			MDC.put(key, value);
		});
	}

	/** Lines about a job in its sandbox. */
	public static LogContext job(long jobId, String sandbox) {
		return new LogContext(Map.of(JOB_ID, Long.toString(jobId), SANDBOX, sandbox));
	}

	/** Lines about a sandbox outside any job (init, update, other operations). */
	public static LogContext sandbox(String sandbox) {
		return new LogContext(Map.of(SANDBOX, sandbox));
	}

	@Override
	public void close() {
		this.previous.forEach((key, value) -> {
			if (value == null) {
				MDC.remove(key);
			}
			else {
				MDC.put(key, value);
			}
		});
	}

}
