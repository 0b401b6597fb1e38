package dev.dilxc.daemon.process;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into UTF-8 lines for a consumer, holding at most
 * {@code maxLineBytes} of any one line in memory: a longer line is delivered cut, with a
 * marker saying how much was dropped, so a multi-gigabyte line cannot take the daemon
 * down.
 */
final class LineSplitter extends OutputStream {

	private final Consumer<String> consumer;

	private final int maxLineBytes;

	private final ByteArrayOutputStream line = new ByteArrayOutputStream();

	private long dropped;

	LineSplitter(Consumer<String> consumer, int maxLineBytes) {
		this.consumer = consumer;
		this.maxLineBytes = maxLineBytes;
	}

	@Override
	public synchronized void write(int b) {
		if (b == '\n') {
			emit();
		}
		else if (this.line.size() < this.maxLineBytes) {
			this.line.write(b);
		}
		else {
			this.dropped++;
		}
	}

	@Override
	public synchronized void write(byte[] bytes, int offset, int length) {
		int start = offset;
		int end = offset + length;
		for (int i = offset; i < end; i++) {
			if (bytes[i] == '\n') {
				append(bytes, start, i - start);
				emit();
				start = i + 1;
			}
		}
		append(bytes, start, end - start);
	}

	private void append(byte[] bytes, int offset, int length) {
		int room = Math.max(0, this.maxLineBytes - this.line.size());
		int kept = Math.min(room, length);
		this.line.write(bytes, offset, kept);
		this.dropped += length - kept;
	}

	private void emit() {
		String text = this.line.toString(StandardCharsets.UTF_8);
		if (text.endsWith("\r")) {
			text = text.substring(0, text.length() - 1);
		}
		if (this.dropped > 0) {
			text = text + " [dilxc: line cut at " + this.maxLineBytes + " bytes, " + this.dropped + " bytes dropped]";
		}
		this.line.reset();
		this.dropped = 0;
		this.consumer.accept(text);
	}

	/** Delivers a last line that had no newline. */
	@Override
	public synchronized void close() {
		if (this.line.size() > 0 || this.dropped > 0) {
			emit();
		}
	}

}
