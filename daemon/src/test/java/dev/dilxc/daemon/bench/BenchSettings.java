package dev.dilxc.daemon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the benchmarks read from their environment, the median and nearest-rank percentile
 * they print, the machine's load beside them, and how a benchmark's main runs. Public for
 * the client's job path benchmark, which reaches it through the daemon's test-jar.
 */
public final class BenchSettings {

	private BenchSettings() {
	}

	public static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value.strip();
	}

	public static int intEnv(String name, int fallback, int min) {
		String value = env(name, Integer.toString(fallback));
		try {
			int parsed = Integer.parseInt(value);
			if (parsed < min) {
				throw new IllegalArgumentException(name + " must be at least " + min + ", not " + value);
			}
			return parsed;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'", ex);
		}
	}

	/** Nearest-rank percentile of {@code values} (in any order). */
	public static double nearestRank(List<Double> values, int percentile) {
		List<Double> sorted = values.stream().sorted().toList();
		int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
		return sorted.get(Math.max(0, rank - 1));
	}

	/**
	 * The middle value, or the mean of the two middle ones, of {@code values} (in any
	 * order).
	 */
	public static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	/** A benchmark's body. */
	@FunctionalInterface
	public interface Body {

		void run() throws Exception;

	}

	/**
	 * Runs a benchmark: {@code cleanUp} also on Ctrl-C (a shutdown hook) and after the
	 * body in any case; a failure printed with its stack trace. Returns the exit code, 0
	 * or 1.
	 */
	public static int run(Body body, Runnable cleanUp) {
		Runtime.getRuntime().addShutdownHook(new Thread(cleanUp, "dilxc-bench-cleanup"));
		try {
			body.run();
			return 0;
		}
		catch (Throwable ex) {
			System.err.println("benchmark FAILED: " + ex);
			ex.printStackTrace();
			return 1;
		}
		finally {
			cleanUp.run();
		}
	}

	/**
	 * The 1, 5 and 15 minute load averages, or "?" where /proc/loadavg cannot be read.
	 */
	public static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException ex) {
			return "?";
		}
	}

}
