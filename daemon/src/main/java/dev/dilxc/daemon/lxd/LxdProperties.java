package dev.dilxc.daemon.lxd;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the daemon drives LXD or Incus.
 *
 * @param backend {@code auto} (the default): whichever of LXD and Incus is installed, or
 * answers when both are; {@code lxd} or {@code incus} to choose
 * @param executable the client program, when it is not {@code lxc} (LXD) or {@code incus}
 * (Incus) on the PATH; with {@code backend: auto} its file name says which back end it is
 * @param commandTimeout limit for quick calls (queries, exec of small helpers)
 * @param snapshotTimeout limit for snapshot, restore, snapshot deletion and other long
 * calls (start, stop, create, delete, file copies)
 * @param stopTimeout how long a stop or restart waits for a clean shutdown before it
 * kills the instance
 */
@ConfigurationProperties("dilxc.lxd")
record LxdProperties(@DefaultValue("auto") BackendChoice backend, @Nullable String executable,
		@DefaultValue("60s") Duration commandTimeout, @DefaultValue("10m") Duration snapshotTimeout,
		@DefaultValue("30s") Duration stopTimeout) {

	/** The values of {@code dilxc.lxd.backend}. */
	enum BackendChoice {

		AUTO, LXD, INCUS

	}

	LxdProperties {
		if (backend == null) {
			throw new IllegalArgumentException("dilxc.lxd.backend must be one of auto, lxd, incus");
		}
		// An empty value (the settings file's line uncommented as written) means none.
		if (executable != null && executable.isBlank()) {
			executable = null;
		}
		if (executable != null) {
			LxdBackend named = LxdBackend.ofExecutable(executable);
			if (backend == BackendChoice.LXD && named == LxdBackend.INCUS) {
				throw new IllegalArgumentException("dilxc.lxd.executable (" + executable
						+ ") is Incus's client, but dilxc.lxd.backend is lxd: set dilxc.lxd.backend: incus, "
						+ "or name LXD's client (lxc)");
			}
			if (backend == BackendChoice.INCUS && java.nio.file.Path.of(executable).endsWith("lxc")) {
				throw new IllegalArgumentException("dilxc.lxd.executable (" + executable
						+ ") is LXD's client, but dilxc.lxd.backend is incus: set dilxc.lxd.backend: lxd, "
						+ "or name Incus's client (incus)");
			}
		}
		requirePositive("dilxc.lxd.command-timeout", commandTimeout);
		requirePositive("dilxc.lxd.snapshot-timeout", snapshotTimeout);
		requirePositive("dilxc.lxd.stop-timeout", stopTimeout);
		if (stopTimeout.compareTo(snapshotTimeout) >= 0) {
			throw new IllegalArgumentException(
					"dilxc.lxd.stop-timeout (" + stopTimeout + ") must be shorter than dilxc.lxd.snapshot-timeout ("
							+ snapshotTimeout + "), which bounds a stop");
		}
	}

	static void requirePositive(String key, Duration value) {
		if (value == null || value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException(key + " must be a positive duration such as 30s or 5m, not " + value);
		}
	}
}
