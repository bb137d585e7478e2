package io.cachep.devstack;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** One RESP command over a fresh socket: enough to test the server without a Redis client library. */
final class RawResp {
    private RawResp() {}

    /**
     * Sends {@code args} as a RESP array and returns the reply: {@code +OK}/{@code -ERR ...} lines as they are, the
     * content of a bulk string, or null for a nil bulk string.
     *
     * @throws java.net.SocketTimeoutException when no reply arrives within {@code timeout}
     */
    static String command(int port, Duration timeout, String... args) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                        .append(arg).append("\r\n");
            }
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            String line = readLine(in);
            if (!line.startsWith("$")) {
                return line;
            }
            int length = Integer.parseInt(line.substring(1));
            if (length < 0) {
                return null;
            }
            byte[] bulk = new byte[length];
            in.readFully(bulk);
            return new String(bulk, StandardCharsets.UTF_8);
        }
    }

    static String command(int port, String... args) throws IOException {
        return command(port, Duration.ofSeconds(5), args);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new IOException("connection closed before a reply");
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
