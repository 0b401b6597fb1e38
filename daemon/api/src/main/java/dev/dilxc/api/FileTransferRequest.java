package dev.dilxc.api;

/**
 * {@code pull} / {@code push}: copy between the host and a sandbox. Host paths are
 * absolute (the client resolves them); a relative sandbox path is taken from
 * {@code /home/ubuntu/project}.
 *
 * @param sandboxPath the path inside the sandbox
 * @param hostPath the absolute path on the host
 */
public record FileTransferRequest(String sandboxPath, String hostPath) {
}
