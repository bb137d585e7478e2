package io.cachep.bench;

import io.cachep.apply.RedisConnector;
import io.cachep.devstack.RedisCluster;
import io.cachep.devstack.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code redis-server} processes a projector run writes to, each asked on its own connection: {@code INFO} is per
 * server, so a Redis Cluster's cost is read off every primary and summed (a cluster client's {@code INFO} would reach
 * one node only). One server is a cluster of one primary.
 */
final class RedisNodes implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A primary serves slots and runs the fence; a replica only applies its primary's replication stream. */
    enum Role { primary, replica }

    /**
     * One server of the run.
     *
     * @param address {@code host:port}, as the report names it
     * @param pid     its process, for the cores it used
     */
    record Node(String address, Role role, long pid, RedisCommands<String, String> commands) {}

    /** What one server did over a run: its Redis CPU and calls, and the keys it holds at the end. */
    record Use(String address, Role role, RedisStats stats, long keys) {}

    private final List<Node> nodes;
    private final RedisClient client;
    private final List<StatefulRedisConnection<String, String>> connections;

    private RedisNodes(List<Node> nodes, RedisClient client, List<StatefulRedisConnection<String, String>> connections) {
        this.nodes = List.copyOf(nodes);
        this.client = client;
        this.connections = connections;
    }

    /** One server, over a connection the caller owns (closing this leaves it open). */
    static RedisNodes single(RedisServer server, RedisCommands<String, String> redis) {
        return new RedisNodes(List.of(new Node("127.0.0.1:" + server.port(), Role.primary, server.pid(), redis)), null,
                List.of());
    }

    /** Every node of a cluster, with its role as it is now (a bench run fails over nothing, so roles stay). */
    static RedisNodes of(RedisCluster cluster) {
        RedisClient client = RedisConnector.client(RedisURI.create(cluster.nodes().get(0).uri()), TIMEOUT);
        List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        try {
            for (RedisServer primary : cluster.primaries()) {
                nodes.add(connect(client, connections, primary, Role.primary));
            }
            for (RedisServer replica : cluster.replicas()) {
                nodes.add(connect(client, connections, replica, Role.replica));
            }
        } catch (RuntimeException e) {
            connections.forEach(StatefulRedisConnection::close);
            client.shutdown();
            throw e;
        }
        return new RedisNodes(nodes, client, connections);
    }

    private static Node connect(RedisClient client, List<StatefulRedisConnection<String, String>> connections,
                                RedisServer server, Role role) {
        StatefulRedisConnection<String, String> connection = client.connect(RedisURI.create(server.uri()));
        connections.add(connection);
        return new Node("127.0.0.1:" + server.port(), role, server.pid(), connection.sync());
    }

    List<Node> nodes() {
        return nodes;
    }

    List<Node> primaries() {
        return nodes.stream().filter(n -> n.role() == Role.primary).toList();
    }

    /** Each server's counters now, by address. */
    Map<String, RedisStats> read() {
        Map<String, RedisStats> stats = new LinkedHashMap<>();
        nodes.forEach(node -> stats.put(node.address(), RedisStats.read(node.commands())));
        return stats;
    }

    /** What each server did between two readings, with the keys it holds now. */
    List<Use> usedSince(Map<String, RedisStats> start, Map<String, RedisStats> end) {
        return nodes.stream().map(node -> new Use(node.address(), node.role(),
                end.get(node.address()).minus(start.get(node.address())), node.commands().dbsize())).toList();
    }

    /** The primaries' use summed: what the fence cost Redis, wherever it ran. */
    static RedisStats primariesTotal(List<Use> used) {
        return total(used, Role.primary);
    }

    /** The replicas' use summed: what keeping copies cost, on top of the primaries'. */
    static RedisStats replicasTotal(List<Use> used) {
        return total(used, Role.replica);
    }

    private static RedisStats total(List<Use> used, Role role) {
        return used.stream().filter(u -> u.role() == role).map(Use::stats).reduce(RedisStats.none(), RedisStats::plus);
    }

    @Override
    public void close() {
        connections.forEach(StatefulRedisConnection::close);
        if (client != null) {
            client.shutdown();
        }
    }
}
