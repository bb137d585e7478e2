package io.cachep.devstack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Cluster of local {@code redis-server} processes (by default 3 primaries with one replica each), for
 * the cluster tests, the bench and {@code devstack up --redis-cluster}. Every node is a {@link RedisServer}, so a test
 * can kill, pause and restart one as it would a single server; a node restarted on its directory keeps its
 * {@code nodes.conf} and rejoins the cluster (as a replica, when its replica took over meanwhile).
 *
 * <p>Two settings make failover tests deterministic here: {@code cluster-node-timeout} of 2 s (a killed primary's
 * replica is promoted in about 4 s), and {@code cluster-replica-validity-factor 0} (a replica of a freshly formed
 * cluster would otherwise refuse to fail over, "Disconnected from master for longer than allowed").
 */
public final class RedisCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisCluster.class);
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RESHARD_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration POLL = Duration.ofMillis(100);
    /** All slots of a Redis Cluster. */
    public static final int SLOTS = 16_384;

    /**
     * How to start a {@link RedisCluster}.
     *
     * @param primaries    primaries, at least 3 (Redis Cluster's minimum for a quorum)
     * @param replicas     replicas per primary
     * @param nodeTimeout  {@code cluster-node-timeout}: how long a node may be unreachable before it counts as failed
     * @param startTimeout how long forming the cluster may take
     * @param extraArgs    more {@code redis-server} arguments for every node
     */
    public record Options(int primaries, int replicas, Duration nodeTimeout, Duration startTimeout, List<String> extraArgs) {
        public Options {
            if (primaries < 3) {
                throw new IllegalArgumentException("a Redis Cluster needs at least 3 primaries, not " + primaries);
            }
            if (replicas < 0) {
                throw new IllegalArgumentException("replicas per primary must be 0 or more, not " + replicas);
            }
            Objects.requireNonNull(nodeTimeout, "nodeTimeout");
            Objects.requireNonNull(startTimeout, "startTimeout");
            extraArgs = List.copyOf(extraArgs);
        }

        /** 3 primaries, one replica each, a 2 s node timeout. */
        public static Options defaults() {
            return new Options(3, 1, Duration.ofSeconds(2), Duration.ofSeconds(60), List.of());
        }

        public Options withExtraArgs(String... args) {
            return new Options(primaries, replicas, nodeTimeout, startTimeout, Arrays.asList(args));
        }
    }

    private final List<RedisServer> nodes;
    private boolean closed;

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** Starts the nodes, forms the cluster and waits until every node says {@code cluster_state:ok}. */
    public static RedisCluster start(Options options) {
        Objects.requireNonNull(options, "options");
        int count = options.primaries() * (1 + options.replicas());
        int[] ports = FreePorts.forClusterNodes(count);
        List<RedisServer> nodes = new ArrayList<>();
        try {
            for (int port : ports) {
                List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", Long.toString(options.nodeTimeout().toMillis()),
                        "--cluster-replica-validity-factor", "0",
                        // A replica's first copy starts at once rather than after Redis's default 5 s wait for more
                        // replicas to share it.
                        "--repl-diskless-sync-delay", "0"));
                args.addAll(options.extraArgs());
                nodes.add(RedisServer.start(RedisServer.Options.defaults().withPort(port).withExtraArgs(args)));
            }
            RedisCluster cluster = new RedisCluster(nodes);
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            nodes.forEach(node -> create.add("127.0.0.1:" + node.port()));
            create.addAll(List.of("--cluster-replicas", Integer.toString(options.replicas()), "--cluster-yes"));
            RedisCli.run(create, CLI_TIMEOUT);
            cluster.awaitHealthy(options.startTimeout());
            cluster.awaitRoles(options.primaries(), options.primaries() * options.replicas(), options.startTimeout());
            cluster.awaitReplicasInSync(options.startTimeout());
            LOG.info("Redis Cluster up: {} primaries, {} replicas each, {}", options.primaries(), options.replicas(),
                    cluster.uri());
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(RedisServer::close);
            throw e;
        }
    }

    /** {@code redis://127.0.0.1:P1,127.0.0.1:P2,...}: every node, as a seed list. */
    public String uri() {
        return "redis://" + nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    /** Every node, in the order they were started (not their roles, which failovers change). */
    public List<RedisServer> nodes() {
        return nodes;
    }

    /** The nodes that are running and say they are primaries, now. */
    public List<RedisServer> primaries() {
        return nodes.stream().filter(RedisServer::isAlive).filter(n -> role(n).equals("master")).toList();
    }

    /** The nodes that are running and say they are replicas, now. */
    public List<RedisServer> replicas() {
        return nodes.stream().filter(RedisServer::isAlive).filter(n -> role(n).equals("slave")).toList();
    }

    /**
     * Moves {@code slots} slots from primary {@code from} to primary {@code to} with {@code redis-cli --cluster
     * reshard}, key by key ({@code MIGRATE}), as an operator rebalancing a cluster does: while it runs, commands for a
     * slot in flight meet ASK and TRYAGAIN redirections.
     */
    public void reshard(RedisServer from, RedisServer to, int slots) {
        RedisCli.run(List.of("--cluster", "reshard", "127.0.0.1:" + from.port(),
                "--cluster-from", nodeId(from), "--cluster-to", nodeId(to),
                "--cluster-slots", Integer.toString(slots), "--cluster-yes"), RESHARD_TIMEOUT);
    }

    private static String nodeId(RedisServer node) {
        return RedisCli.ask(node.port(), CLI_TIMEOUT, "CLUSTER", "MYID").strip();
    }

    /** A running replica of {@code primary}, now (its {@code ROLE} names the primary's port). */
    public RedisServer replicaOf(RedisServer primary) {
        return replicas().stream().filter(n -> {
            try {
                List<String> role = RedisCli.ask(n.port(), CLI_TIMEOUT, "ROLE").lines().map(String::strip).toList();
                return role.size() > 2 && role.get(2).equals(Integer.toString(primary.port()));
            } catch (DevStackException e) {
                return false;
            }
        }).findFirst().orElseThrow(() -> new DevStackException("no running replica of " + primary + " in " + uri()));
    }

    /**
     * Waits until every running node says {@code cluster_state:ok} and every slot is served: after forming, after a
     * failover, after a node rejoined.
     */
    public void awaitHealthy(Duration timeout) {
        Deadline deadline = Deadline.after(timeout);
        String last = "";
        while (true) {
            try {
                List<RedisServer> live = nodes.stream().filter(RedisServer::isAlive).toList();
                java.util.Set<Integer> livePorts = live.stream().map(RedisServer::port)
                        .collect(Collectors.toSet());
                boolean ok = !live.isEmpty();
                for (RedisServer node : live) {
                    String info = RedisCli.ask(node.port(), CLI_TIMEOUT, "CLUSTER", "INFO");
                    last = node.port() + ": " + info.lines().filter(l -> l.startsWith("cluster_state")
                            || l.startsWith("cluster_slots_ok")).collect(Collectors.joining(" "));
                    ok &= info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:" + SLOTS);
                    // A node says ok until it notices a primary is gone: also ask that every primary it sees serving
                    // slots is one of ours that runs and is not flagged as failing.
                    String servedBy = deadSlotOwners(RedisCli.ask(node.port(), CLI_TIMEOUT, "CLUSTER", "NODES"), livePorts);
                    if (!servedBy.isEmpty()) {
                        ok = false;
                        last = node.port() + " sees slots served by " + servedBy;
                    }
                }
                if (ok) {
                    return;
                }
            } catch (DevStackException e) {
                last = e.getMessage(); // a node that is starting or stopping: ask again
            }
            if (deadline.expired()) {
                throw new DevStackException("Redis Cluster " + uri() + " not healthy within " + timeout.toSeconds()
                        + " s; last answer " + last);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevStackException("interrupted while waiting for Redis Cluster " + uri(), e);
            }
        }
    }

    /**
     * The primaries in a {@code CLUSTER NODES} answer that own slots but are not running or are flagged as failing,
     * as "port(flags)" text; empty when every slot owner is alive.
     */
    static String deadSlotOwners(String clusterNodes, java.util.Set<Integer> livePorts) {
        List<String> dead = new ArrayList<>();
        for (String line : clusterNodes.lines().toList()) {
            String[] fields = line.strip().split(" ");
            if (fields.length < 9 || !fields[2].contains("master")) {
                continue; // a replica, or a primary without slots
            }
            String address = fields[1].split("@")[0];
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            if (!livePorts.contains(port) || fields[2].contains("fail")) {
                dead.add(port + "(" + fields[2] + ")");
            }
        }
        return String.join(", ", dead);
    }

    /** Waits until this many running nodes say they are primaries and this many replicas (a new cluster settles). */
    public void awaitRoles(int primaries, int replicas, Duration timeout) {
        Deadline deadline = Deadline.after(timeout);
        while (primaries().size() != primaries || replicas().size() != replicas) {
            if (deadline.expired()) {
                throw new DevStackException("Redis Cluster " + uri() + " has " + primaries().size() + " primaries and "
                        + replicas().size() + " replicas, not " + primaries + " and " + replicas + ", after "
                        + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevStackException("interrupted while waiting for Redis Cluster " + uri(), e);
            }
        }
    }

    /**
     * Waits until every running replica has its first copy and follows its primary ({@code master_link_status:up}),
     * and its primary counts it as online: before that, a write's {@code WAIT} for a replica is short.
     */
    public void awaitReplicasInSync(Duration timeout) {
        Deadline deadline = Deadline.after(timeout);
        while (true) {
            List<Integer> behind = new ArrayList<>();
            for (RedisServer replica : replicas()) {
                try {
                    if (!RedisCli.ask(replica.port(), CLI_TIMEOUT, "INFO", "replication").contains("master_link_status:up")) {
                        behind.add(replica.port());
                    }
                } catch (DevStackException e) {
                    behind.add(replica.port());
                }
            }
            // A primary counts a replica (WAIT does) once it has acknowledged its first copy, up to a second after the
            // replica says its link is up.
            long online = 0;
            for (RedisServer primary : primaries()) {
                try {
                    online += RedisCli.ask(primary.port(), CLI_TIMEOUT, "INFO", "replication").lines()
                            .filter(line -> line.startsWith("slave") && line.contains("state=online")).count();
                } catch (DevStackException e) {
                    behind.add(primary.port());
                }
            }
            if (behind.isEmpty() && online >= replicas().size()) {
                return;
            }
            if (deadline.expired()) {
                throw new DevStackException("Redis Cluster " + uri() + ": nodes " + behind + " not answering or not in"
                        + " sync, " + online + " replicas online at their primaries, after " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevStackException("interrupted while waiting for Redis Cluster " + uri(), e);
            }
        }
    }

    private static String role(RedisServer node) {
        try {
            return RedisCli.ask(node.port(), CLI_TIMEOUT, "ROLE").lines().findFirst().orElse("").strip();
        } catch (DevStackException e) {
            return "unknown";
        }
    }

    /** Stops every node and deletes their directories. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        nodes.forEach(RedisServer::close);
    }

    @Override
    public String toString() {
        return "RedisCluster[" + uri() + "]";
    }
}
