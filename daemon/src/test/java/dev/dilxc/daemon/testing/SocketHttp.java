package dev.dilxc.daemon.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Plain HTTP/1.1 over a daemon's Unix socket, as a client would speak it: no Spring, no
 * client module.
 */
public final class SocketHttp {

	private SocketHttp() {
	}

	/** One GET, the whole answer (status line, headers, body) as text. */
	public static String get(Path socket, String path) throws IOException {
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.connect(UnixDomainSocketAddress.of(socket));
			channel.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII)));
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			ByteBuffer buffer = ByteBuffer.allocate(8192);
			while (channel.read(buffer) >= 0) {
				answer.write(buffer.array(), 0, buffer.position());
				buffer.clear();
			}
			return answer.toString(StandardCharsets.UTF_8);
		}
	}

}
