package io.cachep.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the kernel for free loopback ports.
 *
 * <p>All sockets of one call are held open together so one call never returns the same port twice. There is a small
 * window between closing them here and the child binding them; starters retry with fresh ports when a child fails to
 * start on ports they picked.
 */
final class FreePorts {
    private FreePorts() {}

    /**
     * Fails unless {@code port} can be bound on loopback now. Checked before a start because a readiness probe on a
     * taken port would talk to whoever holds it and take that for our child.
     */
    static void requireFree(String what, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as redis and Kafka do: a port in TIME_WAIT after our own restart is free
            socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException e) {
            throw new PortInUseException(what, port);
        }
    }

    static int one() {
        return pick(1)[0];
    }

    static int[] pick(int count) {
        List<ServerSocket> sockets = new ArrayList<>(count);
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free loopback port", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // The port is still usable by the child; nothing to do.
                }
            }
        }
    }
}
