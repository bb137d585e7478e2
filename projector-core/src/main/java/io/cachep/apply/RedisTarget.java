package io.cachep.apply;

import io.cachep.config.ProjectorConfig;
import io.cachep.config.RedisEndpoint;
import io.cachep.rules.SlotTokens;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The Redis that cachep talks to, a single server or a Redis Cluster, behind the command interfaces both share
 * ({@link RedisClusterAsyncCommands}, {@link RedisClusterCommands}): a call on a cluster goes to the primary of its
 * first key's slot, so code that keeps every call within one slot works on both unchanged. What must reach every
 * primary asks {@link #shards()} (loading the library, probing health: the topology as the client knows it) or
 * {@link #primariesWithSlotsNow()} (scanning the keyspace: the topology read again, with each primary's slots).
 */
public final class RedisTarget implements AutoCloseable {
    private static final List<Integer> ALL_SLOTS =
            IntStream.range(0, SlotTokens.SLOT_COUNT).boxed().toList();

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisClusterClient clusterClient;
    private final StatefulRedisClusterConnection<String, String> clusterConnection;
    private final Duration commandTimeout;
    private final String name;
    private final AcknowledgedWrites writes;
    private final AtomicLong lastRefreshAsked = new AtomicLong();

    /** A shard: its primary's address (how logs and /ready name it) and the connection to that primary. */
    public record Shard(String name, RedisClusterAsyncCommands<String, String> commands) {}

    private RedisTarget(RedisClient client, StatefulRedisConnection<String, String> connection,
                        RedisClusterClient clusterClient, StatefulRedisClusterConnection<String, String> clusterConnection,
                        RedisEndpoint endpoint, ReplicaWait wait) {
        this.commandTimeout = endpoint.commandTimeout();
        this.name = endpoint.seeds().get(0).host() + ":" + endpoint.seeds().get(0).port();
        this.client = client;
        this.connection = connection;
        this.clusterClient = clusterClient;
        this.clusterConnection = clusterConnection;
        this.writes = new AcknowledgedWrites(this, wait);
    }

    /**
     * Connects to the endpoint, with every option that bounds memory and time set ({@link RedisConnector}); writes
     * count as acknowledged at Redis's reply.
     *
     * @param resources Lettuce's shared resources (event loops, latency metrics), or null for its defaults
     */
    public static RedisTarget connect(RedisEndpoint endpoint, ClientResources resources) {
        return connect(endpoint, resources, ReplicaWait.NONE);
    }

    /**
     * Connects as {@link #connect(RedisEndpoint, ClientResources)}, with writes acknowledged as {@code wait} says.
     *
     * @throws IllegalStateException when the server is not what {@code projector.redis.cluster} says (a cluster node
     *                               for a single server, or the reverse), or a shard has fewer replicas than
     *                               {@code wait} asks for, naming the fix
     */
    public static RedisTarget connect(RedisEndpoint endpoint, ClientResources resources, ReplicaWait wait) {
        RedisTarget target = connectTo(endpoint, resources, wait);
        try {
            if (wait.enabled()) {
                requireReplicas(target.replicasPerShard(), wait.replicas());
            }
            return target;
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
    }

    private static RedisTarget connectTo(RedisEndpoint endpoint, ClientResources resources, ReplicaWait wait) {
        if (endpoint.cluster()) {
            RedisClusterClient clusterClient = RedisConnector.clusterClient(endpoint, resources);
            try {
                return new RedisTarget(null, null, clusterClient, clusterClient.connect(), endpoint, wait);
            } catch (RuntimeException e) {
                clusterClient.shutdown();
                throw ClusterModeCheck.explain(endpoint, e);
            }
        }
        RedisClient client = RedisConnector.client(endpoint, resources);
        try {
            StatefulRedisConnection<String, String> connection = client.connect();
            try {
                ClusterModeCheck.requireStandalone(endpoint, ServerHello.of(connection.sync()));
            } catch (RuntimeException e) {
                connection.close();
                throw e;
            }
            return new RedisTarget(client, connection, null, null, endpoint, wait);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    private static void requireReplicas(Map<String, Integer> replicas, int wanted) {
        List<String> shortShards = new ArrayList<>();
        replicas.forEach((shard, count) -> {
            if (count < wanted) {
                shortShards.add(shard + " has " + count);
            }
        });
        if (!shortShards.isEmpty()) {
            throw new IllegalStateException(ProjectorConfig.REDIS_WAIT_REPLICAS_CONFIG + " is " + wanted
                    + ", more replicas than a shard has (" + String.join(", ", shortShards) + "): lower it, or give every"
                    + " primary at least " + wanted + " replica" + (wanted == 1 ? "" : "s"));
        }
    }

    /** Where cachep's writes go, acknowledged as {@code projector.redis.wait.replicas} says. */
    public AcknowledgedWrites writes() {
        return writes;
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

    /**
     * The primary that owns {@code key}'s slot as the client's topology has it now, and the connection to it (the one
     * a cluster client routes that slot's commands over). Fails with a transient CLUSTERDOWN when no primary is known
     * for the slot, and asks for a fresh topology.
     */
    CompletableFuture<Shard> primaryOf(String key) {
        if (!cluster()) {
            return CompletableFuture.completedFuture(new Shard(name, connection.async()));
        }
        int slot = SlotHash.getSlot(key);
        RedisClusterNode owner = clusterConnection.getPartitions().getPartitionBySlot(slot);
        if (owner == null || !owner.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
            topologyChanged();
            return CompletableFuture.failedFuture(new RedisException("CLUSTERDOWN no primary known for slot " + slot));
        }
        String host = owner.getUri().getHost();
        int port = owner.getUri().getPort();
        return clusterConnection.getConnectionAsync(host, port)
                .thenApply(node -> new Shard(host + ":" + port, node.async()));
    }

    /**
     * The node serving {@code slot} as the client's topology has it now (its node id), for grouping a batch's calls
     * by node; a slot without a known owner gets a name of its own, so its calls fail alone and are retried.
     */
    public String nodeOfSlot(int slot) {
        RedisClusterNode owner = clusterConnection.getPartitions().getPartitionBySlot(slot);
        return owner == null ? "no node for slot " + slot : owner.getNodeId();
    }

    /**
     * How many replicas each shard has, by its primary's address: on a cluster, the replicas the topology lists for
     * each primary that owns slots (failing ones too: they are the shard's, only down); on one server, the replicas
     * connected to it now ({@code WAIT 0 0} answers at once with their number, and needs no admin grant).
     */
    public Map<String, Integer> replicasPerShard() {
        if (!cluster()) {
            return Map.of(name, connection.sync().waitForReplication(0, 0).intValue());
        }
        clusterClient.refreshPartitions();
        Partitions partitions = clusterConnection.getPartitions();
        Map<String, Integer> replicas = new TreeMap<>();
        for (RedisClusterNode node : partitions) {
            if (servesSlots(node)) {
                long count = partitions.stream().filter(n -> n.is(RedisClusterNode.NodeFlag.REPLICA)
                        && node.getNodeId().equals(n.getSlaveOf())).count();
                replicas.put(node.getUri().getHost() + ":" + node.getUri().getPort(), (int) count);
            }
        }
        return replicas;
    }

    /**
     * Each shard's primary, by address, as the client's topology has it now (not refreshed: a primary that died stays
     * listed until its replica is promoted and the client learns of it). For a single server: itself.
     */
    public List<Shard> shards() {
        if (!cluster()) {
            return List.of(new Shard(name, connection.async()));
        }
        return clusterConnection.getPartitions().stream().filter(RedisTarget::servesSlots)
                .map(node -> new Shard(node.getUri().getHost() + ":" + node.getUri().getPort(),
                        clusterConnection.getConnection(node.getNodeId()).async()))
                .toList();
    }

    /**
     * Something said the topology changed (a MOVED on a node's own connection, which the client does not see, or a
     * primary that stopped answering): ask for a fresh one, at most once a second.
     */
    public void topologyChanged() {
        long now = System.nanoTime();
        long last = lastRefreshAsked.get();
        if (cluster() && now - last > 1_000_000_000L && lastRefreshAsked.compareAndSet(last, now)) {
            clusterClient.refreshPartitionsAsync();
        }
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
