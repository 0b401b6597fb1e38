package dev.dilxc.daemon.notifications;

/**
 * How one try to deliver a notification went.
 *
 * @param delivered whether the receiver took it (a 2xx answer, exit code 0)
 * @param detail what happened, in words (the status, the exit code and stderr tail);
 * never a secret
 */
record Delivery(boolean delivered, String detail) {

	static Delivery ok(String detail) {
		return new Delivery(true, detail);
	}

	static Delivery failed(String detail) {
		return new Delivery(false, detail);
	}
}
