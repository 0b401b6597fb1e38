package dev.dilxc.daemon.lxd;

/** The outcome of a command run inside an instance. */
public record ExecResult(int exitCode, String stdout, String stderr) {
}
