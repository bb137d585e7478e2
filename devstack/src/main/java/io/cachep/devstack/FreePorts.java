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

    /**
     * {@code count} ports for Redis Cluster nodes: each at most 55,535 (a node's cluster bus listens on its port +
     * 10,000, and redis-server refuses a port whose bus port would not exist), with the bus port free too. The
     * kernel's ephemeral ports are often above that, so these are drawn at random from 20,000 to 55,535.
     */
    static int[] forClusterNodes(int count) {
        java.util.Random random = new java.util.Random();
        java.util.Set<Integer> chosen = new java.util.LinkedHashSet<>();
        for (int attempt = 0; chosen.size() < count && attempt < 10_000; attempt++) {
            int port = 20_000 + random.nextInt(MAX_CLUSTER_PORT - 20_000 + 1);
            if (!chosen.contains(port) && isFree(port) && isFree(port + CLUSTER_BUS_OFFSET)) {
                chosen.add(port);
            }
        }
        if (chosen.size() < count) {
            throw new DevStackException("could not find " + count + " free port pairs (P, P+10000) below "
                    + MAX_CLUSTER_PORT + " for Redis Cluster nodes");
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The highest port a Redis Cluster node may listen on: its bus port is port + 10,000. */
    static final int MAX_CLUSTER_PORT = 55_535;
    static final int CLUSTER_BUS_OFFSET = 10_000;

    private static boolean isFree(int port) {
        try {
            requireFree("probe", port);
            return true;
        } catch (PortInUseException e) {
            return false;
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
