package io.cachep.devstack;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code devstack up}: starts both, prints their addresses as {@code KEY=value} lines, runs until INT or TERM (exit 0)
 * or until one of them dies (exit 1: a stack with half its services gone should not look healthy).
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts a Kafka broker and a redis-server (or, with --redis-cluster, a Redis Cluster) and runs"
                + " until Ctrl-C or SIGTERM.",
                "Prints KAFKA_BOOTSTRAP_SERVERS, REDIS_URI, REDIS_CLUSTER, KAFKA_PID and REDIS_PID (with a cluster,"
                + " REDIS_PIDS) to stdout (eval-able)."})
final class UpCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(UpCommand.class);
    private static final Duration LIVENESS_CHECK = Duration.ofMillis(500);
    /** Ctrl-C in a terminal signals the children too; one may die before our own handler has run. */
    private static final Duration SIGNAL_AFTER_CHILD_EXIT = Duration.ofSeconds(2);

    @Spec
    private CommandSpec spec;

    @Option(names = "--redis-port", paramLabel = "PORT", description = "Redis port (default: a free one).")
    private int redisPort = RedisServer.Options.ANY_FREE_PORT;

    @Option(names = "--kafka-port", paramLabel = "PORT", description = "Kafka client port (default: a free one).")
    private int kafkaPort = KafkaBroker.Options.ANY_FREE_PORT;

    @Option(names = "--redis-cluster", description = "Start a Redis Cluster of 3 primaries and 3 replicas (six"
            + " redis-server processes on free ports up to 55535) instead of one redis-server. A node that dies is"
            + " reported, not fatal: killing one is how a failover is tried.")
    private boolean redisCluster;

    @Override
    public Integer call() throws InterruptedException {
        // Installed before the slow start, so a Ctrl-C during it still ends in an orderly tear-down.
        TerminationSignals signals = TerminationSignals.install();
        if (redisCluster) {
            if (redisPort != RedisServer.Options.ANY_FREE_PORT) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--redis-port and --redis-cluster exclude each other: a cluster's nodes take free ports");
            }
            return runWithCluster(signals);
        }
        try (DevStack stack = DevStack.start(KafkaBroker.Options.defaults().withPort(kafkaPort),
                RedisServer.Options.defaults().withPort(redisPort))) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("KAFKA_BOOTSTRAP_SERVERS=" + stack.bootstrapServers());
            out.println("REDIS_URI=" + stack.redisUri());
            out.println("REDIS_CLUSTER=false");
            out.println("KAFKA_PID=" + stack.kafka().pid());
            out.println("REDIS_PID=" + stack.redis().pid());
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            err.println("devstack up; Ctrl-C to stop");
            err.flush();
            return runUntilSignalOrChildExit(signals, stack, err);
        }
    }

    private int runWithCluster(TerminationSignals signals) throws InterruptedException {
        RedisCluster cluster = RedisCluster.start(RedisCluster.Options.defaults());
        try (cluster; KafkaBroker kafka = KafkaBroker.start(KafkaBroker.Options.defaults().withPort(kafkaPort))) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers());
            out.println("REDIS_URI=" + cluster.uri());
            out.println("REDIS_CLUSTER=true");
            out.println("KAFKA_PID=" + kafka.pid());
            out.println("REDIS_PIDS=" + cluster.nodes().stream().map(n -> Long.toString(n.pid()))
                    .collect(java.util.stream.Collectors.joining(",")));
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            err.println("devstack up with a Redis Cluster; Ctrl-C to stop");
            err.flush();
            java.util.Set<RedisServer> reported = new java.util.HashSet<>();
            while (true) {
                Optional<String> signal = signals.await(LIVENESS_CHECK);
                if (signal.isPresent()) {
                    LOG.info("{} received; stopping", signal.get());
                    return 0;
                }
                for (RedisServer node : cluster.nodes()) {
                    if (!node.isAlive() && reported.add(node)) {
                        err.println("devstack: the Redis Cluster node on port " + node.port() + " exited; the cluster"
                                + " fails over if it was a primary with a replica");
                        err.flush();
                    }
                }
                if (!kafka.isAlive()) {
                    err.println("devstack: the Kafka broker exited unexpectedly; stopping");
                    err.flush();
                    return 1;
                }
            }
        }
    }

    private static int runUntilSignalOrChildExit(TerminationSignals signals, DevStack stack, PrintWriter err)
            throws InterruptedException {
        while (true) {
            Optional<String> signal = signals.await(LIVENESS_CHECK);
            if (signal.isPresent()) {
                LOG.info("{} received; stopping", signal.get());
                return 0;
            }
            String dead = !stack.kafka().isAlive() ? "the Kafka broker"
                    : !stack.redis().isAlive() ? "redis-server" : null;
            if (dead != null) {
                signal = signals.await(SIGNAL_AFTER_CHILD_EXIT);
                if (signal.isPresent()) {
                    LOG.info("{} received; stopping", signal.get());
                    return 0;
                }
                err.println("devstack: " + dead + " exited unexpectedly; stopping");
                err.flush();
                return 1;
            }
        }
    }
}
