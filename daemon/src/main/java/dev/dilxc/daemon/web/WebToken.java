package dev.dilxc.daemon.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * The secret a browser must show to read the pages over TCP: 256 random bits, kept in a
 * 0600 file so {@code dilxc-client web} (the same user, through the socket) can hand it
 * out. Never logged.
 */
final class WebToken {

	private final byte[] value;

	private WebToken(String value) {
		this.value = value.getBytes(StandardCharsets.UTF_8);
	}

	static WebToken of(String value) {
		return new WebToken(value);
	}

	/**
	 * Reads the token from {@code file}, creating the file (0600) with a fresh token when
	 * it is missing.
	 */
	static WebToken load(Path file) {
		try {
			if (!Files.exists(file)) {
				byte[] random = new byte[32];
				new SecureRandom().nextBytes(random);
				try {
					Files.createDirectories(file.toAbsolutePath().getParent());
					Files.createFile(file,
							PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
					Files.writeString(file, HexFormat.of().formatHex(random) + "\n");
				}
				catch (FileAlreadyExistsException raced) {
					// another start wrote it first: use theirs
				}
			}
			String token = Files.readString(file).strip();
			if (token.length() < 32) {
				throw new IllegalStateException("The web token file " + file + " holds fewer than 32 characters;"
						+ " delete it and the daemon writes a new random token at its next start.");
			}
			return new WebToken(token);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Cannot read or create the web token file " + file + " (dilxc.web.token-file): " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * Constant-time comparison, so the answer's timing says nothing about how much of a
	 * guess was right.
	 */
	boolean matches(@Nullable String candidate) {
		return candidate != null && MessageDigest.isEqual(this.value, candidate.getBytes(StandardCharsets.UTF_8));
	}

	String value() {
		return new String(this.value, StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return "WebToken[hidden]";
	}

}
