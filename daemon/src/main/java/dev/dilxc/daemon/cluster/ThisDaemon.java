package dev.dilxc.daemon.cluster;

/**
 * This run of the daemon, as the database knows it.
 *
 * @param id the run's id: its name and a random suffix, new at every start (a restarted
 * daemon is a new run, so its old run's jobs are settled like any dead daemon's)
 * @param name {@code dilxc.cluster.daemon-name}, or the host's name
 * @param host the host's name
 * @param pid this process
 */
public record ThisDaemon(String id, String name, String host, long pid) {

}
