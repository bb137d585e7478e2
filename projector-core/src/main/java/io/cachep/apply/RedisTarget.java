package io.cachep.apply;

import io.cachep.config.RedisEndpoint;
import io.cachep.rules.SlotTokens;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The Redis that cachep talks to, a single server or a Redis Cluster, behind the command interfaces both share
 * ({@link RedisClusterAsyncCommands}, {@link RedisClusterCommands}): a call on a cluster goes to the primary of its
 * first key's slot, so code that keeps every call within one slot works on both unchanged. What must reach every
 * primary (loading the library, scanning the keyspace) asks {@link #primaries()}.
 */
public final class RedisTarget implements AutoCloseable {
    private static final List<Integer> ALL_SLOTS =
            IntStream.range(0, SlotTokens.SLOT_COUNT).boxed().toList();

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisClusterClient clusterClient;
    private final StatefulRedisClusterConnection<String, String> clusterConnection;
    private final Duration commandTimeout;

    private RedisTarget(RedisClient client, StatefulRedisConnection<String, String> connection,
                        RedisClusterClient clusterClient, StatefulRedisClusterConnection<String, String> clusterConnection,
                        Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
        this.client = client;
        this.connection = connection;
        this.clusterClient = clusterClient;
        this.clusterConnection = clusterConnection;
    }

    /**
     * Connects to the endpoint, with every option that bounds memory and time set ({@link RedisConnector}).
     *
     * @param resources Lettuce's shared resources (event loops, latency metrics), or null for its defaults
     */
    public static RedisTarget connect(RedisEndpoint endpoint, ClientResources resources) {
        if (endpoint.cluster()) {
            RedisClusterClient clusterClient = RedisConnector.clusterClient(endpoint, resources);
            try {
                return new RedisTarget(null, null, clusterClient, clusterClient.connect(), endpoint.commandTimeout());
            } catch (RuntimeException e) {
                clusterClient.shutdown();
                throw e;
            }
        }
        RedisClient client = RedisConnector.client(endpoint, resources);
        try {
            return new RedisTarget(client, client.connect(), null, null, endpoint.commandTimeout());
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /** How long one command may take (projector.redis.command.timeout.ms). */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    public boolean cluster() {
        return clusterConnection != null;
    }

    public RedisClusterAsyncCommands<String, String> async() {
        return cluster() ? clusterConnection.async() : connection.async();
    }

    public RedisClusterCommands<String, String> sync() {
        return cluster() ? clusterConnection.sync() : connection.sync();
    }

    /**
     * A connection to each primary as the client sees the cluster now (for a single server: itself). Ask again after
     * a failover: the list is not kept up to date.
     */
    public List<RedisClusterAsyncCommands<String, String>> primaries() {
        if (!cluster()) {
            return List.of(connection.async());
        }
        return clusterConnection.getPartitions().stream()
                .filter(RedisTarget::servesSlots)
                .<RedisClusterAsyncCommands<String, String>>map(node -> clusterConnection.getConnection(node.getNodeId()).async())
                .toList();
    }

    /**
     * A synchronous connection to each primary, after asking the cluster for its topology now (a failover or a
     * migration may have changed it since the client last looked): for what must see every key, such as a scan.
     */
    public List<RedisClusterCommands<String, String>> primariesNow() {
        if (!cluster()) {
            return List.of(connection.sync());
        }
        clusterClient.refreshPartitions();
        return clusterConnection.getPartitions().stream()
                .filter(RedisTarget::servesSlots)
                .<RedisClusterCommands<String, String>>map(node -> clusterConnection.getConnection(node.getNodeId()).sync())
                .toList();
    }

    /**
     * A primary as the cluster describes it at one moment: its node id (a failover gives the shard a new one), the
     * slots it serves, and a synchronous connection to it alone (a {@code SCAN} on it sees only its keys).
     */
    public record Primary(String nodeId, List<Integer> slots, RedisClusterCommands<String, String> commands) {
        public Primary {
            slots = List.copyOf(slots);
        }
    }

    /**
     * Each primary that serves slots, with its node id and slots, after asking the cluster for its topology now: for
     * a scan that must say which slots it has covered, so that it can resume after the topology changed. A single
     * server is one primary with an empty node id and every slot.
     */
    public List<Primary> primariesWithSlotsNow() {
        if (!cluster()) {
            return List.of(new Primary("", ALL_SLOTS, connection.sync()));
        }
        clusterClient.refreshPartitions();
        return clusterConnection.getPartitions().stream()
                .filter(RedisTarget::servesSlots)
                .map(node -> new Primary(node.getNodeId(), node.getSlots(),
                        clusterConnection.getConnection(node.getNodeId()).sync()))
                .toList();
    }

    /** A primary that owns slots: one without (a node being added, a replica not yet told) holds no keys of ours. */
    private static boolean servesSlots(RedisClusterNode node) {
        return node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty();
    }

    @Override
    public void close() {
        if (cluster()) {
            clusterConnection.close();
            clusterClient.shutdown();
        } else {
            connection.close();
            client.shutdown();
        }
    }
}
