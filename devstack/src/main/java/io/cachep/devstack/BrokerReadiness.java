package io.cachep.devstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;

/**
 * Waits until a starting broker serves clients: its port accepts connections, then {@code describeCluster} lists an
 * unfenced broker. Fails fast, with the broker's log, if the process exits first.
 */
final class BrokerReadiness {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private BrokerReadiness() {}

    /** @param client how to connect as the super user (bootstrap and, on a secured broker, its login) */
    static void await(ChildProcess broker, int port, Map<String, Object> client, Deadline deadline,
                      Duration startTimeout) {
        // Polling the port first keeps the admin client from logging a warning per refused connection.
        while (!accepts(port)) {
            pauseOrFail(broker, deadline, startTimeout, "port " + port + " to accept connections");
        }
        Map<String, Object> props = new HashMap<>(client);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "devstack-readiness");
        try (Admin admin = Admin.create(props)) {
            while (!hasBroker(admin, deadline)) {
                pauseOrFail(broker, deadline, startTimeout, "describeCluster to list the broker");
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean hasBroker(Admin admin, Deadline deadline) {
        try {
            Collection<Node> nodes = admin.describeCluster().nodes()
                    .get(Math.max(1, deadline.atMost(CALL_TIMEOUT).toMillis()), TimeUnit.MILLISECONDS);
            return !nodes.isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("interrupted while waiting for the broker", e);
        }
    }

    /** Waits one poll interval on the process itself, so an exit ends the wait at once. */
    private static void pauseOrFail(ChildProcess broker, Deadline deadline, Duration startTimeout, String what) {
        if (broker.awaitExit(deadline.atMost(POLL))) {
            throw new DevStackException(broker + " exited with code " + broker.exitValue()
                    + " while starting; " + broker.logTail());
        }
        if (deadline.expired()) {
            throw new DevStackException(broker + " not ready within " + startTimeout.toSeconds() + " s (waited for "
                    + what + "); " + broker.logTail());
        }
    }
}
