package dev.dilxc.daemon.lxd;

/** The local image store has no image by this alias or fingerprint. */
public final class ImageNotFoundException extends LxdException {

	ImageNotFoundException(String message, Throwable cause) {
		super(message, cause);
	}

}
