package dev.dilxc.daemon.bench;

import java.util.List;

/** What both benchmarks read from their environment, and the nearest-rank percentile they print. */
final class BenchSettings {

	private BenchSettings() {
	}

	static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value.strip();
	}

	static int intEnv(String name, int fallback, int min) {
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
	static double nearestRank(List<Double> values, int percentile) {
		List<Double> sorted = values.stream().sorted().toList();
		int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
		return sorted.get(Math.max(0, rank - 1));
	}
}
