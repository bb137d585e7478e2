package io.cachep.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Asks a local redis-server whether it serves commands, over a raw socket: devstack has no Redis client on purpose
 * (the modules under test bring their own, and their versions should not be pinned by a test fixture).
 */
final class RedisPing {
    private RedisPing() {}

    /**
     * True when the server answers {@code PING} with {@code +PONG}, or with {@code -NOAUTH} (it serves commands, and
     * the caller started it with {@code --requirepass}). False while it is down, still loading its AOF
     * ({@code -LOADING}), or silent for longer than {@code timeout}.
     */
    static boolean answers(int port, Duration timeout) {
        int millis = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = readLine(socket.getInputStream());
            return reply.startsWith("+PONG") || reply.startsWith("-NOAUTH");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The same question of a TLS-only server, asked with {@code redis-cli --tls} (installed with redis-server):
     * devstack has no TLS client of its own for the same reason it has no Redis client.
     */
    static boolean answersOverTls(Path redisCli, int port, RedisServer.Tls tls, Duration timeout) {
        List<String> command = List.of(redisCli.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "--tls", "--cacert", tls.authority().toString(), "--cert", tls.client().certificate().toString(),
                "--key", tls.client().privateKey().toString(), "PING");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return false;
            }
            String reply = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return reply.startsWith("PONG") || reply.startsWith("NOAUTH");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString();
    }
}
