package dev.dilxc.daemon.process;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the last {@code limit} bytes written to it, so a chatty or hostile program cannot
 * fill the daemon's heap.
 */
final class BoundedOutput extends OutputStream {

	private final int limit;

	private final ByteArrayOutputStream whole = new ByteArrayOutputStream();

	private final byte[] ring;

	private long written;

	BoundedOutput(int limit) {
		this.limit = limit;
		this.ring = (limit == ProcessCall.WHOLE_OUTPUT) ? new byte[0] : new byte[limit];
	}

	@Override
	public synchronized void write(int b) {
		if (this.limit == ProcessCall.WHOLE_OUTPUT) {
			this.whole.write(b);
		}
		else if (this.limit > 0) {
			this.ring[(int) (this.written % this.limit)] = (byte) b;
		}
		this.written++;
	}

	@Override
	public synchronized void write(byte[] bytes, int offset, int length) {
		if (this.limit == ProcessCall.WHOLE_OUTPUT) {
			this.whole.write(bytes, offset, length);
			this.written += length;
			return;
		}
		for (int i = 0; i < length; i++) {
			write(bytes[offset + i]);
		}
	}

	/**
	 * The bytes kept, oldest first, as UTF-8 (a character cut at the start is replaced).
	 */
	synchronized String text() {
		if (this.limit == ProcessCall.WHOLE_OUTPUT) {
			return this.whole.toString(StandardCharsets.UTF_8);
		}
		int kept = (int) Math.min(this.written, this.limit);
		byte[] copy = new byte[kept];
		long first = this.written - kept;
		for (int i = 0; i < kept; i++) {
			copy[i] = this.ring[(int) ((first + i) % this.limit)];
		}
		return new String(copy, StandardCharsets.UTF_8);
	}

}
